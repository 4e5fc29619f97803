// Every policy carries what auditors need: a stable unique id matching its file, a severity, BIO
// controls from the reference list, remediation steps; and the pack has the breadth the issue asks for.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bioControlIds, bioControls } from "../../policies/bioControls.js";
import { policies, resourcePolicies, stackPolicies } from "../../policies/catalog.js";
import { repoRoot } from "../helpers/cli.js";

describe("policy metadata", () => {
  it("has at least 35 resource policies and 6 stack policies", () => {
    expect(resourcePolicies.length).toBeGreaterThanOrEqual(35);
    expect(stackPolicies.length).toBeGreaterThanOrEqual(6);
  });

  it("ids are unique kebab-case <service>-<resource>-<verb>-<object>, one file per policy named after it", () => {
    const ids = policies.map((p) => p.name);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+-[a-z0-9]+-(require|disallow|configure)-[a-z0-9-]+$/);
    const files = readdirSync(join(repoRoot, "policies", "rules")).filter((f) => f.endsWith(".ts")).map((f) => f.replace(/\.ts$/, ""));
    expect(files.sort()).toEqual([...ids].sort());
  });

  it.each(policies.map((p) => [p.name, p] as const))("%s has a severity, enforcement, BIO controls from the list, remediation", (_id, policy) => {
    expect(["low", "medium", "high", "critical"]).toContain(policy.severity);
    expect(["advisory", "mandatory"]).toContain(policy.enforcementLevel);
    expect(policy.bioControls.length).toBeGreaterThan(0);
    for (const control of policy.bioControls) expect(bioControlIds.has(control), `${control} is not in the BIO control list`).toBe(true);
    expect(policy.remediationSteps.length).toBeGreaterThan(15);
    expect(policy.description.length).toBeGreaterThan(20);
    expect(policy.displayName.length).toBeGreaterThan(5);
  });

  it("is mandatory by default for the issue's list", () => {
    const mandatory = new Set(policies.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name));
    for (const id of [
      "azure-resource-require-tags",
      "azure-resource-require-known-department",
      "azure-resource-require-eu-location",
      "network-networksecuritygroup-disallow-internet-ssh",
      "network-networksecuritygroup-disallow-internet-rdp",
      "network-networksecuritygroup-disallow-internet-any-port",
      "storage-account-require-https",
      "storage-account-require-tls12",
      "storage-account-disallow-public-blob-access",
      "keyvault-vault-require-purge-protection",
      "compute-virtualmachine-require-encryption-at-host",
      "network-networkinterface-disallow-public-ip",
      "network-applicationgateway-require-waf-prevention",
      "network-webapplicationfirewallpolicy-require-prevention-mode",
      "compute-virtualmachine-require-backup",
    ]) {
      expect(mandatory.has(id), id).toBe(true);
    }
  });

  it("configures allowed locations, VM sizes, retention days and required tags through configSchema", () => {
    const keys = policies.flatMap((p) => Object.keys(p.configSchema?.properties ?? {}));
    for (const key of ["allowedLocations", "allowedVmSizes", "minRetentionDays", "requiredTags", "departments"]) expect(keys).toContain(key);
    for (const policy of policies) {
      for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        expect(typeof schema === "object" && "default" in schema, `${policy.name}.${key} has a default`).toBe(true);
      }
    }
  });

  it("every BIO control cited exists in the shared reference list", () => {
    // A copy of the project's shared reference (shared/reference/bio-checks.md), kept in the repo so the
    // check runs on any clone.
    const reference = join(repoRoot, "test", "fixtures", "policies", "bio-checks.md");
    const text = readFileSync(reference, "utf8");
    for (const control of bioControls) expect(text.includes(control.id), `${control.id} not in ${reference}`).toBe(true);
  });
});
