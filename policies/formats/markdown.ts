// A Markdown report for pull requests and audit files.
import { findingsByResource, outcomeLabel, type AuditReport } from "../audit/report.js";
import { summaryLine } from "./table.js";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

export function renderMarkdown(report: AuditReport): string {
  const lines: string[] = [`# BIO policy audit${report.stack ? ` — stack ${report.stack}` : ""}`, "", summaryLine(report), "", `Generated ${report.generatedAt} by ${report.tool.name} ${report.tool.version}.`, ""];
  lines.push("## Findings by resource", "");
  const groups = findingsByResource(report);
  if (groups.size === 0) lines.push("No findings.", "");
  for (const [urn, findings] of groups) {
    lines.push(`### \`${urn}\``, "", "| result | policy | message |", "|---|---|---|");
    for (const f of findings) lines.push(`| ${outcomeLabel(f)} | ${f.policyId} | ${cell(f.message)} |`);
    lines.push("");
  }
  lines.push("## Policies", "", "| policy | severity | enforcement | BIO | pass | fail | waived | unknown |", "|---|---|---|---|---|---|---|---|");
  for (const p of report.policies) lines.push(`| ${p.policyId} | ${p.severity} | ${p.enforcementLevel} | ${p.bioControls.join(", ")} | ${p.pass} | ${p.fail} | ${p.waived} | ${p.unknown} |`);
  lines.push("", "## BIO coverage matrix", "", "| control | policies | pass | fail | waived |", "|---|---|---|---|---|");
  for (const row of report.coverage) lines.push(`| ${row.control} — ${cell(row.text)} | ${row.policies.map((p) => p.policyId).join("<br>")} | ${row.pass} | ${row.fail} | ${row.waived} |`);
  lines.push("", `## Waivers (${report.waiversFile})`, "");
  if (report.waivers.length === 0) lines.push("No waivers.");
  else {
    lines.push("| id | state | category | policies | expires | matched | approved by | risk owner | ticket |", "|---|---|---|---|---|---|---|---|---|");
    for (const w of report.waivers) {
      lines.push(`| ${w.id} | ${w.state}${w.expiringSoon ? " (expires soon)" : ""} | ${w.category ?? ""} | ${w.policies.join(", ")} | ${w.expiresOn ?? ""} | ${w.matched} | ${cell(w.approvedBy ?? "")} | ${cell(w.riskOwner ?? "")} | ${cell(w.ticket ?? "")} |`);
    }
  }
  return lines.join("\n") + "\n";
}
