// The terminal report: findings, then the BIO coverage matrix, then one summary line.
import Table from "cli-table3";
import { outcomeLabel, type AuditReport } from "../audit/report.js";

// Plain text: the report goes to CI logs and files (--out) as often as to a terminal, and colour codes
// would corrupt those.
const plain = { style: { head: [], border: [] } };

export function renderTable(report: AuditReport): string {
  const out: string[] = [];
  const shown = report.findings.filter((f) => f.outcome !== "unknown");
  if (shown.length > 0) {
    const findings = new Table({ head: ["result", "policy", "resource", "message"], wordWrap: true, colWidths: [16, 58, 30, 60], ...plain });
    for (const f of shown) findings.push([outcomeLabel(f), f.policyId, f.name ?? "(stack)", f.message]);
    out.push(findings.toString());
  }
  const touched = report.policies.filter((p) => p.fail + p.waived + p.unknown > 0);
  if (touched.length > 0) {
    const perPolicy = new Table({ head: ["policy", "enforcement", "pass", "fail", "waived", "unknown"], ...plain });
    for (const p of touched) perPolicy.push([p.policyId, p.enforcementLevel, String(p.pass), String(p.fail), String(p.waived), String(p.unknown)]);
    out.push(perPolicy.toString());
  }
  const coverage = new Table({ head: ["BIO control", "policies", "pass", "fail", "waived"], ...plain });
  for (const row of report.coverage) coverage.push([row.control, String(row.policies.length), String(row.pass), String(row.fail), String(row.waived)]);
  out.push(coverage.toString());
  for (const w of report.waivers.filter((w) => w.expiringSoon)) out.push(`warning: waiver ${w.id} expires on ${w.expiresOn ?? "?"} (${w.daysLeft ?? "?"} days)`);
  out.push(summaryLine(report));
  return out.join("\n") + "\n";
}

export function summaryLine(report: AuditReport): string {
  const s = report.summary;
  return `${s.passed ? "PASS" : "FAIL"}: ${s.resources} resources, ${s.policies} policies: ${s.mandatoryFailures} mandatory and ${s.advisoryFailures} advisory violations, ${s.waived} waived, ${s.unknown} unknown during preview`;
}
