// `muniops evidence --year 2026`: the ENSIA dossier from the audit history of a fixture ledger with
// audits before, in and after the year and a waiver granted and expiring in it. The manifest verifies
// with the real sha256sum and fails after one byte changes; the dossier holds every run of the year, the
// last one before the peildatum as bestaan, the drift, the waiver events, the inventory and the VvT; the
// page's download is the same dossier zipped.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { evidenceDossierZip, runAndStoreAudits } from "../../../dashboard/app/complianceReports.js";
import { openLedger } from "../../../dashboard/data-access/database.js";
import { parseCsv } from "../../../dashboard/domain/csv.js";
import { repoRoot, runCli } from "../../helpers/cli.js";

const preview = join(repoRoot, "test/fixtures/policies/known-violations.preview.json");
const inventory = join(repoRoot, "test/fixtures/inventory.json");
const waivers = `schemaVersion: 1
waivers:
  - id: WVR-2026-010
    policies: [storage-account-require-tls12]
    scope: { stacks: [dev] }
    broad: true
    category: Waiver
    justification: Legacy client until migration.
    riskOwner: CISO
    riskAnalysis: RA-2026-003
    approvedBy: CISO
    approvedOn: 2026-01-10
    ticket: TOPdesk I10
    expiresOn: 2026-09-30
`;

let dir: string;
let databaseUrl: string;
let waiversFile: string;
const out = () => join(dir, "dossier");
const times = ["2025-12-15T08:00:00Z", "2026-03-01T08:00:00Z", "2026-06-01T08:00:00Z", "2026-11-01T08:00:00Z"]
  .concat(["2027-01-10T08:00:00Z"])
  .map((t) => Date.parse(t));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muniops-evidence-"));
  databaseUrl = join(dir, "ledger.db");
  waiversFile = join(dir, "waivers.yaml");
  writeFileSync(waiversFile, waivers);
  const ledger = await openLedger(databaseUrl, { create: true });
  try {
    await runAndStoreAudits(ledger.db, { previewFile: preview, waiversFile }, { actor: "ci", times });
  } finally {
    await ledger.close();
  }
  const res = await runCli([
    "evidence",
    "--year",
    "2026",
    "--out",
    out(),
    "--database-url",
    databaseUrl,
    "--waivers",
    waiversFile,
    "--inventory",
    inventory,
  ]);
  expect(res.code, res.stderr).toBe(0);
  expect(res.stderr).toMatch(/wrote the 2026 dossier of dev to .*sha256sum -c manifest\.sha256/);
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const read = (path: string) => readFileSync(join(out(), path), "utf8");
const csv = (path: string) => parseCsv(read(path)).map((r) => r.fields);

describe("muniops evidence", () => {
  test("the manifest lists every file and verifies with sha256sum; one changed byte fails it", () => {
    const manifest = read("manifest.sha256");
    const listed = manifest.trimEnd().split("\n");
    for (const line of listed) expect(line).toMatch(/^[0-9a-f]{64} {2}[^ ].*$/);
    const files = execFileSync("find", [".", "-type", "f", "!", "-name", "manifest.sha256"], { cwd: out() })
      .toString()
      .trim()
      .split("\n")
      .map((f) => f.replace(/^\.\//, ""))
      .sort();
    expect(listed.map((l) => l.slice(66)).sort()).toEqual(files);
    const ok = spawnSync("sha256sum", ["-c", "--strict", "manifest.sha256"], { cwd: out() });
    expect(ok.status, ok.stdout.toString() + ok.stderr.toString()).toBe(0);

    const target = join(out(), "maatregelen.csv");
    const bytes = readFileSync(target);
    const original = Buffer.from(bytes);
    bytes.writeUInt8(bytes.readUInt8(10) ^ 1, 10);
    writeFileSync(target, bytes);
    const bad = spawnSync("sha256sum", ["-c", "manifest.sha256"], { cwd: out() });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout.toString()).toMatch(/^maatregelen\.csv: FAILED$/m);
    writeFileSync(target, original);
  });

  test("werking: every audit of 2026, none of 2025 or 2027; bestaan: the last before the peildatum", () => {
    const runs = csv("werking/audits.csv");
    expect(runs[0]?.slice(0, 3)).toEqual(["audit", "stack", "gegenereerd"]);
    expect(runs.slice(1).map((r) => [r[0], r[2]])).toEqual([
      ["2", "2026-03-01T08:00:00.000Z"],
      ["3", "2026-06-01T08:00:00.000Z"],
      ["4", "2026-11-01T08:00:00.000Z"],
    ]);
    const sha = execFileSync("sha256sum", [preview]).toString().slice(0, 64);
    for (const r of runs.slice(1)) expect(r[6]).toBe(sha);
    expect(runs[1]?.[13]).toBe("WVR-2026-010(1)");
    expect(runs[3]?.[13]).toBe("");
    expect(existsSync(join(out(), "bestaan/audit-4.json"))).toBe(true);
    for (const id of [2, 3, 4]) expect(existsSync(join(out(), `werking/audits/audit-${id}.json`))).toBe(true);
    expect(existsSync(join(out(), "werking/audits/audit-5.json"))).toBe(false);
  });

  test("per measure opzet, bestaan, werking; drift and the waiver granted and expired in the year", () => {
    const measures = csv("maatregelen.csv");
    const tls = measures.find((r) => r[0] === "8.24.04");
    expect(tls?.[3]).toContain("storage-account-require-tls12");
    // bestaan: audit 4 of 2026-11-01, failing once the waiver expired; werking: 3 audits, 2 waived, 1 fail, 1 change
    expect(tls?.slice(5, 13)).toEqual(["4", "2026-11-01T08:00:00.000Z", "fail", "3", "0", "1", "2", "1"]);
    const policy = measures.find((r) => r[0] === "5.01.01");
    expect(policy?.[3]).toBe("geen controle: procedure of organisatorisch");
    const drift = csv("werking/drift.csv");
    expect(drift.slice(1).filter((r) => r[3] === "8.24.04")).toEqual([
      ["3", "4", "2026-11-01T08:00:00.000Z", "8.24.04", "waived", "fail", "nee"],
    ]);
    expect(csv("werking/waivers.csv").slice(1)).toEqual([
      ["verleend", "2026-01-10", "WVR-2026-010", "storage-account-require-tls12", "RA-2026-003", "CISO"],
      ["verlopen", "2026-09-30", "WVR-2026-010", "storage-account-require-tls12", "RA-2026-003", "CISO"],
    ]);
    expect(csv("inventaris/assets.csv").length).toBeGreaterThan(1);
    expect(read("vvt/vvt.md")).toMatch(/8\.24\.04/);
    expect(read("LEESMIJ.md")).toMatch(/Peildatum: 2026-12-31/);
  });

  test("the page's download: the same files zipped, manifest included", async () => {
    const ledger = await openLedger(databaseUrl);
    try {
      const { fileName, zip } = await evidenceDossierZip(
        ledger.db,
        { previewFile: undefined, waiversFile, inventoryFile: inventory },
        { year: 2026, now: Date.parse("2027-01-15T00:00:00Z") },
      );
      expect(fileName).toBe("ensia-2026-dev.zip");
      const entries = unzipSync(zip);
      const manifest = new TextDecoder().decode(entries["ensia-2026-dev/manifest.sha256"]);
      expect(manifest).toContain("  werking/audits.csv\n");
      const measures = new TextDecoder().decode(entries["ensia-2026-dev/maatregelen.csv"]);
      expect(measures).toBe(read("maatregelen.csv"));
    } finally {
      await ledger.close();
    }
  });

  test("bad input: a year that is not one, a stack without audits (exit 2, naming it)", async () => {
    const year = await runCli(["evidence", "--year", "26", "--out", join(dir, "x"), "--database-url", databaseUrl]);
    expect(year.code).toBe(2);
    expect(year.stderr).toMatch(/--year must be a year such as 2026, got "26"/);
    const stack = await runCli([
      "evidence",
      "--year",
      "2026",
      "--out",
      join(dir, "y"),
      "--database-url",
      databaseUrl,
      "--stack",
      "prod",
    ]);
    expect(stack.code).toBe(2);
    expect(stack.stderr).toMatch(/no audit of stack "prod" up to 2026; stacks with an audit: dev/);
  });
});
