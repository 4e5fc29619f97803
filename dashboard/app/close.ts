// Closing a month: its statements are frozen as canonical JSON in a SHA-256 chain (each hash covers the
// previous one), so a rewritten closed month shows. Sign-off and dispute are recorded per department.
// Every close, sign-off and dispute is also a record of the ledger chain (ledgerChain.ts: who, when,
// which statement), whose position goes into the audit entry of the same transaction.
import { createHash } from "node:crypto";
import { OperationFailedError, UsageError, ConflictError } from "../../errors.js";
import { writeAudit } from "../data-access/auditLog.js";
import { lockPeriods, type Ledger } from "../data-access/database.js";
import { appendChainRecord, statementHashOf } from "../data-access/ledgerChain.js";
import { type ChainAnchor } from "../domain/records.js";
import {
  allClosedPeriods,
  closedPeriod,
  latestClosedPeriod,
  insertClosedPeriod,
  upsertStatementStatus,
  type StatementState,
} from "../data-access/periods.js";
import { rollupDays } from "../data-access/usage.js";
import { chargebackError, chargebackJson, type ChargebackJson } from "../domain/chargeback.js";
import { computePeriod, type PeriodChargeback } from "./chargeback.js";
import { describeUnmetered } from "./chargebackUnmetered.js";
import { currentPeriod, daysOf, nextPeriod, parsePeriod } from "../domain/period.js";

export const genesisHash = "0".repeat(64);

export function chainHash(prevHash: string, statement: string): string {
  return createHash("sha256").update(prevHash).update("\n").update(statement).digest("hex");
}

export interface CloseResult {
  period: string;
  hash: string;
  prevHash: string;
  statement: ChargebackJson;
  /** The close's record in the ledger chain: the position the audit log and the statement PDF carry. */
  chain: ChainAnchor;
}

export interface CloseOptions {
  actor: string;
  /** Close although some host-hours have no data (they stay unbilled; the statement shows how many). */
  acceptGaps?: boolean;
  now?: number;
}

export async function closePeriod(ledger: Ledger, period: string, options: CloseOptions): Promise<CloseResult> {
  parsePeriod(period);
  const now = options.now ?? Date.now();
  if (period >= currentPeriod(now))
    throw new UsageError(`--period ${period} has not ended yet: only a past month can be closed`);
  return ledger.db.transaction().execute(async (trx) => {
    await lockPeriods(trx, ledger.dialect, "exclusive");
    const latest = await latestClosedPeriod(trx);
    if (latest && period <= latest.period)
      throw new ConflictError(
        `period ${period} is already closed${latest.period === period ? "" : ` (closed up to ${latest.period})`}`,
      );
    if (latest && period !== nextPeriod(latest.period))
      throw new ConflictError(`periods close in order: close ${nextPeriod(latest.period)} before ${period}`);
    await rollupDays(trx, daysOf(period));
    const result = await computePeriod(trx, period, undefined, now);
    if (result.gapHours + result.unmeteredHours > 0 && options.acceptGaps !== true)
      throw new OperationFailedError(refusal(period, result));
    // usage the rate card does not price would be frozen as free: never accepted, the card is repaired first
    const unpriced = result.unpriced.map((u) => chargebackError(u).message);
    if (unpriced.length > 0)
      throw new OperationFailedError(`period ${period} has unpriced usage: ${unpriced.join("; ")}`);
    const statement = chargebackJson(result, "closed");
    const text = JSON.stringify(statement);
    const prevHash = latest?.hash ?? genesisHash;
    const hash = chainHash(prevHash, text);
    const closedAt = new Date(now).toISOString();
    await insertClosedPeriod(trx, {
      period,
      seq: (latest?.seq ?? 0) + 1,
      closedAt,
      closedBy: options.actor,
      statement: text,
      prevHash,
      hash,
    });
    const record = await appendChainRecord(trx, {
      kind: "close",
      period,
      department: null,
      actor: options.actor,
      at: closedAt,
      comment: null,
      statementHash: statementHashOf(text),
    });
    const chain = { seq: record.seq, hash: record.hash };
    const { gapHours, unmeteredHours } = result;
    const after = { status: "closed", hash, prevHash, total: statement.total, gapHours, unmeteredHours, chain };
    const entry = { actor: options.actor, action: "close", entity: "period", entityId: period, at: closedAt };
    await writeAudit(trx, { ...entry, before: { status: "open" }, after });
    return { period, hash, prevHash, statement, chain };
  });
}

/** Why a month with hours nobody billed does not close: how many, which hosts, and the two ways on. */
function refusal(period: string, result: PeriodChargeback): string {
  const missing = [
    result.gapHours > 0 ? `${result.gapHours} host-hours without data` : "",
    result.unmeteredHours > 0
      ? `${result.unmeteredHours} host-hours never metered (${describeUnmetered(result.unmetered)})`
      : "",
  ].filter((part) => part !== "");
  return (
    `period ${period} has ${missing.join(" and ")}: run \`muniops meter\` to backfill them, or close with ` +
    `--accept-gaps to leave them unbilled`
  );
}

/** Recompute the chain over every closed period; returns the first period whose hash does not match. */
export async function verifyChain(ledger: Ledger): Promise<{ ok: boolean; periods: number; brokenAt?: string }> {
  const periods = await allClosedPeriods(ledger.db);
  let prev = genesisHash;
  for (const p of periods) {
    if (p.prevHash !== prev || chainHash(prev, p.statement) !== p.hash)
      return { ok: false, periods: periods.length, brokenAt: p.period };
    prev = p.hash;
  }
  return { ok: true, periods: periods.length };
}

export async function setStatementStatus(
  ledger: Ledger,
  period: string,
  department: string,
  status: StatementState,
  actor: string,
  comment: string | null = null,
): Promise<void> {
  parsePeriod(period);
  if (status === "disputed" && (comment === null || comment.trim() === ""))
    throw new UsageError("a dispute needs a reason (--reason)");
  await ledger.db.transaction().execute(async (trx) => {
    // exclusive, as a close: the chain record takes the next place, which two writers must not both take
    await lockPeriods(trx, ledger.dialect, "exclusive");
    const closed = await closedPeriod(trx, period);
    if (!closed)
      throw new ConflictError(
        `period ${period} is not closed: only a closed month's statement can be signed off or disputed`,
      );
    const statement = JSON.parse(closed.statement) as ChargebackJson;
    if (!statement.departments.some((d) => d.id === department))
      throw new UsageError(`department "${department}" has no statement in ${period}`);
    const before =
      (await trx
        .selectFrom("statement_status")
        .selectAll()
        .where("period", "=", period)
        .where("department", "=", department)
        .executeTakeFirst()) ?? null;
    const at = new Date().toISOString();
    await upsertStatementStatus(trx, { period, department, status, actor, at, comment });
    const kind = status === "signed-off" ? "sign-off" : "dispute";
    const statementHash = statementHashOf(closed.statement);
    const record = await appendChainRecord(trx, { kind, period, department, actor, at, comment, statementHash });
    const after = { status, comment, chain: { seq: record.seq, hash: record.hash } };
    const entityId = `${period}/${department}`;
    await writeAudit(trx, { actor, action: kind, entity: "statement", entityId, before, after, at });
  });
}
