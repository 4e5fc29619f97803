// Closed periods (frozen statements in a SHA-256 chain), statement sign-off, and adjustments. The guard
// `assertPeriodOpen` is what every writer of usage, rates and adjustments calls inside its transaction.
import { ConflictError } from "../../errors.js";
import type { LedgerDb, LedgerTrx } from "./database.js";
import { big } from "./schema.js";
import type { Adjustment } from "../domain/records.js";

export class PeriodClosedError extends ConflictError {
  constructor(
    readonly period: string,
    what: string,
  ) {
    super(
      `period ${period} is closed: ${what} is refused; record a correction as an adjustment in an open ` +
        `period (muniops ledger adjust --refers-to ${period})`,
    );
    this.name = "PeriodClosedError";
  }
}

export interface ClosedPeriod {
  period: string;
  seq: number;
  closedAt: string;
  closedBy: string;
  statement: string;
  prevHash: string;
  hash: string;
}

export async function latestClosedPeriod(db: LedgerDb | LedgerTrx): Promise<ClosedPeriod | undefined> {
  const row = await db.selectFrom("periods").selectAll().orderBy("seq", "desc").limit(1).executeTakeFirst();
  return row && toClosed(row);
}

export async function closedPeriod(db: LedgerDb | LedgerTrx, period: string): Promise<ClosedPeriod | undefined> {
  const row = await db.selectFrom("periods").selectAll().where("period", "=", period).executeTakeFirst();
  return row && toClosed(row);
}

export async function allClosedPeriods(db: LedgerDb | LedgerTrx): Promise<ClosedPeriod[]> {
  const rows = await db.selectFrom("periods").selectAll().orderBy("seq", "asc").execute();
  return rows.map(toClosed);
}

function toClosed(r: {
  period: string;
  seq: number;
  closed_at: string;
  closed_by: string;
  statement: string;
  prev_hash: string;
  hash: string;
}): ClosedPeriod {
  return {
    period: r.period,
    seq: r.seq,
    closedAt: r.closed_at,
    closedBy: r.closed_by,
    statement: r.statement,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** Periods close in order, so "closed" is every month up to and including the latest closed one. */
export async function assertPeriodOpen(trx: LedgerDb | LedgerTrx, period: string, what: string): Promise<void> {
  const latest = await latestClosedPeriod(trx);
  if (latest && period <= latest.period) throw new PeriodClosedError(period, what);
}

export async function insertClosedPeriod(trx: LedgerTrx, closed: ClosedPeriod): Promise<void> {
  await trx
    .insertInto("periods")
    .values({
      period: closed.period,
      status: "closed",
      seq: closed.seq,
      closed_at: closed.closedAt,
      closed_by: closed.closedBy,
      statement: closed.statement,
      prev_hash: closed.prevHash,
      hash: closed.hash,
    })
    .execute();
}

export type StatementState = "signed-off" | "disputed";

export interface StatementStatus {
  period: string;
  department: string;
  status: StatementState;
  actor: string;
  at: string;
  comment: string | null;
}

export async function statementStatuses(db: LedgerDb | LedgerTrx, period: string): Promise<StatementStatus[]> {
  const rows = await db
    .selectFrom("statement_status")
    .selectAll()
    .where("period", "=", period)
    .orderBy("department")
    .execute();
  return rows.map((r) => ({
    period: r.period,
    department: r.department,
    status: r.status as StatementState,
    actor: r.actor,
    at: r.at,
    comment: r.comment,
  }));
}

/** Every statement's sign-off or dispute, of every closed month (for `ledger verify`). */
export async function statementStatusesOfAll(db: LedgerDb | LedgerTrx): Promise<StatementStatus[]> {
  const rows = await db.selectFrom("statement_status").selectAll().orderBy("period").orderBy("department").execute();
  return rows.map((r) => ({ ...r, status: r.status as StatementState }));
}

export async function upsertStatementStatus(trx: LedgerTrx, s: StatementStatus): Promise<void> {
  await trx
    .insertInto("statement_status")
    .values({
      period: s.period,
      department: s.department,
      status: s.status,
      actor: s.actor,
      at: s.at,
      comment: s.comment,
    })
    .onConflict((oc) =>
      oc
        .columns(["period", "department"])
        .doUpdateSet({ status: s.status, actor: s.actor, at: s.at, comment: s.comment }),
    )
    .execute();
}

export async function adjustmentsFor(db: LedgerDb | LedgerTrx, period: string): Promise<Adjustment[]> {
  const rows = await db.selectFrom("adjustments").selectAll().where("period", "=", period).orderBy("id").execute();
  return rows.map((r) => ({
    id: Number(r.id),
    period: r.period,
    department: r.department,
    amountCents: big(r.amount_cents),
    reason: r.reason,
    refersToPeriod: r.refers_to_period,
    actor: r.actor,
    at: r.at,
  }));
}

export async function insertAdjustment(trx: LedgerTrx, a: Omit<Adjustment, "id">): Promise<number> {
  const row = await trx
    .insertInto("adjustments")
    .values({
      period: a.period,
      department: a.department,
      amount_cents: a.amountCents.toString(),
      reason: a.reason,
      refers_to_period: a.refersToPeriod,
      actor: a.actor,
      at: a.at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}
