// `muniops audit --record`: a report the CLI made, stored in the ledger's audit history as the dashboard
// stores its own runs and uploads (recounted, with its result per BIO2 entry and its document's SHA-256).
import type { AuditReport } from "../../policies/audit/report.js";
import { renderJson } from "../../policies/formats/json.js";
import { openLedger } from "../data-access/database.js";
import { auditReportSchema } from "../domain/compliance.js";
import { storeAuditReport } from "./complianceReports.js";

export async function recordAuditReport(
  databaseUrl: string,
  report: AuditReport,
  by: { actor: string; now: number },
): Promise<{ id: number; location: string }> {
  // Through the upload's schema: the ledger holds one shape of report, whoever stored it.
  const stored = auditReportSchema.parse(JSON.parse(renderJson(report)));
  const ledger = await openLedger(databaseUrl);
  try {
    const { id } = await storeAuditReport(ledger.db, stored, { actor: by.actor, source: "cli", now: by.now });
    return { id, location: ledger.location };
  } finally {
    await ledger.close();
  }
}
