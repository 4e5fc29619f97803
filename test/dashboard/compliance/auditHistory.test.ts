// The audit history: `muniops audit --record` stores the run in the ledger named by --database-url, as
// the dashboard stores its runs and uploads: the document's SHA-256 (what sha256sum says of the file), the
// baseline, the report with its per-policy results and waivers, and a result row per BIO2 entry; a failing
// run is recorded too, before its exit code.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openLedger, type Ledger } from "../../../dashboard/data-access/database.js";
import { measureResultsBetween } from "../../../dashboard/data-access/auditReports.js";
import { bio2Catalog, isLive } from "../../../policies/bio2Catalog.js";
import { repoRoot, runCli } from "../../helpers/cli.js";

const fixtures = join(repoRoot, "test/fixtures/policies");
const compliant = join(fixtures, "compliant.preview.json");
const violations = join(fixtures, "known-violations.preview.json");
const noWaivers = join(fixtures, "no-waivers.yaml");

let dir: string;
let databaseUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muniops-history-"));
  databaseUrl = join(dir, "ledger.db");
  const created = await runCli(["db", "migrate", "--database-url", databaseUrl]);
  expect(created.code, created.stderr).toBe(0);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function withLedger<T>(fn: (ledger: Ledger) => Promise<T>): Promise<T> {
  const ledger = await openLedger(databaseUrl);
  try {
    return await fn(ledger);
  } finally {
    await ledger.close();
  }
}

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

describe("muniops audit --record", () => {
  test("records a passing and a failing run with document hash, baseline and per-measure results", async () => {
    const common = ["--waivers", noWaivers, "--format", "json", "--out", join(dir, "r.json")];
    const ok = await runCli(["audit", compliant, ...common, "--record", "--database-url", databaseUrl]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/recorded as audit 1 in /);
    const bad = await runCli([
      "audit",
      violations,
      ...common,
      "--baseline",
      "cloud-theme",
      "--record",
      "--database-url",
      databaseUrl,
      "--actor",
      "ci",
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/recorded as audit 2 in /);

    await withLedger(async ({ db }) => {
      const rows = await db
        .selectFrom("audit_reports")
        .select(["id", "source", "received_from", "passed", "document_sha256", "baseline", "report"])
        .orderBy("id")
        .execute();
      expect(rows.map((r) => [Number(r.id), r.source, r.passed, r.document_sha256, r.baseline])).toEqual([
        [1, "cli", 1, sha256(compliant), "bio2"],
        [2, "cli", 0, sha256(violations), "cloud-theme"],
      ]);
      expect(rows[1]?.received_from).toBe("ci");
      const report = JSON.parse(rows[1]?.report ?? "{}") as { policies: { bio2Measures?: string[] }[] };
      expect(report.policies.some((p) => (p.bio2Measures ?? []).length > 0)).toBe(true);
      const stack = (await db.selectFrom("audit_reports").select("stack").where("id", "=", 2).executeTakeFirst())
        ?.stack;
      const results = await measureResultsBetween(db, { stack: stack ?? "", from: "2000", to: "9999" });
      const second = results.filter((r) => r.reportId === 2);
      // a row per live BIO2 entry, even for a report made in the Cloud-theme baseline
      expect(second.map((r) => r.measure).sort()).toEqual(
        bio2Catalog()
          .entries.filter(isLive)
          .map((e) => e.id)
          .sort(),
      );
      expect(second.some((r) => r.state === "fail")).toBe(true);
      expect(second.find((r) => r.measure === "5.01.01")?.state).toBe("not-covered");
      const log = await db.selectFrom("audit_log").select(["action", "entity"]).execute();
      expect(log.filter((l) => l.entity === "audit_report").map((l) => l.action)).toEqual(["record", "record"]);
    });
  });

  test("without a ledger: exit 2 naming it, after the report", async () => {
    const missing = join(dir, "none.db");
    const res = await runCli(["audit", compliant, "--waivers", noWaivers, "--record", "--database-url", missing]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(missing);
  });
});
