// `muniops vvt`: the BIO2 statement of applicability — a row per catalog entry with who answers, the
// policies' results from the same audit as `muniops audit`, the annex of exceptions from the waivers (a
// row per waiver), the municipality's applicability file, and CSV that Excel opens safely.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../errors.js";
import { bio2Catalog } from "../../policies/bio2Catalog.js";
import { policies } from "../../policies/catalog.js";
import { parseWaivers } from "../../policies/waivers.js";
import { parseApplicability } from "../../policies/vvt/applicability.js";
import { excelCell, excelCsv } from "../../policies/vvt/excelCsv.js";
import { runVvt } from "../../policies/vvt/run.js";
import type { Vvt } from "../../policies/vvt/statement.js";
import { repoRoot, runCli } from "../helpers/cli.js";

const fixtures = join(repoRoot, "test", "fixtures", "policies");
const knownViolations = join(fixtures, "known-violations.preview.json");
const applicability = join(repoRoot, "policies", "applicability.yaml");
const now = new Date("2026-11-28T12:00:00Z");
const kvUrn = "urn:pulumi:dev::muniops::azure-native:keyvault:Vault::kv-muniops";
let dir: string;
let waiversFile: string;

const waivers = `schemaVersion: 1
waivers:
  - id: WVR-2026-010
    policies: [keyvault-vault-require-purge-protection]
    bio2Measures: ["8.13.01"]
    scope: { urns: ["${kvUrn}"] }
    category: Mitigated
    justification: The vault is recreated nightly from the HSM backup during the migration.
    compensatingControls: Daily HSM backup; delete locks on the resource group.
    riskOwner: "=HYPERLINK(\\"http://x\\")"
    riskAnalysis: RA-2026-014 (BIA sleutelbeheer, 2026-09-20)
    approvedBy: CISO
    approvedOn: 2026-10-01
    ticket: TOPdesk I2610-042
    expiresOn: 2027-03-31
  - id: WVR-2026-011
    policies: [storage-account-require-tls12]
    scope: { urns: ["urn:pulumi:dev::muniops::azure-native:storage:StorageAccount::stbzshares"] }
    category: Waiver
    justification: A legacy scanner speaks TLS 1.0 until its replacement in March.
    riskOwner: Afdelingshoofd Burgerzaken
    riskAnalysis: RA-2026-015
    approvedBy: CISO
    approvedOn: 2026-10-01
    ticket: TOPdesk I2610-043
    expiresOn: 2027-03-01
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "muniops-vvt-"));
  waiversFile = join(dir, "waivers.yaml");
  writeFileSync(waiversFile, waivers);
});

async function statement(
  options: { applicability?: string; waivers?: string } = {},
): Promise<{ vvt: Vvt; notices: string[] }> {
  const notices: string[] = [];
  const out = join(dir, "vvt.json");
  const vvt = await runVvt({
    document: knownViolations,
    format: "json",
    out,
    applicability: options.applicability ?? applicability,
    waivers: options.waivers ?? waiversFile,
    now,
    notice: (l) => notices.push(l),
  });
  expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(JSON.parse(JSON.stringify(vvt)));
  return { vvt: vvt!, notices };
}

describe("muniops vvt", () => {
  it("has a row per BIO2 catalog entry in the JSON form the issue gives", async () => {
    const { vvt } = await statement();
    expect([vvt.baseline, vvt.version]).toEqual(["BIO2", "1.3"]);
    expect(vvt.rows.map((r) => r.id)).toEqual(bio2Catalog().entries.map((e) => e.id));
    for (const row of vvt.rows) {
      expect(Object.keys(row)).toEqual(
        expect.arrayContaining(["id", "isoControl", "applicable", "reason", "evidence", "status", "exception"]),
      );
      expect(row.reason.length).toBeGreaterThan(10);
    }
  });

  it("gives each row who answers, the evidencing policies with their latest result, and the status", async () => {
    const { vvt } = await statement();
    const row = (id: string) => vvt.rows.find((r) => r.id === id)!;
    expect(row("5.01.01")).toMatchObject({
      applicable: true,
      status: "organisational",
      evidence: [],
      answeredBy: "College van B&W (policy adopted by the board), CISO (drafts and reviews)",
    });
    // the TLS violation on stbzshares is waived by WVR-2026-011: its measures show the waiver
    expect(row("8.24.04").evidence.find((e) => e.policyId === "storage-account-require-tls12")).toMatchObject({
      result: "waived",
      waived: 1,
    });
    // RDP/SSH open to the internet: fails
    expect(row("8.20.02")).toMatchObject({
      status: "fail",
      answeredBy: "Managed-services partner (network), centrale ICT",
    });
    expect(row("8.20.02").evidence.map((e) => [e.policyId, e.result, e.partial])).toContainEqual([
      "network-networksecuritygroup-disallow-internet-rdp",
      "fail",
      true,
    ]);
    // no Key Vault key in the document: its policy did not run
    expect(row("8.24.02")).toMatchObject({ status: "not-run" });
    // withdrawn and moved entries do not apply, and say where they went
    expect(row("5.21.01")).toMatchObject({
      applicable: false,
      status: "not-applicable",
      reason: "Vervallen in BIO2: no measure under this id.",
    });
    expect(row("5.04.02").reason).toBe("Verplaatst naar 5.10.02: answered there.");
    expect(row("8.09.01").reason).toMatch(/^Geen overheidsmaatregel/);
  });

  it("generates the annex of exceptions from the waivers: a row per waiver, linked to its BIO2 entries", async () => {
    const { vvt, notices } = await statement();
    expect(vvt.annex.map((w) => [w.waiverId, w.riskAnalysis, w.expiresOn, w.source])).toEqual([
      ["WVR-2026-010", "RA-2026-014 (BIA sleutelbeheer, 2026-09-20)", "2027-03-31", `${waiversFile}:3`],
      ["WVR-2026-011", "RA-2026-015", "2027-03-01", `${waiversFile}:16`],
    ]);
    // an explicit bio2Measures narrows the exception; without it, every entry the waived policy evidences
    expect(vvt.annex[0]!.bio2Ids).toEqual(["8.13.01"]);
    expect(vvt.annex[1]!.bio2Ids).toEqual(["5.14.01", "8.24.04"]);
    expect(vvt.rows.find((r) => r.id === "8.13.01")!.exception?.waivers.map((w) => w.waiverId)).toEqual([
      "WVR-2026-010",
    ]);
    expect(vvt.rows.find((r) => r.id === "5.01.01")!.exception).toBeNull();
    expect(notices).toEqual([]);
  });

  it("takes not-applicable entries and who answers from the municipality's file", async () => {
    const file = join(dir, "applicability.yaml");
    writeFileSync(
      file,
      'schemaVersion: 1\norganisation: Gemeente Leiden\nansweredBy:\n  "8": Centrale ICT\n  "8.08.01": ' +
        'Managed-services partner\nnotApplicable:\n  "7.10.03": No classified information is couriered.\n',
    );
    const { vvt } = await statement({ applicability: file });
    expect(vvt.organisation).toBe("Gemeente Leiden");
    expect(vvt.rows.find((r) => r.id === "7.10.03")).toMatchObject({
      applicable: false,
      status: "not-applicable",
      reason: "No classified information is couriered.",
    });
    expect(vvt.rows.find((r) => r.id === "8.08.01")!.answeredBy).toBe("Managed-services partner");
    expect(vvt.rows.find((r) => r.id === "8.08.02")!.answeredBy).toBe("Centrale ICT");
    expect(vvt.rows.find((r) => r.id === "5.01.01")!.answeredBy).toBeNull();
  });

  it("refuses a bad applicability file, listing every problem with file:line and what is valid", () => {
    const text =
      'schemaVersion: 1\nanswerdBy: {}\nansweredBy:\n  "9.01": X\n  5.10: Y\nnotApplicable:\n  "5.21.01": ' +
      'gone\n  "7.10.03": ""\n';
    let error: unknown;
    try {
      parseApplicability(text, "app.yaml");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message.split("\n")).toEqual([
      "invalid applicability file (5 problems):",
      '  app.yaml:2: unknown key "answerdBy"; valid keys: schemaVersion, organisation, answeredBy, notApplicable',
      '  app.yaml:4: answeredBy: "9.01" is no BIO2 clause ("5"), ISO control ("5.19") or entry id ' +
        '("8.08.01") of the catalog',
      '  app.yaml:5: answeredBy: the key 5.1 is a number to YAML; quote BIO2 ids and prefixes ("5.10", "8.08.01")',
      "  app.yaml:7: notApplicable: 5.21.01 is vervallen or moved in BIO2 already; leave it out",
      "  app.yaml:8: notApplicable.7.10.03: give a non-empty text",
    ]);
  });

  it("a YAML syntax error or a missing applicability file: exit 2 naming the file and line", async () => {
    const file = join(dir, "broken-applicability.yaml");
    writeFileSync(file, 'schemaVersion: 1\nansweredBy:\n  "5": [CISO\n');
    const broken = await runCli(["vvt", knownViolations, "--applicability", file]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(
      new RegExp(
        `muniops: applicability file ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+: YAML syntax error ` +
          `at column \\d+`,
      ),
    );
    expect(broken.stderr).not.toContain(`${file}:1:`);
    const missing = await runCli(["vvt", knownViolations, "--applicability", join(dir, "none.yaml")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`couldn't read applicability file ${join(dir, "none.yaml")}: no such file`);
  });

  it(
    "waivers: riskAnalysis and bio2Measures are validated, and the VvT refuses an invalid waiver naming " +
      "file:line (exit 2)",
    async () => {
      const bad = waivers
        .replace("riskAnalysis: RA-2026-014 (BIA sleutelbeheer, 2026-09-20)", 'riskAnalysis: "  "')
        .replace('bio2Measures: ["8.13.01"]', 'bio2Measures: ["8.24.04"]');
      const set = parseWaivers(bad, "w.yaml", now);
      expect(set.statuses[0]).toMatchObject({ state: "invalid", problems: ["riskAnalysis: must not be empty"] });
      const wrongMeasure = parseWaivers(
        waivers.replace('bio2Measures: ["8.13.01"]', 'bio2Measures: ["8.24.04"]'),
        "w.yaml",
        now,
      );
      expect(wrongMeasure.statuses[0]!.problems).toEqual([
        "bio2Measures: 8.24.04 is not a BIO2 measure of the waived policies: 8.13.01",
      ]);
      const file = join(dir, "bad-waivers.yaml");
      writeFileSync(file, bad);
      const result = await runCli(["vvt", knownViolations, "--waivers", file]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `muniops: the annex of exceptions needs valid waivers; 1 invalid:\n  ${file}:3: waiver WVR-2026-010: ` +
          `riskAnalysis: must not be empty`,
      );
    },
  );

  it("writes CSV for Dutch Excel: BOM, `;`, quoted text, formulas neutralised", async () => {
    const out = join(dir, "vvt.csv");
    const result = await runCli(["vvt", knownViolations, "--waivers", waiversFile, "--format", "csv", "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text.startsWith('\uFEFF"BIO2";"ISO 27002:2022";')).toBe(true);
    const lines = text
      .slice(1)
      .split("\r\n")
      .filter((l) => l !== "");
    expect(lines).toHaveLength(167);
    const kv = lines.find((l) => l.startsWith('"8.13.01"'))!;
    expect(kv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(kv).not.toMatch(/;"=/);
    expect(excelCell("+31 71 516 5165")).toBe(`"'+31 71 516 5165"`);
    expect(excelCell("-")).toBe(`"'-"`);
    expect(excelCell("@SUM(A1)")).toBe(`"'@SUM(A1)"`);
    expect(excelCell("\tx")).toBe(`"'\tx"`);
    expect(excelCell("\rx")).toBe(`"'\rx"`);
    expect(excelCell("'=1+1")).toBe(`"''=1+1"`);
    expect(excelCell("it's")).toBe(`"it's"`);
    expect(excelCell('a "b"; c')).toBe(`"a ""b""; c"`);
    expect(excelCell(3)).toBe("3");
    expect(excelCsv(["a"], [[null]])).toBe('\uFEFF"a"\r\n\r\n');
  });

  it(
    "writes Markdown and standalone HTML with the statement " + "and the annex; oscal-catalog without a document",
    async () => {
      const md = await runCli(["vvt", knownViolations, "--waivers", waiversFile, "--format", "markdown"]);
      expect(md.code, md.stderr).toBe(0);
      expect(md.stdout).toContain("## Uitzonderingen (annex of exceptions)");
      expect(md.stdout).toContain(
        "| WVR-2026-011 | active | 5.14.01, 8.24.04 | storage-account-require-tls12 | RA-2026-015 |",
      );
      const html = join(dir, "vvt.html");
      expect(
        (await runCli(["vvt", knownViolations, "--waivers", waiversFile, "--format", "html", "--out", html])).code,
      ).toBe(0);
      const page = readFileSync(html, "utf8");
      expect(page).toMatch(/^<!doctype html>/);
      expect(page).toContain("&quot;http://x&quot;");
      expect(page).not.toMatch(/<(script|link|img|iframe)\b/i);
      const catalog = await runCli(["vvt", "--format", "oscal-catalog"]);
      expect(catalog.code, catalog.stderr).toBe(0);
      expect(
        (JSON.parse(catalog.stdout) as { catalog: { metadata: { version: string } } }).catalog.metadata.version,
      ).toBe("1.3");
      const both = await runCli(["vvt", knownViolations, "--format", "oscal-catalog"]);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain("--format oscal-catalog writes the BIO2 catalog: give no document or --stack");
    },
  );
});

describe("muniops vvt --stack", () => {
  it("takes the results from the stack's offline plan, as `muniops audit --stack` does", async () => {
    const vvt = await runVvt({
      stack: "dev",
      format: "json",
      out: join(dir, "dev.json"),
      applicability,
      waivers: join(fixtures, "no-waivers.yaml"),
      now,
      notice: () => undefined,
    });
    expect(vvt!.audited).toEqual({ document: "the plan of stack dev", stack: "dev" });
    // the dev stack's hub firewall and WAF: traffic to and from the trusted zone is analysed
    expect(vvt!.rows.find((r) => r.id === "8.21.02")!.status).toBe("pass");
    // no mandatory policy fails on the sample stack; the advisory ones that do are what dev chooses to skip
    // (DDoS protection, a Key Vault firewall) and the workspace's 90 days, below the 183 of 8.18.02
    const failing = vvt!.rows.flatMap((r) =>
      r.evidence.filter((e) => e.result === "fail").map((e) => `${r.id} ${e.policyId}`),
    );
    expect(
      failing.filter((f) => policies.find((p) => f.endsWith(` ${p.name}`))?.enforcementLevel === "mandatory"),
    ).toEqual([]);
    expect(failing).toContain("8.15.04 operationalinsights-workspace-require-retention");
  }, 120_000);
});
