// `muniops ledger verify` against a ledger file edited behind muniops's back, each way an insider with the
// SQLite file could: a statement, a statement with every later hash recomputed, the latest close deleted
// (with and without its audit entries), who closed and when, a sign-off deleted or altered. Every edit is
// reported (exit 1, the kind and the record named); an untouched copy verifies.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLedger } from "../../dashboard/data-access/database.js";
import { chainRecordHash, statementHashOf } from "../../dashboard/data-access/ledgerChain.js";
import { closePeriod, chainHash, genesisHash, setStatementStatus } from "../../dashboard/app/close.js";
import { importMasterData } from "../../dashboard/app/ledgerImport.js";
import { runCli } from "../helpers/cli.js";
import { fixtureDir } from "./helpers/handMonth.js";

const dir = mkdtempSync(join(tmpdir(), "muniops-verify-"));
const base = join(dir, "base.db");
const novemberPdf = join(dir, "bz-2026-11.pdf");
let copies = 0;

/** Seed through muniops: two closed months, two sign-offs and a dispute; and November's statement PDF. */
beforeAll(async () => {
  const ledger = await openLedger(base, { create: true });
  try {
    const masterData = readFileSync(join(fixtureDir, "hand-month.yaml"), "utf8");
    await importMasterData(ledger, masterData, { format: "yaml", source: "hand-month.yaml", actor: "test" });
    await closePeriod(ledger, "2026-10", { actor: "anna", acceptGaps: true, now: Date.parse("2026-11-02T09:00:00Z") });
    await setStatementStatus(ledger, "2026-10", "burgerzaken", "signed-off", "controller-bz");
    await setStatementStatus(ledger, "2026-10", "belastingen", "disputed", "controller-bel", "licence count");
    await closePeriod(ledger, "2026-11", { actor: "anna", acceptGaps: true, now: Date.parse("2026-12-02T09:00:00Z") });
  } finally {
    await ledger.close();
  }
  const statement = ["statement", "--period", "2026-11", "--department", "burgerzaken", "--format", "pdf"];
  const pdf = await runCli([...statement, "--out", novemberPdf, "--database-url", base]);
  expect(pdf.code, pdf.stderr).toBe(0);
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A copy of the seeded ledger with `edit` applied to the file directly, as an insider would. */
function tampered(edit: (db: Database.Database) => void): string {
  const path = join(dir, `copy-${++copies}.db`);
  copyFileSync(base, path);
  const db = new Database(path);
  try {
    edit(db);
  } finally {
    db.close();
  }
  return path;
}

const verify = (path: string, ...args: string[]) => runCli(["ledger", "verify", "--database-url", path, ...args]);

interface PeriodRow {
  period: string;
  statement: string;
}

interface ChainRow {
  seq: number;
  kind: "close" | "sign-off" | "dispute";
  period: string;
  department: string | null;
  actor: string;
  at: string;
  comment: string | null;
  statement_hash: string;
}

/** Recompute every hash the ledger holds, periods and chain records alike, as a careful forger would. */
function rehashEverything(db: Database.Database): void {
  let prev = genesisHash;
  const periods = db.prepare("select period, statement from periods order by seq").all() as PeriodRow[];
  for (const p of periods) {
    const hash = chainHash(prev, p.statement);
    db.prepare("update periods set prev_hash = ?, hash = ? where period = ?").run(prev, hash, p.period);
    const chainStatement = db.prepare("update ledger_chain set statement_hash = ? where period = ?");
    chainStatement.run(statementHashOf(p.statement), p.period);
    prev = hash;
  }
  const records = db.prepare("select * from ledger_chain order by seq").all() as ChainRow[];
  let prevRecord = genesisHash;
  for (const { statement_hash: statementHash, ...r } of records) {
    const hash = chainRecordHash({ ...r, statementHash, prevHash: prevRecord });
    db.prepare("update ledger_chain set prev_hash = ?, hash = ? where seq = ?").run(prevRecord, hash, r.seq);
    prevRecord = hash;
  }
}

function editOctoberTotal(db: Database.Database): void {
  const edit = `replace(statement, '"total":"3000.01"', '"total":"2000.01"')`;
  const changed = db.prepare(`update periods set statement = ${edit} where period = '2026-10'`).run().changes;
  expect(changed).toBe(1);
}

function deleteLatestClose(db: Database.Database): void {
  db.prepare("delete from statement_status where period = '2026-11'").run();
  db.prepare("delete from periods where period = '2026-11'").run();
  db.prepare("delete from ledger_chain where period = '2026-11'").run();
}

describe("muniops ledger verify", () => {
  it("passes an untouched ledger, naming the chain's head", async () => {
    const result = await verify(tampered(() => undefined));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^chain intact over 2 closed periods and 4 records, head record 4 [0-9a-f]{64}\n$/);
  });

  it("reports an edited statement", async () => {
    const path = tampered((db) => {
      editOctoberTotal(db);
    });
    const result = await verify(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("muniops: the ledger's chain does not verify");
    expect(result.stderr).toContain(
      "edited: the statement of 2026-10 was changed after its close: its SHA-256 no longer matches",
    );
    expect(result.stderr).toContain("edited: the statement of 2026-10 is not the one its close (chain record 1) froze");
  });

  it("reports an edited statement whose later hashes were all recomputed, against the audit log", async () => {
    const path = tampered((db) => {
      editOctoberTotal(db);
      rehashEverything(db);
    });
    const result = await verify(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        String.raw`rehashed: chain record 1 \(close of 2026-10 by anna at 2026-11-02T09:00:00\.000Z\) ` +
          String.raw`has hash [0-9a-f]{64}, ` +
          String.raw`but the audit log \(entry \d+, close 2026-10\) recorded [0-9a-f]{64}: ` +
          "the chain was rewritten and its hashes recomputed; 3 more recorded positions differ too",
      ),
    );
    expect(result.stderr).not.toContain("edited:");
  });

  it("reports the latest close deleted, against the audit log", async () => {
    const result = await verify(tampered(deleteLatestClose));
    expect(result.code).toBe(1);
    const cut =
      /truncated: the chain ends at record 3, but the audit log \(entry \d+, close 2026-11\) recorded record 4: /u;
    expect(result.stderr).toMatch(new RegExp(`${cut.source}1 record deleted from its end`));
  });

  it("reports the latest close deleted with its audit entries too, against the month's statement PDF", async () => {
    const path = tampered((db) => {
      deleteLatestClose(db);
      db.prepare("delete from audit_log where entity = 'period' and entity_id = '2026-11'").run();
    });
    const quiet = await verify(path);
    expect(quiet.code, "without outside evidence the shortened ledger is consistent").toBe(0);
    const result = await verify(path, "--statement-pdf", novemberPdf);
    expect(result.code).toBe(1);
    const cut = `truncated: the chain ends at record 3, but the statement PDF ${novemberPdf} recorded record 4`;
    expect(result.stderr).toContain(`${cut}: 1 record deleted from its end`);
  });

  it("reports a close whose month was reopened by deleting its period row", async () => {
    const result = await verify(tampered((db) => db.prepare("delete from periods where period = '2026-11'").run()));
    expect(result.code).toBe(1);
    const chained = "the close of 2026-11 by anna at 2026-12-02T09:00:00.000Z (chain record 4) is in the chain";
    expect(result.stderr).toContain(
      `truncated: ${chained}, but 2026-11 is no longer closed in the ledger: its close was deleted`,
    );
  });

  it("reports who closed and when, changed", async () => {
    const path = tampered((db) => {
      const set = "closed_by = 'mallory', closed_at = '2026-11-01T00:00:00.000Z'";
      db.prepare(`update periods set ${set} where period = '2026-10'`).run();
    });
    const result = await verify(path);
    expect(result.code).toBe(1);
    const ledgerSays = 'edited: who closed 2026-10 was changed: the ledger says "mallory"';
    expect(result.stderr).toContain(`${ledgerSays}, its chain record 1 "anna"`);
    const when = 'edited: when 2026-10 was changed: the ledger says "2026-11-01T00:00:00.000Z"';
    expect(result.stderr).toContain(`${when}, its chain record 1 "2026-11-02T09:00:00.000Z"`);
  });

  it("reports who closed changed in the chain record too, and rehashed", async () => {
    const path = tampered((db) => {
      db.prepare("update periods set closed_by = 'mallory' where period = '2026-10'").run();
      db.prepare("update ledger_chain set actor = 'mallory' where seq = 1").run();
      rehashEverything(db);
    });
    const result = await verify(path);
    expect(result.code).toBe(1);
    const rehashed =
      /rehashed: chain record 1 \(close of 2026-10 by mallory at .*\) has hash \w{64}, but the audit log/;
    expect(result.stderr).toMatch(rehashed);
  });

  it("reports a deleted sign-off", async () => {
    const deleted = tampered((db) => db.prepare("delete from statement_status where department = 'burgerzaken'").run());
    const result = await verify(deleted);
    expect(result.code).toBe(1);
    const signOff = /edited: the sign-off of 2026-10\/burgerzaken by controller-bz at \S+ \(chain record 2\) /;
    expect(result.stderr).toMatch(new RegExp(`${signOff.source}was deleted from the ledger`));
  });

  it("reports an altered dispute, and a chain record edited to match it", async () => {
    const undispute =
      "update statement_status set status = 'signed-off', comment = null where department = 'belastingen'";
    const path = tampered((db) => db.prepare(undispute).run());
    const result = await verify(path);
    expect(result.code).toBe(1);
    const differs = "edited: the sign-off of 2026-10/belastingen differs from its chain record 3: ";
    const fields = 'status "signed-off" (chain: "disputed"), comment "null" (chain: "licence count")';
    expect(result.stderr).toContain(`${differs}${fields}`);
    const both = tampered((db) => {
      db.prepare(undispute).run();
      db.prepare("update ledger_chain set kind = 'sign-off', comment = null where seq = 3").run();
    });
    const chained = await verify(both);
    expect(chained.code).toBe(1);
    expect(chained.stderr).toContain("edited: chain record 3 (sign-off of 2026-10/belastingen by controller-bel at");
    expect(chained.stderr).toContain(") was changed: its hash no longer matches its content");
  });

  it("refuses a statement PDF without a chain position, naming it", async () => {
    const result = await verify(base, "--statement-pdf", join(dir, "missing.pdf"));
    expect(result.code).toBe(2);
    const missing = join(dir, "missing.pdf");
    const valid = "give a PDF written by `muniops statement --format pdf`";
    expect(result.stderr.trim()).toBe(`muniops: --statement-pdf ${missing} does not exist: ${valid}`);
  });
});
