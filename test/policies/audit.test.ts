// `muniops audit` end to end: known violations, exit codes, every output format, bad input.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import type { Ajv as AjvInstance, Options as AjvOptions } from "ajv";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { runAudit } from "../../policies/audit/run.js";
import type { Baseline } from "../../policies/baseline.js";
import { repoRoot, runCli } from "../helpers/cli.js";

const fixtures = join(repoRoot, "test", "fixtures", "policies");
const knownViolations = join(fixtures, "known-violations.preview.json");
const compliant = join(fixtures, "compliant.preview.json");
const noWaivers = join(fixtures, "no-waivers.yaml");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "muniops-audit-"));
});

async function render(
  format: "json" | "sarif" | "junit" | "html" | "markdown" | "table",
  preview = knownViolations,
  baseline?: Baseline,
): Promise<string> {
  const out = join(dir, `report.${format}`);
  await runAudit({ preview, format, out, waivers: noWaivers, baseline, notice: () => undefined }).catch(
    (error: unknown) => {
      if (!(error instanceof Error && error.name === "OperationFailedError")) throw error;
    },
  );
  return readFileSync(out, "utf8");
}

describe("muniops audit", () => {
  it("reports exactly the known violations of a crafted preview", async () => {
    const report = JSON.parse(await render("json")) as {
      findings: { outcome: string; enforcementLevel: string; policyId: string; name?: string }[];
      summary: { mandatoryFailures: number };
    };
    const seen = report.findings.map((f) => `${f.outcome}/${f.enforcementLevel} ${f.policyId} ${f.name ?? ""}`).sort();
    expect(seen).toEqual(
      [
        "fail/mandatory azure-resource-require-eu-location bz-app-02",
        "fail/mandatory compute-virtualmachine-require-backup bz-app-02",
        "fail/mandatory keyvault-vault-require-purge-protection kv-muniops",
        "fail/mandatory network-networksecuritygroup-disallow-internet-rdp nsg-app",
        "fail/mandatory network-networksecuritygroup-disallow-internet-ssh nsg-app",
        "fail/mandatory storage-account-require-tls12 stbzshares",
        "fail/advisory operationalinsights-workspace-require-retention law-central",
      ].sort(),
    );
    expect(report.summary.mandatoryFailures).toBe(6);
  });

  it("exits 0 on a compliant plan and 1 once one property is changed", async () => {
    const clean = await runCli([
      "audit",
      compliant,
      "--waivers",
      noWaivers,
      "--format",
      "json",
      "--out",
      join(dir, "clean.json"),
    ]);
    expect(clean.stderr).toContain("PASS:");
    expect(clean.code).toBe(0);
    const digest = JSON.parse(readFileSync(compliant, "utf8")) as {
      steps: { newState?: { type: string; inputs?: Record<string, unknown> } }[];
    };
    const account = digest.steps.find((s) => s.newState?.type === "azure-native:storage:StorageAccount")?.newState
      ?.inputs;
    if (!account) throw new Error("fixture has no storage account");
    account.allowBlobPublicAccess = true;
    const changed = join(dir, "changed.preview.json");
    writeFileSync(changed, JSON.stringify(digest));
    const dirty = await runCli(["audit", changed, "--waivers", noWaivers]);
    expect(dirty.stdout).toContain("allowBlobPublicAccess is true; set it to false");
    expect(dirty.stderr).toContain("muniops: audit failed: 1 unwaived mandatory violation(s)");
    expect(dirty.code).toBe(1);
  });

  it("writes valid SARIF 2.1.0 (checked against the official schema)", async () => {
    const sarif = JSON.parse(await render("sarif")) as {
      runs: { results: { ruleId: string; level: string }[]; tool: { driver: { rules: unknown[] } } }[];
    };
    const schema = JSON.parse(readFileSync(join(fixtures, "sarif-schema-2.1.0.json"), "utf8")) as object;
    // The SARIF schema is draft-04, which only ajv-draft-04 validates; both packages are CommonJS.
    const require = createRequire(import.meta.url);
    const Ajv = (require("ajv-draft-04") as { default: new (options: AjvOptions) => AjvInstance }).default;
    const addFormats = (require("ajv-formats") as { default: (ajv: AjvInstance) => void }).default;
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const valid = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The schema check has teeth: an invalid level is rejected.
    const broken = structuredClone(sarif) as { runs: { results: { level: string }[] }[] };
    broken.runs[0]!.results[0]!.level = "fatal";
    expect(validate(broken)).toBe(false);
    const run = sarif.runs[0]!;
    expect(run.results.filter((r) => r.level === "error")).toHaveLength(6);
    expect(run.tool.driver.rules.length).toBeGreaterThanOrEqual(41);
  });

  it("writes JUnit XML that parses, one failure per violation", async () => {
    const text = await render("junit");
    // XMLValidator is deprecated in favour of a separate package; it still checks well-formedness here.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    expect(XMLValidator.validate(text)).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    expect(XMLValidator.validate(text.replace("</testsuites>", ""))).not.toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(text) as {
      testsuites: { failures: string; testsuite: { name: string; failures: string }[] };
    };
    const suites = doc.testsuites.testsuite;
    const coverage = suites.find((s) => s.name === "coverage BIO2 1.3");
    // 7 violations, plus one failing testcase per BIO2 entry with an unwaived violation among its policies
    expect(coverage?.failures).toBe("10");
    expect(doc.testsuites.failures).toBe("17");
    expect(suites.find((s) => s.name === "storage-account-require-tls12")?.failures).toBe("1");
  });

  it("writes one standalone HTML file with the coverage matrix", async () => {
    const html = await render("html");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("BIO2 1.3 coverage matrix");
    expect(html).toMatch(/8\.24\.04 <small>ISO 8\.24<\/small>/);
    expect(html).toContain("<em>not evidenced by a policy</em>");
    expect(html).toContain("U.05.1"); // the Cloud-theme ids stay in the policy table
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
  });

  it("writes Markdown with findings per resource and the coverage matrix", async () => {
    const md = await render("markdown");
    expect(md).toContain("## Findings by resource");
    expect(md).toContain("## BIO2 1.3 coverage matrix");
    expect(md).toContain(
      "| 5.01.01 (ISO 5.1) — Board-adopted infosec policy with minimum contents | *not evidenced by a " +
        "policy* | 0 | 0 | 0 |",
    );
    expect(await render("markdown", knownViolations, "cloud-theme")).toContain(
      "## BIO Cloud theme (BIO 1.04) coverage matrix",
    );
    expect(md).toMatch(/\| FAIL \| storage-account-require-tls12 \| minimumTlsVersion is "TLS1_0"/);
  });
});

describe("muniops audit on bad input", () => {
  it("a malformed preview JSON: exit 2 with the path and line", async () => {
    const bad = join(dir, "bad.preview.json");
    writeFileSync(bad, '{\n  "steps": [\n    { "op": "create", }\n  ]\n}\n');
    const result = await runCli(["audit", bad, "--waivers", noWaivers]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(`muniops: ${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:\\d+ is not valid JSON`),
    );
  });

  it("JSON that is not a preview: exit 2 naming the field", async () => {
    const bad = join(dir, "not-a-preview.json");
    // A step without its URN (PreviewStep.URN has no omitempty in sdk/pkg/display/json.go).
    writeFileSync(bad, JSON.stringify({ steps: [{ op: "create" }] }));
    const result = await runCli(["audit", bad, "--waivers", noWaivers]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`muniops: ${bad} is not a \`pulumi preview --json\` document at steps.0.urn`);
  });

  it("a malformed waivers file: exit 2 with the path and line", async () => {
    const bad = join(dir, "waivers.yaml");
    writeFileSync(bad, "schemaVersion: 1\nwaivers:\n  - id: WVR-1\n    policies: [a, b\n");
    const result = await runCli(["audit", compliant, "--waivers", bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(`muniops: waivers file ${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+: YAML syntax error`),
    );
  });

  it("a missing preview file: exit 2", async () => {
    const result = await runCli(["audit", join(dir, "missing.json")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing.json: no such file");
  });
});
