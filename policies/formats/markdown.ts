// A Markdown report for pull requests and audit files.
import { findingsByResource, outcomeLabel, type AuditReport, type CoverageRow } from "../audit/report.js";
import { baselineInfo } from "../baseline.js";
import { summaryLine } from "./table.js";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function rowTitle(row: CoverageRow): string {
  return `${row.control}${row.isoControl !== undefined ? ` (ISO ${row.isoControl})` : ""} — ${cell(row.text)}`;
}

function policiesCell(row: CoverageRow): string {
  if (row.gap !== undefined) return `*${row.gap}*`;
  return row.policies.map((p) => `${p.policyId}${p.partial === true ? " (partial)" : ""}`).join("<br>");
}

export function renderMarkdown(report: AuditReport): string {
  const lines: string[] = [
    `# BIO policy audit${report.stack ? ` — stack ${report.stack}` : ""}`,
    "",
    summaryLine(report),
    "",
    `Generated ${report.generatedAt} by ${report.tool.name} ${report.tool.version}.`,
    "",
  ];
  lines.push("## Findings by resource", "");
  const groups = findingsByResource(report);
  if (groups.size === 0) lines.push("No findings.", "");
  for (const [urn, findings] of groups) {
    lines.push(`### \`${urn}\``, "", "| result | policy | message |", "|---|---|---|");
    for (const f of findings) lines.push(`| ${outcomeLabel(f)} | ${f.policyId} | ${cell(f.message)} |`);
    lines.push("");
  }
  const columns =
    "policy | severity | enforcement | BIO2 | ISO 27002:2022 | BIO Cloud theme | pass | fail | waived | unknown";
  lines.push("## Policies", "", `| ${columns} |`);
  lines.push("|---|---|---|---|---|---|---|---|---|---|");
  for (const p of report.policies) {
    const bio2 = p.bio2Measures.map((m) => (p.bio2Partial.includes(m) ? `${m} (partial)` : m)).join(", ");
    const ids = `${bio2} | ${p.isoControls.join(", ")} | ${p.bioControls.join(", ")}`;
    const counts = `${p.pass} | ${p.fail} | ${p.waived} | ${p.unknown}`;
    lines.push(`| ${p.policyId} | ${p.severity} | ${p.enforcementLevel} | ${ids} | ${counts} |`);
  }
  const info = baselineInfo(report.baseline);
  lines.push("", `## ${info.title} coverage matrix`, "");
  lines.push(`| ${info.rowNoun} | policies | pass | fail | waived |`, "|---|---|---|---|---|");
  for (const row of report.coverage) {
    lines.push(`| ${rowTitle(row)} | ${policiesCell(row)} | ${row.pass} | ${row.fail} | ${row.waived} |`);
  }
  lines.push("", `## Waivers (${report.waiversFile})`, "");
  if (report.waivers.length === 0) lines.push("No waivers.");
  else {
    lines.push(
      "| id | state | category | policies | expires | matched | approved by | risk owner | ticket |",
      "|---|---|---|---|---|---|---|---|---|",
    );
    for (const w of report.waivers) {
      lines.push(
        `| ${w.id} | ${w.state}${w.expiringSoon ? " (expires soon)" : ""} | ${w.category ?? ""} | ` +
          `${w.policies.join(", ")} | ${w.expiresOn ?? ""} | ${w.matched} | ${cell(w.approvedBy ?? "")} | ` +
          `${cell(w.riskOwner ?? "")} | ${cell(w.ticket ?? "")} |`,
      );
    }
  }
  return lines.join("\n") + "\n";
}
