// The settings of `muniops audit`, declared once (flag > MUNIOPS_* env > config file > default).
import { join } from "node:path";
import { packageRoot } from "../packageInfo.js";
import { defineSetting, z } from "../settings.js";
import { baselines } from "./baseline.js";

export const auditFormats = ["table", "json", "markdown", "html", "sarif", "junit", "oscal"] as const;
export type AuditFormat = (typeof auditFormats)[number];

export const auditSettings = {
  format: defineSetting({
    key: "audit.format",
    type: "string",
    schema: z.enum(auditFormats),
    default: "table",
    flag: "--format",
    description: `report format: ${auditFormats.join(", ")}`,
  }),
  baseline: defineSetting({
    key: "audit.baseline",
    type: "string",
    schema: z.enum(baselines),
    default: "bio2",
    flag: "--baseline",
    description: "what the coverage matrix is keyed by: bio2 (BIO2 measures) or cloud-theme (BIO 1.04 Cloud-theme controls)",
  }),
  out: defineSetting({
    key: "audit.out",
    type: "string",
    schema: z.string().min(1).optional(),
    flag: "--out",
    description: "write the report to this file (written atomically) instead of stdout",
  }),
  waivers: defineSetting({
    key: "audit.waivers",
    type: "string",
    schema: z.string().min(1),
    default: "policies/waivers.yaml",
    flag: "--waivers",
    description: "waivers file (YAML); relative paths are resolved from the current directory, the default from the package",
  }),
  allowPartial: defineSetting({
    key: "audit.allowPartial",
    type: "boolean",
    schema: z.boolean(),
    default: false,
    flag: "--allow-partial",
    description: "audit a preview made without --show-sames (or a streaming one): resource policies on what it shows, stack policies skipped and listed",
  }),
  policyConfig: defineSetting({
    key: "audit.policyConfig",
    type: "string",
    schema: z.string().min(1).optional(),
    flag: "--policy-config",
    description: "policy pack configuration (JSON, the format of `pulumi preview --policy-pack-config`)",
  }),
};

/** The bundled waivers file, used when --waivers is not given. */
export function defaultWaiversPath(): string {
  return join(packageRoot(), "policies", "waivers.yaml");
}
