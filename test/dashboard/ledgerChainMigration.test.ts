// A ledger closed before the chain existed gets its closes and sign-offs chained by the upgrade, on both
// backends; from then on `verifyLedger` catches an edit of who closed, and a deleted latest close.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { openLedger, type Ledger } from "../../dashboard/data-access/database.js";
import { closePeriod, setStatementStatus } from "../../dashboard/app/close.js";
import { importMasterData } from "../../dashboard/app/ledgerImport.js";
import { verifyLedger } from "../../dashboard/app/ledgerVerify.js";
import { backends } from "./helpers/backends.js";
import { fixtureDir } from "./helpers/handMonth.js";

/** Two closed months with a sign-off, then the ledger as it was before migration 0006: no chain at all. */
async function preChainLedger(url: string): Promise<void> {
  const ledger = await openLedger(url, { create: true });
  try {
    const masterData = readFileSync(join(fixtureDir, "hand-month.yaml"), "utf8");
    await importMasterData(ledger, masterData, { format: "yaml", source: "hand-month.yaml", actor: "test" });
    await closePeriod(ledger, "2026-10", { actor: "anna", acceptGaps: true, now: Date.parse("2026-11-02T09:00:00Z") });
    await setStatementStatus(ledger, "2026-10", "burgerzaken", "signed-off", "controller-bz");
    await closePeriod(ledger, "2026-11", { actor: "anna", acceptGaps: true, now: Date.parse("2026-12-02T09:00:00Z") });
    await sql`drop table ledger_chain`.execute(ledger.db);
    await sql`delete from schema_migrations where name = '0006_ledger_chain'`.execute(ledger.db);
    const entries = await ledger.db.selectFrom("audit_log").select(["id", "after"]).execute();
    for (const e of entries.filter((x) => x.after?.includes('"chain"'))) {
      const { chain: _none, ...after } = JSON.parse(e.after ?? "{}") as Record<string, unknown>;
      await ledger.db
        .updateTable("audit_log")
        .set({ after: JSON.stringify(after) })
        .where("id", "=", e.id)
        .execute();
    }
  } finally {
    await ledger.close();
  }
}

describe.each(backends)("the chain on upgrade, on $name", (backend) => {
  afterAll(async () => {
    await backend.cleanup();
  });

  it("chains the closed months and sign-offs there were, and catches edits after", { timeout: 120_000 }, async () => {
    const url = await backend.createUrl();
    await preChainLedger(url);
    const ledger: Ledger = await openLedger(url); // runs 0006
    try {
      const upgraded = await verifyLedger(ledger);
      expect(upgraded).toMatchObject({ ok: true, periods: 2, records: 3, problems: [] });
      const columns = ["seq", "kind", "period", "department", "actor"] as const;
      const records = await ledger.db.selectFrom("ledger_chain").select(columns).orderBy("seq").execute();
      expect(records.map((r) => [Number(r.seq), r.kind, r.period, r.department, r.actor])).toEqual([
        [1, "close", "2026-10", null, "anna"],
        [2, "sign-off", "2026-10", "burgerzaken", "controller-bz"],
        [3, "close", "2026-11", null, "anna"],
      ]);

      await ledger.db.updateTable("periods").set({ closed_by: "mallory" }).where("period", "=", "2026-10").execute();
      const edited = await verifyLedger(ledger);
      expect(edited.ok).toBe(false);
      expect(edited.problems).toContainEqual({
        kind: "edited",
        message: 'who closed 2026-10 was changed: the ledger says "mallory", its chain record 1 "anna"',
      });
      await ledger.db.updateTable("periods").set({ closed_by: "anna" }).where("period", "=", "2026-10").execute();

      await ledger.db.deleteFrom("periods").where("period", "=", "2026-11").execute();
      await ledger.db.deleteFrom("ledger_chain").where("seq", "=", 3).execute();
      const truncated = await verifyLedger(ledger);
      expect(truncated.problems.map((p) => p.kind)).toEqual(["truncated"]);
      const cut = /^the chain ends at record 2, but the audit log \(entry \d+, chain 3\) recorded record 3/;
      expect(truncated.problems[0]?.message).toMatch(cut);
    } finally {
      await ledger.close();
    }
  });
});
