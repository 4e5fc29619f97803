// `muniops ledger verify`: everything the ledger can check about its closed months, from genesis. The
// statements against their period hashes; the chain of closes and sign-offs record by record; each closed
// month and each sign-off against its chain record (who, when, which statement); and the chain against
// the positions the audit log and statement PDFs recorded, which is what catches a chain cut short
// (truncation) or rewritten with recomputed hashes (rehashing).
import type { Ledger } from "../data-access/database.js";
import { allChainRecords, auditedAnchors, chainGenesis, chainRecordHash } from "../data-access/ledgerChain.js";
import { statementHashOf, type AuditedAnchor, type ChainRecord } from "../data-access/ledgerChain.js";
import { type ChainAnchor } from "../domain/records.js";
import { allClosedPeriods, type ClosedPeriod, type StatementStatus } from "../data-access/periods.js";
import { statementStatusesOfAll } from "../data-access/periods.js";
import { chainHash, genesisHash } from "./close.js";

export type ChainProblemKind = "edited" | "truncated" | "rehashed" | "unchained";

export interface ChainProblem {
  kind: ChainProblemKind;
  message: string;
}

/** A chain position recorded outside the ledger, e.g. printed on a statement PDF. */
export interface ExternalAnchor extends ChainAnchor {
  /** How the report names it, e.g. `the statement PDF bz-2026-10.pdf`. */
  source: string;
}

export interface LedgerVerification {
  ok: boolean;
  periods: number;
  records: number;
  head: ChainAnchor | null;
  problems: ChainProblem[];
}

export interface ChainEvidence {
  periods: readonly ClosedPeriod[];
  statuses: readonly StatementStatus[];
  records: readonly ChainRecord[];
  audited: readonly AuditedAnchor[];
  external: readonly ExternalAnchor[];
}

export async function verifyLedger(
  ledger: Ledger,
  external: readonly ExternalAnchor[] = [],
): Promise<LedgerVerification> {
  // One snapshot, so a close committing meanwhile can't look like an edit: SQLite's transaction is one
  // already; PostgreSQL's default (read committed) would let each query see a later moment.
  const transaction = ledger.db.transaction();
  const snapshot = ledger.dialect === "postgres" ? transaction.setIsolationLevel("repeatable read") : transaction;
  const evidence = await snapshot.execute(async (trx) => ({
    periods: await allClosedPeriods(trx),
    statuses: await statementStatusesOfAll(trx),
    records: await allChainRecords(trx),
    audited: await auditedAnchors(trx),
  }));
  const problems = chainProblems({ ...evidence, external });
  const last = evidence.records.at(-1);
  return {
    ok: problems.length === 0,
    periods: evidence.periods.length,
    records: evidence.records.length,
    head: last ? { seq: last.seq, hash: last.hash } : null,
    problems,
  };
}

/** Every way the evidence disagrees with itself, in the order a reader would follow them. */
export function chainProblems(e: ChainEvidence): ChainProblem[] {
  return [
    ...statementProblems(e.periods),
    ...recordProblems(e.records),
    ...closeProblems(e.periods, e.records),
    ...signOffProblems(e.statuses, e.records),
    ...anchorProblems(e.records, e.audited, e.external),
  ];
}

export function describeRecord(r: ChainRecord): string {
  const subject = r.department === null ? r.period : `${r.period}/${r.department}`;
  return `${r.kind} of ${subject} by ${r.actor} at ${r.at}`;
}

/** Each frozen statement against its period hash, and the period hashes as a chain of their own. */
function statementProblems(periods: readonly ClosedPeriod[]): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let prev = genesisHash;
  for (const [i, p] of periods.entries()) {
    const before = i === 0 ? "the start of the ledger" : `closed month ${periods[i - 1]?.period ?? "?"}`;
    if (p.prevHash !== prev) {
      const why = "a month between was removed or its hash rewritten";
      const message = `closed month ${p.period} no longer follows ${before}: ${why}`;
      problems.push({ kind: "edited", message });
    }
    if (chainHash(p.prevHash, p.statement) !== p.hash) {
      const message = `the statement of ${p.period} was changed after its close: its SHA-256 no longer matches`;
      problems.push({ kind: "edited", message });
    }
    prev = p.hash;
  }
  return problems;
}

/** The records from genesis: numbered without gaps, each linking to the one before, each hash its own. */
function recordProblems(records: readonly ChainRecord[]): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let prev = chainGenesis;
  for (const [i, r] of records.entries()) {
    const record = `chain record ${r.seq} (${describeRecord(r)})`;
    if (r.seq !== i + 1) {
      problems.push({ kind: "edited", message: `chain record ${i + 1} is missing: the chain goes on at ${record}` });
    } else if (r.prevHash !== prev) {
      problems.push({ kind: "edited", message: `${record} does not link to the record before it` });
    }
    if (chainRecordHash(r) !== r.hash) {
      problems.push({ kind: "edited", message: `${record} was changed: its hash no longer matches its content` });
    }
    prev = r.hash;
  }
  return problems;
}

/** Each closed month against its close record: who closed it, when, and which statement. */
function closeProblems(periods: readonly ClosedPeriod[], records: readonly ChainRecord[]): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const closes = new Map(records.filter((r) => r.kind === "close").map((r) => [r.period, r]));
  for (const p of periods) {
    const record = closes.get(p.period);
    closes.delete(p.period);
    if (!record) {
      const message = `closed month ${p.period} (by ${p.closedBy} at ${p.closedAt}) has no close record in the chain`;
      problems.push({ kind: "unchained", message });
      continue;
    }
    const differs = (what: string, ledger: string, chained: string): void => {
      if (ledger === chained) return;
      const says = `the ledger says "${ledger}", its chain record ${record.seq} "${chained}"`;
      const message = `${what} ${p.period} was changed: ${says}`;
      problems.push({ kind: "edited", message });
    };
    differs("who closed", p.closedBy, record.actor);
    differs("when", p.closedAt, record.at);
    if (statementHashOf(p.statement) !== record.statementHash) {
      const message = `the statement of ${p.period} is not the one its close (chain record ${record.seq}) froze`;
      problems.push({ kind: "edited", message });
    }
  }
  for (const record of closes.values()) {
    const chained = `the ${describeRecord(record)} (chain record ${record.seq}) is in the chain`;
    const message = `${chained}, but ${record.period} is no longer closed in the ledger: its close was deleted`;
    problems.push({ kind: "truncated", message });
  }
  return problems;
}

/** Each sign-off or dispute the ledger holds against the latest chain record for that statement. */
function signOffProblems(statuses: readonly StatementStatus[], records: readonly ChainRecord[]): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const closed = new Map(records.filter((r) => r.kind === "close").map((r) => [r.period, r.statementHash]));
  const latest = new Map<string, ChainRecord>();
  for (const r of records) if (r.department !== null) latest.set(`${r.period}/${r.department}`, r);
  for (const s of statuses) {
    const key = `${s.period}/${s.department}`;
    const record = latest.get(key);
    latest.delete(key);
    if (!record) {
      const statusOf = `the ${s.status} of ${key} by ${s.actor} at ${s.at}`;
      const message = `${statusOf} is not in the chain: it was added outside muniops`;
      problems.push({ kind: "unchained", message });
      continue;
    }
    const status = record.kind === "dispute" ? "disputed" : "signed-off";
    const chained = { status, actor: record.actor, at: record.at, comment: record.comment };
    const fields = (["status", "actor", "at", "comment"] as const).filter((f) => s[f] !== chained[f]);
    if (fields.length > 0) {
      const diff = fields.map((f) => `${f} "${String(s[f])}" (chain: "${String(chained[f])}")`).join(", ");
      const message = `the sign-off of ${key} differs from its chain record ${record.seq}: ${diff}`;
      problems.push({ kind: "edited", message });
    }
    if (closed.has(record.period) && closed.get(record.period) !== record.statementHash) {
      const signing = `chain record ${record.seq} (${describeRecord(record)})`;
      const message = `${signing} signs a statement other than the closed one`;
      problems.push({ kind: "edited", message });
    }
  }
  for (const record of latest.values()) {
    const message = `the ${describeRecord(record)} (chain record ${record.seq}) was deleted from the ledger`;
    problems.push({ kind: "edited", message });
  }
  return problems;
}

/**
 * The chain against the positions recorded outside it. A position past the chain's end means records
 * were cut off; a position whose hash differs means the chain was rewritten and rehashed. After a
 * rewrite every later position differs too: the first is reported, with how many more.
 */
function anchorProblems(
  records: readonly ChainRecord[],
  audited: readonly AuditedAnchor[],
  external: readonly ExternalAnchor[],
): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const bySeq = new Map(records.map((r) => [r.seq, r]));
  const end = records.at(-1)?.seq ?? 0;
  const sources: ExternalAnchor[] = [
    ...audited.map((a) => ({ ...a, source: `the audit log (entry ${a.auditId}, ${a.action} ${a.entityId})` })),
    ...external,
  ];
  const cut = sources.filter((a) => a.seq > end);
  if (cut.length > 0) {
    const furthest = cut.reduce((a, b) => (b.seq > a.seq ? b : a));
    const lost = furthest.seq - end;
    const deleted = `${lost} record${lost === 1 ? "" : "s"} deleted from its end`;
    const recorded = `${furthest.source} recorded record ${furthest.seq}`;
    const message = `the chain ends at record ${end}, but ${recorded}: ${deleted}`;
    problems.push({ kind: "truncated", message });
  }
  const differs = (a: ExternalAnchor): boolean => bySeq.has(a.seq) && bySeq.get(a.seq)?.hash !== a.hash;
  const rewritten = sources.filter(differs).sort((a, b) => a.seq - b.seq);
  const first = rewritten[0];
  const record = first && bySeq.get(first.seq);
  if (first && record) {
    const others = rewritten.length - 1;
    const more = others > 0 ? `; ${others} more recorded position${others === 1 ? "" : "s"} differ too` : "";
    const found = `chain record ${first.seq} (${describeRecord(record)}) has hash ${record.hash}`;
    const rewrite = `the chain was rewritten and its hashes recomputed${more}`;
    const message = `${found}, but ${first.source} recorded ${first.hash}: ${rewrite}`;
    problems.push({ kind: "rehashed", message });
  }
  const anchored = new Set(audited.map((a) => a.seq));
  for (const r of records.filter((x) => !anchored.has(x.seq))) {
    const why = "added outside muniops, or its entry deleted";
    const message = `chain record ${r.seq} (${describeRecord(r)}) has no entry in the audit log: ${why}`;
    problems.push({ kind: "unchained", message });
  }
  return problems;
}
