// The coverage matrix by baseline: by BIO2 measure unless --baseline cloud-theme, every entry listed (a gap
// as "not evidenced by a policy"), only policies that ran count, and the JSON stays readable by the
// dashboard's stored-report schema.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditReportSchema } from "../../dashboard/domain/compliance.js";
import { audit } from "../../policies/audit/evaluate.js";
import { readPreviewFile } from "../../policies/audit/readPreview.js";
import { buildReport, type AuditReport } from "../../policies/audit/report.js";
import { bio2Catalog, isLive } from "../../policies/bio2Catalog.js";
import { bioControls } from "../../policies/bioControls.js";
import { policies } from "../../policies/catalog.js";
import { renderSarif } from "../../policies/formats/sarif.js";
import { emptyWaivers } from "../../policies/waivers.js";
import { repoRoot, runCli } from "../helpers/cli.js";

const fixtures = join(repoRoot, "test", "fixtures", "policies");
const knownViolations = join(fixtures, "known-violations.preview.json");
const noWaivers = join(fixtures, "no-waivers.yaml");

function reportOf(baseline?: "bio2" | "cloud-theme"): AuditReport {
  const result = audit(readPreviewFile(knownViolations), { waivers: emptyWaivers });
  return buildReport(result, "test", baseline === undefined ? {} : { baseline });
}

describe("coverage by baseline", () => {
  it("by BIO2: one row per live catalog entry, gaps marked, failures where the policies fail", () => {
    const report = reportOf("bio2");
    expect(report.baseline).toBe("bio2");
    expect(report.baselineVersion).toBe("1.3");
    const live = bio2Catalog().entries.filter(isLive);
    expect(report.coverage.map((r) => r.control)).toEqual(live.map((e) => e.id));
    const row = (id: string) => report.coverage.find((r) => r.control === id);
    // storage-account-require-tls12 fails on stbzshares: TLS strength (8.24.04) fails
    expect(row("8.24.04")).toMatchObject({ isoControl: "8.24", status: "measure", fail: 1 });
    expect(row("8.24.04")?.policies.map((p) => p.policyId)).toContain("storage-account-require-tls12");
    // a partial claim is marked on the policy's cell
    expect(row("5.14.01")?.policies.every((p) => p.partial === true)).toBe(true);
    expect(row("5.01.01")).toMatchObject({
      gap: "not evidenced by a policy",
      policies: [],
      pass: 0,
      fail: 0,
      waived: 0,
    });
    // a GOM entry is evidenced through its ISO control's guidance (managed-by-pulumi, trusted launch: ISO 8.9)
    expect(row("8.09.01")?.status).toBe("GOM");
    expect(row("8.09.01")?.policies.map((p) => p.policyId)).toContain("azure-resource-require-managed-by-pulumi");
  });

  it("only policies that ran count: a measure whose policies had nothing to check says so", () => {
    const report = reportOf("bio2");
    // the fixture has no Key Vault keys: keyvault-key-require-expiry evaluated nothing
    const row = report.coverage.find((r) => r.control === "8.24.02");
    expect(row).toMatchObject({ gap: "no evidencing policy ran on this document", policies: [] });
    for (const r of report.coverage) {
      for (const p of r.policies) {
        const tally = report.policies.find((x) => x.policyId === p.policyId);
        expect(tally!.pass + tally!.fail + tally!.waived + tally!.unknown + tally!.notApplicable).toBeGreaterThan(0);
      }
    }
  });

  it("by Cloud theme: every control of the list, keyed by its id", () => {
    const report = reportOf("cloud-theme");
    expect(report.baseline).toBe("cloud-theme");
    expect(report.coverage.map((r) => r.control)).toEqual(bioControls.map((c) => c.id));
    expect(report.coverage.find((r) => r.control === "U.05.1")?.fail).toBe(1);
    expect(report.coverage.find((r) => r.control === "B.09.3")?.text).toBe(
      "Information and assets are classified and labelled (ownership is B.09.6).",
    );
  });

  it("without a baseline, buildReport keeps the Cloud-theme matrix the dashboard's compliance page keys by", () => {
    expect(reportOf().baseline).toBe("cloud-theme");
  });

  it("every policy row lists its BIO2 measures, ISO controls and Cloud-theme controls", () => {
    const report = reportOf("bio2");
    for (const row of report.policies) {
      const policy = policies.find((p) => p.name === row.policyId);
      if (!policy) continue; // the waiver pseudo-policy
      expect([row.bio2Measures, row.isoControls, row.bioControls]).toEqual([
        policy.bio2Measures,
        policy.isoControls,
        policy.bioControls,
      ]);
    }
  });

  it("SARIF tags the rules by the baseline's ids", () => {
    const tags = (baseline: "bio2" | "cloud-theme") => {
      const sarif = JSON.parse(renderSarif(reportOf(baseline))) as {
        runs: { tool: { driver: { rules: { id: string; properties: { tags: string[] } }[] } } }[];
      };
      return sarif.runs[0]!.tool.driver.rules.find((r) => r.id === "storage-account-require-tls12")!.properties.tags;
    };
    expect(tags("bio2")).toEqual([
      "BIO2",
      "BIO2 8.24.04",
      "BIO2 5.14.01",
      "ISO 27002:2022 5.14",
      "ISO 27002:2022 8.24",
      "CIS Azure 3.15",
    ]);
    expect(tags("cloud-theme")).toEqual(["BIO", "BIO U.05.1", "CIS Azure 3.15"]);
  });

  it(
    "muniops audit --format json: BIO2 by default, --baseline cloud-theme; both parse with the dashboard's " +
      "report schema",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "muniops-coverage-"));
      for (const [args, baseline, first] of [
        [[], "bio2", "5.01.01"],
        [["--baseline", "cloud-theme"], "cloud-theme", "B.01.3"],
      ] as const) {
        const out = join(dir, `${baseline}.json`);
        const result = await runCli([
          "audit",
          knownViolations,
          "--waivers",
          noWaivers,
          "--format",
          "json",
          "--out",
          out,
          ...args,
        ]);
        expect(result.code, result.stderr).toBe(1);
        const json = JSON.parse(readFileSync(out, "utf8")) as {
          baseline: string;
          coverage: { control: string }[];
          policies: { bio2Measures: string[]; isoControls: string[]; bioControls: string[] }[];
        };
        expect(json.baseline).toBe(baseline);
        expect(json.coverage[0]?.control).toBe(first);
        for (const p of json.policies)
          expect([p.bio2Measures, p.isoControls, p.bioControls].every(Array.isArray)).toBe(true);
        expect(auditReportSchema.safeParse(json).error?.issues ?? []).toEqual([]);
      }
      const bad = await runCli(["audit", knownViolations, "--waivers", noWaivers, "--baseline", "bio1"]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("--baseline");
      expect(bad.stderr).toContain("bio2");
    },
  );
});
