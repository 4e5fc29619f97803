// Every policy carries what auditors need: a stable unique id matching its file, a severity, BIO2
// measures and ISO controls from the BIO2 catalog, Cloud-theme controls from the reference list,
// remediation steps; and the pack has the breadth the issue asks for.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bio2Catalog } from "../../policies/bio2Catalog.js";
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
    const files = readdirSync(join(repoRoot, "policies", "rules"))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => f.replace(/\.ts$/, ""));
    expect(files.sort()).toEqual([...ids].sort());
  });

  it.each(policies.map((p) => [p.name, p] as const))(
    "%s has a severity, enforcement, BIO controls from the list, remediation",
    (_id, policy) => {
      expect(["low", "medium", "high", "critical"]).toContain(policy.severity);
      expect(["advisory", "mandatory"]).toContain(policy.enforcementLevel);
      expect(policy.bioControls.length).toBeGreaterThan(0);
      for (const control of policy.bioControls)
        expect(bioControlIds.has(control), `${control} is not in the BIO control list`).toBe(true);
      expect(policy.remediationSteps.length).toBeGreaterThan(15);
      expect(policy.description.length).toBeGreaterThan(20);
      expect(policy.displayName.length).toBeGreaterThan(5);
    },
  );

  it.each(policies.map((p) => [p.name, p] as const))(
    "%s cites BIO2 measures and ISO controls from the catalog",
    (_id, policy) => {
      const entries = new Map(bio2Catalog().entries.map((e) => [e.id, e]));
      const isoControls = new Set(bio2Catalog().entries.map((e) => e.isoControl));
      expect(new Set(policy.bio2Measures).size).toBe(policy.bio2Measures.length);
      for (const id of policy.bio2Measures) {
        // Only a live measure can be evidenced: a GOM, vervallen or moved entry asks nothing of its own.
        expect(entries.get(id)?.status, `${id} is not a measure of the BIO2 catalog`).toBe("measure");
        expect(policy.isoControls, `${id} belongs to ISO ${entries.get(id)?.isoControl ?? "?"}`).toContain(
          entries.get(id)?.isoControl,
        );
      }
      for (const id of policy.bio2Partial ?? [])
        expect(policy.bio2Measures, `partial ${id} is not among bio2Measures`).toContain(id);
      for (const id of policy.isoControls)
        expect(isoControls.has(id), `ISO ${id} is not an ISO/IEC 27002:2022 control of the catalog`).toBe(true);
    },
  );

  it("every mandatory policy evidences at least one BIO2 measure or ISO control", () => {
    const bare = policies.filter(
      (p) => p.enforcementLevel === "mandatory" && p.bio2Measures.length + p.isoControls.length === 0,
    );
    expect(bare.map((p) => p.name)).toEqual([]);
  });

  it("maps the pack as the reference's proposal does: 43 policies to a BIO2 measure, 9 to an ISO control only", () => {
    const toMeasure = policies.filter((p) => p.bio2Measures.length > 0);
    const direct = toMeasure.filter((p) => p.bio2Measures.some((id) => !(p.bio2Partial ?? []).includes(id)));
    const isoOnly = policies.filter((p) => p.bio2Measures.length === 0 && p.isoControls.length > 0);
    expect([toMeasure.length, direct.length, isoOnly.length]).toEqual([43, 18, 9]);
    expect(policies.filter((p) => p.bio2Measures.length + p.isoControls.length === 0).map((p) => p.name)).toEqual([
      "compute-virtualmachine-require-allowed-size",
    ]);
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
    for (const key of ["allowedLocations", "allowedVmSizes", "minRetentionDays", "requiredTags", "departments"])
      expect(keys).toContain(key);
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
    for (const control of bioControls)
      expect(text.includes(control.id), `${control.id} not in ${reference}`).toBe(true);
  });
});
