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
    description:
      "what the coverage matrix is keyed by: bio2 (BIO2 measures) or cloud-theme (BIO 1.04 Cloud-theme controls)",
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
    description:
      "waivers file (YAML); relative paths are resolved from the current directory, the default from the package",
  }),
  allowPartial: defineSetting({
    key: "audit.allowPartial",
    type: "boolean",
    schema: z.boolean(),
    default: false,
    flag: "--allow-partial",
    description:
      "audit a preview made without --show-sames (or a streaming one): resource policies on what it shows, " +
      "stack policies skipped and listed",
  }),
  record: defineSetting({
    key: "audit.record",
    type: "boolean",
    schema: z.boolean(),
    default: false,
    flag: "--record",
    description:
      "store the run in the ledger's audit history (--database-url): document SHA-256, results per policy " +
      "and BIO2 measure, waivers",
  }),
  policyConfig: defineSetting({
    key: "audit.policyConfig",
    type: "string",
    schema: z.string().min(1).optional(),
    flag: "--policy-config",
    description: "policy pack configuration (JSON, the format of `pulumi preview --policy-pack-config`)",
  }),
};

export const vvtFormats = ["csv", "markdown", "html", "json", "oscal-catalog"] as const;
export type VvtFormat = (typeof vvtFormats)[number];

export const vvtSettings = {
  format: defineSetting({
    key: "vvt.format",
    type: "string",
    schema: z.enum(vvtFormats),
    default: "markdown",
    flag: "--format",
    description:
      `statement of applicability format: ${vvtFormats.join(", ")} (the BIO2 catalog itself, ids and titles ` + `only)`,
  }),
  out: defineSetting({
    key: "vvt.out",
    type: "string",
    schema: z.string().min(1).optional(),
    flag: "--out",
    description: "write the statement to this file (written atomically) instead of stdout",
  }),
  applicability: defineSetting({
    key: "vvt.applicability",
    type: "string",
    schema: z.string().min(1),
    default: "policies/applicability.yaml",
    flag: "--applicability",
    description: "who answers for each BIO2 entry and which do not apply (YAML); the default from the package",
  }),
  waivers: defineSetting({
    key: "vvt.waivers",
    type: "string",
    schema: z.string().min(1),
    default: "policies/waivers.yaml",
    flag: "--waivers",
    description: "waivers file (YAML) the annex of exceptions is made from; the default from the package",
  }),
};

/** The bundled applicability file, used when --applicability is not given. */
export function defaultApplicabilityPath(): string {
  return join(packageRoot(), "policies", "applicability.yaml");
}

/** The bundled waivers file, used when --waivers is not given. */
export function defaultWaiversPath(): string {
  return join(packageRoot(), "policies", "waivers.yaml");
}
