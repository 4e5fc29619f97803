import type { AuditReport } from "../audit/report.js";

export function renderJson(report: AuditReport): string {
  return JSON.stringify({ schemaVersion: 1, ...report }, null, 2) + "\n";
}
