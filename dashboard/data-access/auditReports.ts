// Stored `muniops audit` reports: one row per report received (uploaded or run by the server), the
// latest per stack being the one the compliance page shows. A report is written together with its audit
// log entry.
import { writeAudit } from "./auditLog.js";
import type { LedgerDb } from "./database.js";

export interface AuditSummaryRow {
  id: number;
  stack: string;
  generatedAt: string;
  receivedAt: string;
  receivedFrom: string;
  source: "upload" | "server";
  passed: boolean;
  resources: number;
  mandatoryFailures: number;
  advisoryFailures: number;
  waived: number;
}

export interface NewAuditReport extends Omit<AuditSummaryRow, "id"> {
  /** The report as JSON text. */
  report: string;
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
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    const { report: _text, ...summary } = report;
    await writeAudit(trx, {
      actor: report.receivedFrom,
      action: report.source === "upload" ? "upload" : "run",
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
] as const;

type SummaryRecord = {
  [K in (typeof summaryColumns)[number]]: K extends "id"
    ? number | string
    : K extends "passed" | "resources" | "mandatory_failures" | "advisory_failures" | "waived"
      ? number
      : string;
};

function toSummary(r: SummaryRecord): AuditSummaryRow {
  return {
    id: Number(r.id),
    stack: r.stack,
    generatedAt: r.generated_at,
    receivedAt: r.received_at,
    receivedFrom: r.received_from,
    source: r.source === "server" ? "server" : "upload",
    passed: r.passed === 1,
    resources: r.resources,
    mandatoryFailures: r.mandatory_failures,
    advisoryFailures: r.advisory_failures,
    waived: r.waived,
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
