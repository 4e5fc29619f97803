// Waivers: they suppress only what they match, a waived violation stays listed, an expired or invalid
// waiver is itself a mandatory violation, and the repository's own waivers are not about to expire.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../errors.js";
import { audit, hasMandatoryFailure } from "../../policies/audit/evaluate.js";
import { expiringSoon, expiryWarningDays, loadWaivers, parseWaivers, waiverPolicyId } from "../../policies/waivers.js";
import { repoRoot } from "../helpers/cli.js";
import { compliantSpecs, documentOf, previewOf, urnOf } from "../fixtures/policies/compliantPreview.js";

const now = new Date("2026-11-28T12:00:00Z");
const kvUrn = urnOf("leiden-prod", "azure-native:keyvault:Vault", "kv-muniops");

function violatingPreview() {
  const specs = structuredClone(compliantSpecs(1));
  for (const spec of specs) {
    if (spec.type === "azure-native:keyvault:Vault" || spec.type === "azure-native:storage:StorageAccount") {
      const inputs = spec.inputs as { properties?: Record<string, unknown>; minimumTlsVersion?: string };
      if (inputs.properties) inputs.properties.enablePurgeProtection = false;
      else inputs.minimumTlsVersion = "TLS1_1";
    }
  }
  return previewOf(specs);
}

function waiverYaml(overrides: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    id: "WVR-2026-007",
    policies: "[keyvault-vault-require-purge-protection]",
    bioControls: "[U.04.1]",
    scope: `{ urns: ["${kvUrn}"] }`,
    category: "Mitigated",
    justification: "Vault is recreated nightly from the HSM backup during the migration.",
    compensatingControls: "Daily HSM backup; delete locks on the resource group.",
    riskOwner: "CISO gemeente Leiden",
    riskAnalysis: "RA-2026-014",
    approvedBy: "CISO",
    approvedOn: "2026-10-01",
    ticket: "TOPdesk I2610-042",
    expiresOn: "2027-03-31",
    ...overrides,
  };
  const lines = Object.entries(fields)
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `    ${k}: ${v}`);
  lines[0] = lines[0]!.replace(/^ {4}/, "  - ");
  return `schemaVersion: 1\nwaivers:\n${lines.join("\n")}\n`;
}

describe("waivers", () => {
  it("suppress only the matching violation, which is still listed as waived", () => {
    const waivers = parseWaivers(waiverYaml(), "waivers.yaml", now);
    const result = audit(documentOf(violatingPreview()), { waivers, now });
    const kv = result.findings.filter((f) => f.policyId === "keyvault-vault-require-purge-protection");
    expect(kv.map((f) => [f.outcome, f.waiverId, f.urn])).toEqual([["waived", "WVR-2026-007", kvUrn]]);
    // The TLS violation on the storage account is not covered and still fails the audit.
    expect(result.findings.filter((f) => f.outcome === "fail").map((f) => f.policyId)).toEqual([
      "storage-account-require-tls12",
    ]);
    expect(result.waivers.statuses[0]?.matched).toBe(1);
    // The caller's waiver set is not changed by an audit.
    expect(waivers.statuses[0]?.matched).toBe(0);
    expect(result.tallies.get("keyvault-vault-require-purge-protection")?.waived).toBe(1);
  });

  it("a waiver for another URN does not match", () => {
    const waivers = parseWaivers(waiverYaml({ scope: `{ urns: ["${kvUrn}-other"] }` }), "waivers.yaml", now);
    const result = audit(documentOf(violatingPreview()), { waivers, now });
    expect(result.findings.find((f) => f.policyId === "keyvault-vault-require-purge-protection")?.outcome).toBe("fail");
  });

  it("an expired waiver matches nothing and is itself a mandatory violation", () => {
    const waivers = parseWaivers(
      waiverYaml({ approvedOn: "2026-01-05", expiresOn: "2026-11-01" }),
      "waivers.yaml",
      now,
    );
    const result = audit(documentOf(violatingPreview()), { waivers, now });
    expect(result.findings.find((f) => f.policyId === "keyvault-vault-require-purge-protection")?.outcome).toBe("fail");
    expect(result.findings.filter((f) => f.policyId === "muniops-waiver-require-valid").map((f) => f.message)).toEqual([
      "waiver WVR-2026-007 (waivers.yaml:3) expired on 2026-11-01; renew its approval or fix the violations it covered",
    ]);
    expect(hasMandatoryFailure(result)).toBe(true);
  });

  it.each([
    [{ justification: "" }, "justification: Invalid input: expected string, received undefined"],
    [{ policies: "[no-such-policy]" }, 'policies: unknown policy "no-such-policy"'],
    [{ compensatingControls: "" }, "compensatingControls: required for category Mitigated"],
    [{ expiresOn: "2027-12-31" }, "expiresOn: 2027-12-31 is more than 366 days after approvedOn 2026-10-01"],
    [
      { bioControls: "[U.15.1]" },
      "bioControls: U.15.1 is not a control of the waived policies (U.04.1, U.04.2, U.04.3)",
    ],
    [
      { scope: "{ resourceTypes: [azure-native:keyvault:Vault] }" },
      "scope: without urns the waiver covers many resources; list urns, or set broad: true so auditors see it is wide",
    ],
  ])("an invalid waiver (%o) is a violation naming the problem", (override, problem) => {
    const waivers = parseWaivers(waiverYaml(override), "waivers.yaml", now);
    expect(waivers.statuses[0]?.state).toBe("invalid");
    expect(waivers.statuses[0]?.problems).toContain(problem);
    const result = audit(documentOf(violatingPreview()), { waivers, now });
    expect(result.findings.find((f) => f.policyId === "keyvault-vault-require-purge-protection")?.outcome).toBe("fail");
    expect(
      result.findings.some((f) => f.policyId === "muniops-waiver-require-valid" && f.message.includes(problem)),
    ).toBe(true);
  });

  it("a waiver without a risk analysis is invalid (BIO2): the audit's message names file, waiver and field", () => {
    const waivers = parseWaivers(waiverYaml({ riskAnalysis: "" }), "policies/waivers.yaml", now);
    expect(waivers.statuses[0]).toMatchObject({ id: "WVR-2026-007", state: "invalid" });
    const result = audit(documentOf(violatingPreview()), { waivers, now });
    expect(hasMandatoryFailure(result)).toBe(true);
    expect(result.findings.find((f) => f.policyId === waiverPolicyId)?.message).toBe(
      "waiver WVR-2026-007 (policies/waivers.yaml:3) is invalid: riskAnalysis: required: BIO2 backs every " +
        "exception with a risk analysis; give its document id or link; fix the entry",
    );
  });

  it("a broad waiver by resource type matches every resource of that type", () => {
    const waivers = parseWaivers(
      waiverYaml({ scope: "{ stacks: [leiden-prod], resourceTypes: [azure-native:keyvault:Vault] }", broad: "true" }),
      "waivers.yaml",
      now,
    );
    expect(waivers.statuses[0]?.state).toBe("active");
    const result = audit(documentOf(violatingPreview()), { waivers, now });
    expect(result.findings.find((f) => f.policyId === "keyvault-vault-require-purge-protection")?.outcome).toBe(
      "waived",
    );
  });

  it("malformed YAML is a usage error with the file and line", () => {
    expect(() => parseWaivers("schemaVersion: 1\nwaivers:\n  - id: [unclosed\n", "policies/waivers.yaml", now)).toThrow(
      UsageError,
    );
    expect(() => parseWaivers("schemaVersion: 1\nwaivers:\n  - id: [unclosed\n", "policies/waivers.yaml", now)).toThrow(
      /^waivers file policies\/waivers\.yaml:\d+: YAML syntax error/,
    );
    expect(() => parseWaivers("schemaVersion: 2\nwaivers: []\n", "w.yaml", now)).toThrow(
      "waivers file w.yaml:1: schemaVersion must be 1, got 2",
    );
    expect(() => loadWaivers("/nonexistent/waivers.yaml", now)).toThrow(
      "couldn't read waivers file /nonexistent/waivers.yaml: no such file",
    );
  });

  it(`the repository's waivers are valid and none expires within ${expiryWarningDays} days`, () => {
    const waivers = loadWaivers(join(repoRoot, "policies", "waivers.yaml"));
    const broken = waivers.statuses.filter((s) => s.state !== "active").map((s) => `${s.id}: ${s.problems.join("; ")}`);
    expect(broken).toEqual([]);
    const soon = expiringSoon(waivers).map(
      (s) => `${s.id} expires on ${s.waiver?.expiresOn ?? "?"} (in ${s.daysLeft ?? "?"} days): renew or remove it`,
    );
    expect(soon).toEqual([]);
  });
});
