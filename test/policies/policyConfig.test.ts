// --policy-config: the `pulumi preview --policy-pack-config` JSON changes enforcement levels and settings.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../errors.js";
import { audit, hasMandatoryFailure } from "../../policies/audit/evaluate.js";
import { readPolicyConfig } from "../../policies/audit/policyConfig.js";
import { parsePreview } from "../../policies/audit/readPreview.js";
import { readFileSync } from "node:fs";
import { repoRoot } from "../helpers/cli.js";

const known = parsePreview(
  readFileSync(join(repoRoot, "test", "fixtures", "policies", "known-violations.preview.json"), "utf8"),
  "known",
);
const dir = mkdtempSync(join(tmpdir(), "muniops-policy-config-"));
function configFile(content: unknown): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe("policy configuration", () => {
  it("raises an advisory policy to mandatory", () => {
    const policyConfig = readPolicyConfig(
      configFile({ "operationalinsights-workspace-require-retention": "mandatory" }),
    );
    const finding = audit(known, { policyConfig }).findings.find(
      (f) => f.policyId === "operationalinsights-workspace-require-retention",
    );
    expect(finding?.enforcementLevel).toBe("mandatory");
  });

  it("disables a policy and changes settings", () => {
    const policyConfig = readPolicyConfig(
      configFile({
        "operationalinsights-workspace-require-retention": { enforcementLevel: "advisory", minRetentionDays: 30 },
        "azure-resource-require-eu-location": { allowedLocations: ["westeurope", "eastus"] },
        "compute-virtualmachine-require-backup": "disabled",
      }),
    );
    const result = audit(known, { policyConfig });
    const ids = result.findings.map((f) => f.policyId);
    expect(ids).not.toContain("operationalinsights-workspace-require-retention");
    expect(ids).not.toContain("azure-resource-require-eu-location");
    expect(ids).not.toContain("compute-virtualmachine-require-backup");
    expect(hasMandatoryFailure(result)).toBe(true); // TLS, NSG and Key Vault violations remain
  });

  it("rejects unknown policies and levels with the file named", () => {
    const unknownPolicy = configFile({ "no-such-policy": "advisory" });
    expect(() => readPolicyConfig(unknownPolicy)).toThrow(UsageError);
    expect(() => readPolicyConfig(unknownPolicy)).toThrow(
      `policy config ${unknownPolicy}: unknown policy "no-such-policy"`,
    );
    const badLevel = configFile({ "storage-account-require-tls12": "strict" });
    expect(() => readPolicyConfig(badLevel)).toThrow(
      `policy config ${badLevel}: storage-account-require-tls12: enforcementLevel must be one of advisory, ` +
        `mandatory, remediate, disabled`,
    );
  });
});
