// Stored `muniops audit` reports: one row per report received (uploaded, run by the server or the demo,
// recorded by `muniops audit --record`), the latest per stack being the one the compliance page shows. A
// report is written together with its audit log entry and its result per BIO2 entry (the audit history).
import { writeAudit } from "./auditLog.js";
import type { LedgerDb } from "./database.js";

export interface AuditSummaryRow {
  id: number;
  stack: string;
  generatedAt: string;
  receivedAt: string;
  receivedFrom: string;
  source: AuditSource;
  passed: boolean;
  resources: number;
  mandatoryFailures: number;
  advisoryFailures: number;
  waived: number;
  /** SHA-256 of the Pulumi document audited; null for reports that do not name it. */
  documentSha256: string | null;
  /** The baseline the report was recorded with; null for reports older than BIO2. */
  baseline: string | null;
}

export type AuditSource = "upload" | "server" | "cli";

/** One BIO2 entry's result in one audit. */
export interface MeasureResult {
  measure: string;
  state: string;
  pass: number;
  fail: number;
  waived: number;
}

export interface NewAuditReport extends Omit<AuditSummaryRow, "id" | "documentSha256" | "baseline"> {
  /** The report as JSON text. */
  report: string;
  documentSha256?: string | null;
  baseline?: string | null;
  /** Its result per BIO2 entry, for the history (none: the report adds nothing to the trend). */
  measures?: readonly MeasureResult[];
}

export async function saveAuditReport(db: LedgerDb, report: NewAuditReport): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("audit_reports")
      .values({
        stack: report.stack,
        generated_at: report.generatedAt,
        received_at: report.receivedAt,
        received_from: report.receivedFrom,
        source: report.source,
        passed: report.passed ? 1 : 0,
        resources: report.resources,
        mandatory_failures: report.mandatoryFailures,
        advisory_failures: report.advisoryFailures,
        waived: report.waived,
        report: report.report,
        document_sha256: report.documentSha256 ?? null,
        baseline: report.baseline ?? null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    const rows = (report.measures ?? []).map((m) => ({
      report_id: id,
      stack: report.stack,
      generated_at: report.generatedAt,
      ...m,
    }));
    // in chunks: SQLite allows at most 32,766 bound parameters per statement
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto("audit_measure_results")
        .values(rows.slice(i, i + 500))
        .execute();
    const { report: _text, measures: _measures, ...summary } = report;
    await writeAudit(trx, {
      actor: report.receivedFrom,
      action: report.source === "upload" ? "upload" : report.source === "cli" ? "record" : "run",
      entity: "audit_report",
      entityId: String(id),
      after: summary,
      at: report.receivedAt,
    });
    return id;
  });
}

const summaryColumns = [
  "id",
  "stack",
  "generated_at",
  "received_at",
  "received_from",
  "source",
  "passed",
  "resources",
  "mandatory_failures",
  "advisory_failures",
  "waived",
  "document_sha256",
  "baseline",
] as const;

type SummaryRecord = {
  [K in (typeof summaryColumns)[number]]: K extends "id"
    ? number | string
    : K extends "passed" | "resources" | "mandatory_failures" | "advisory_failures" | "waived"
      ? number
      : K extends "document_sha256" | "baseline"
        ? string | null
        : string;
};

const sources: readonly string[] = ["upload", "server", "cli"] satisfies AuditSource[];

function toSummary(r: SummaryRecord): AuditSummaryRow {
  return {
    id: Number(r.id),
    stack: r.stack,
    generatedAt: r.generated_at,
    receivedAt: r.received_at,
    receivedFrom: r.received_from,
    source: sources.includes(r.source) ? (r.source as AuditSource) : "upload",
    passed: r.passed === 1,
    resources: r.resources,
    mandatoryFailures: r.mandatory_failures,
    advisoryFailures: r.advisory_failures,
    waived: r.waived,
    documentSha256: r.document_sha256,
    baseline: r.baseline,
  };
}

/** Every stored report, newest first (summaries only). */
export async function listAuditReports(db: LedgerDb, limit = 500): Promise<AuditSummaryRow[]> {
  const rows = await db.selectFrom("audit_reports").select(summaryColumns).orderBy("id", "desc").limit(limit).execute();
  return rows.map(toSummary);
}

/** The newest report of each stack, by stack name. */
export async function latestAuditPerStack(db: LedgerDb): Promise<AuditSummaryRow[]> {
  const rows = await db
    .selectFrom("audit_reports")
    .select(summaryColumns)
    .where(
      "id",
      "in",
      db
        .selectFrom("audit_reports")
        .select((eb) => eb.fn.max("id").as("id"))
        .groupBy("stack"),
    )
    .orderBy("stack")
    .execute();
  return rows.map(toSummary);
}

/** The JSON text of one stored report. */
export async function auditReportText(db: LedgerDb, id: number): Promise<string | undefined> {
  const row = await db.selectFrom("audit_reports").select("report").where("id", "=", id).executeTakeFirst();
  return row?.report;
}

/** The audits generated in [from, to) (ISO times), oldest first; one stack or all. */
export async function auditsBetween(
  db: LedgerDb,
  range: { from: string; to: string; stack?: string | undefined },
): Promise<AuditSummaryRow[]> {
  let query = db
    .selectFrom("audit_reports")
    .select(summaryColumns)
    .where("generated_at", ">=", range.from)
    .where("generated_at", "<", range.to);
  if (range.stack !== undefined) query = query.where("stack", "=", range.stack);
  const rows = await query.orderBy("generated_at").orderBy("id").execute();
  return rows.map(toSummary);
}

/** The newest audit of each stack generated before `before` (ISO time), by stack name. */
export async function lastAuditPerStackBefore(db: LedgerDb, before: string): Promise<AuditSummaryRow[]> {
  const rows = await db
    .selectFrom("audit_reports")
    .select(summaryColumns)
    .where("generated_at", "<", before)
    .orderBy("generated_at", "desc")
    .orderBy("id", "desc")
    .execute();
  const latest = new Map<string, AuditSummaryRow>();
  for (const row of rows.map(toSummary)) if (!latest.has(row.stack)) latest.set(row.stack, row);
  return [...latest.values()].sort((a, b) => a.stack.localeCompare(b.stack));
}

/** One stack's results per BIO2 entry for the audits generated in [from, to), oldest first. */
export async function measureResultsBetween(
  db: LedgerDb,
  range: { stack: string; from: string; to: string },
): Promise<(MeasureResult & { reportId: number; generatedAt: string })[]> {
  const rows = await db
    .selectFrom("audit_measure_results")
    .selectAll()
    .where("stack", "=", range.stack)
    .where("generated_at", ">=", range.from)
    .where("generated_at", "<", range.to)
    .orderBy("generated_at")
    .orderBy("report_id")
    .execute();
  return rows.map((r) => ({
    reportId: Number(r.report_id),
    generatedAt: r.generated_at,
    measure: r.measure,
    state: r.state,
    pass: r.pass,
    fail: r.fail,
    waived: r.waived,
  }));
}

/** Whether any audit is stored. */
export async function hasAuditReports(db: LedgerDb): Promise<boolean> {
  return (await db.selectFrom("audit_reports").select("id").limit(1).execute()).length > 0;
}
