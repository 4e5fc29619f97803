// The ledger's tamper-evident chain: every close and every sign-off or dispute is one record (who, when,
// which statement) whose hash covers the previous record's hash. The period hashes alone only cover the
// statements' text; this chain also covers who closed and signed, and when, and its head is written to
// the audit log and printed on the statement PDF, so a chain cut short or rehashed shows against them.
import { createHash } from "node:crypto";
import type { ChainAnchor } from "../domain/records.js";
import type { LedgerDb, LedgerTrx } from "./database.js";

export const chainGenesis = "0".repeat(64);

export type ChainRecordKind = "close" | "sign-off" | "dispute";

export interface ChainRecord {
  seq: number;
  kind: ChainRecordKind;
  period: string;
  /** The department whose statement was signed off or disputed; null for a close. */
  department: string | null;
  actor: string;
  at: string;
  comment: string | null;
  /** SHA-256 of the period's frozen statement text: what was closed, or what was signed. */
  statementHash: string;
  prevHash: string;
  hash: string;
}

export type ChainRecordDraft = Omit<ChainRecord, "seq" | "prevHash" | "hash">;

export function statementHashOf(statement: string): string {
  return createHash("sha256").update(statement).digest("hex");
}

/** The record's hash over every field but itself, in a fixed order (an array, so no key order to forget). */
export function chainRecordHash(r: Omit<ChainRecord, "hash">): string {
  const fields = [r.seq, r.kind, r.period, r.department, r.actor, r.at, r.comment, r.statementHash, r.prevHash];
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex");
}

type Reader = LedgerDb | LedgerTrx;

export async function allChainRecords(db: Reader): Promise<ChainRecord[]> {
  const rows = await db.selectFrom("ledger_chain").selectAll().orderBy("seq", "asc").execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    kind: r.kind as ChainRecordKind,
    period: r.period,
    department: r.department,
    actor: r.actor,
    at: r.at,
    comment: r.comment,
    statementHash: r.statement_hash,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}

/** The close record of a period, if the chain has one. */
export async function closeRecordOf(db: Reader, period: string): Promise<ChainAnchor | undefined> {
  const row = await db
    .selectFrom("ledger_chain")
    .select(["seq", "hash"])
    .where("period", "=", period)
    .where("kind", "=", "close")
    .orderBy("seq", "desc")
    .executeTakeFirst();
  return row && { seq: Number(row.seq), hash: row.hash };
}

/**
 * Append a record after the current head. The caller holds the periods lock (or SQLite's write lock) in
 * its transaction `trx`, so no other record can take the same place.
 */
export async function appendChainRecord(trx: Reader, draft: ChainRecordDraft): Promise<ChainRecord> {
  const head = await trx
    .selectFrom("ledger_chain")
    .select(["seq", "hash"])
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  const unhashed = { ...draft, seq: head ? Number(head.seq) + 1 : 1, prevHash: head?.hash ?? chainGenesis };
  const record = { ...unhashed, hash: chainRecordHash(unhashed) };
  await trx
    .insertInto("ledger_chain")
    .values({
      seq: record.seq,
      kind: record.kind,
      period: record.period,
      department: record.department,
      actor: record.actor,
      at: record.at,
      comment: record.comment,
      statement_hash: record.statementHash,
      prev_hash: record.prevHash,
      hash: record.hash,
    })
    .execute();
  return record;
}

/** A chain position the audit log recorded, with the entry that recorded it (for the report). */
export interface AuditedAnchor extends ChainAnchor {
  auditId: number;
  action: string;
  entityId: string;
}

/** Every chain position the audit log recorded: at each close, sign-off and dispute, and at the upgrade. */
export async function auditedAnchors(db: Reader): Promise<AuditedAnchor[]> {
  const rows = await db
    .selectFrom("audit_log")
    .select(["id", "action", "entity_id", "after"])
    .where("action", "in", ["close", "sign-off", "dispute", "chain"])
    .where("entity", "in", ["period", "statement", "ledger-chain"])
    .orderBy("id", "asc")
    .execute();
  const anchors: AuditedAnchor[] = [];
  for (const row of rows) {
    const chain = anchorIn(row.after);
    if (chain) anchors.push({ ...chain, auditId: Number(row.id), action: row.action, entityId: row.entity_id });
  }
  return anchors;
}

function anchorIn(after: string | null): ChainAnchor | undefined {
  if (after === null) return undefined;
  try {
    const parsed = JSON.parse(after) as { chain?: { seq?: unknown; hash?: unknown } } | null;
    const chain = parsed?.chain;
    if (typeof chain?.seq === "number" && typeof chain.hash === "string") return { seq: chain.seq, hash: chain.hash };
  } catch {
    // an audit entry that is not JSON carries no anchor; the verification reports entries it expected
  }
  return undefined;
}
