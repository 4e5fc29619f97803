// The VvT in each format: JSON (the model), CSV (Excel, one row per entry with its exceptions), Markdown
// and standalone HTML (the statement, then the annex of exceptions).
import { escapeHtml } from "../formats/html.js";
import { excelCsv } from "./excelCsv.js";
import type { Vvt, VvtEvidence, VvtException, VvtRow } from "./statement.js";

export function renderVvtJson(vvt: Vvt): string {
  return JSON.stringify(vvt, null, 2) + "\n";
}

const evidenceText = (e: VvtEvidence): string => `${e.policyId}${e.partial ? " (partial)" : ""}: ${e.result}`;
const exceptionIds = (row: VvtRow): string => row.exception?.waivers.map((w) => w.waiverId).join(", ") ?? "";
const yesNo = (applicable: boolean): string => (applicable ? "yes" : "no");

export function renderVvtCsv(vvt: Vvt): string {
  const header = ["BIO2", "ISO 27002:2022", "title", "catalog status", "applicable", "reason", "answered by", "evidence", "status",
    "exceptions", "risk analysis", "risk owner", "expires"];
  const rows = vvt.rows.map((row) => {
    const waivers = row.exception?.waivers ?? [];
    const join = (pick: (w: VvtException) => string | null): string => waivers.map((w) => pick(w) ?? "(none)").join(", ");
    return [row.id, row.isoControl, row.title, row.catalogStatus, yesNo(row.applicable), row.reason, row.answeredBy ?? "",
      row.evidence.map(evidenceText).join("; "), row.status, exceptionIds(row), join((w) => w.riskAnalysis), join((w) => w.riskOwner),
      join((w) => w.expiresOn)];
  });
  return excelCsv(header, rows);
}

const md = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function heading(vvt: Vvt): string {
  const who = vvt.organisation !== null ? ` — ${vvt.organisation}` : "";
  return `Verklaring van Toepasselijkheid, BIO2 ${vvt.version}${who}`;
}

function auditedLine(vvt: Vvt): string {
  if (vvt.audited === null) return "No document audited: the policies' results are not given.";
  return `Results from the audit of ${vvt.audited.document}${vvt.audited.stack !== null ? ` (stack ${vvt.audited.stack})` : ""}.`;
}

export function renderVvtMarkdown(vvt: Vvt): string {
  const lines = [`# ${heading(vvt)}`, "", `Generated ${vvt.generatedAt}. ${auditedLine(vvt)}`, "", "## Statement", ""];
  lines.push("| BIO2 | ISO | title | applicable | reason | answered by | evidence | status | exceptions |", "|---|---|---|---|---|---|---|---|---|");
  for (const r of vvt.rows) {
    const cells = [r.id, r.isoControl, md(r.title), yesNo(r.applicable), md(r.reason), md(r.answeredBy ?? ""),
      r.evidence.map(evidenceText).join("<br>"), r.status, exceptionIds(r)];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  lines.push("", "## Uitzonderingen (annex of exceptions)", "");
  if (vvt.annex.length === 0) lines.push("No exceptions.");
  else {
    lines.push("| waiver | state | BIO2 | policies | risk analysis | risk owner | approved | expires | justification |", "|---|---|---|---|---|---|---|---|---|");
    for (const w of vvt.annex) {
      const approved = `${w.approvedBy ?? ""} ${w.approvedOn ?? ""}`.trim();
      const cells = [w.waiverId, w.state, w.bio2Ids.join(", "), w.policies.join(", "), md(w.riskAnalysis ?? "(none referenced)"),
        md(w.riskOwner ?? ""), md(approved), w.expiresOn ?? "", md(w.justification ?? "")];
      lines.push(`| ${cells.join(" | ")} |`);
    }
  }
  lines.push("", vvt.attribution);
  return lines.join("\n") + "\n";
}

const css = `body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#eef1f5}
.fail{color:#a00000;font-weight:bold}.pass{color:#0a6b2d}.waived{color:#1d5fa8}code{font-size:.85em}`;

export function renderVvtHtml(vvt: Vvt): string {
  const e = escapeHtml;
  const title = heading(vvt);
  const parts = [`<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>${e(title)}</title><style>${css}</style></head><body><main>`];
  parts.push(`<h1>${e(title)}</h1><p>Generated ${e(vvt.generatedAt)}. ${e(auditedLine(vvt))}</p>`);
  const head = ["BIO2", "ISO", "Title", "Applicable", "Reason", "Answered by", "Evidence", "Status", "Exceptions"];
  parts.push(`<h2>Statement</h2><table><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join("")}</tr></thead><tbody>`);
  for (const r of vvt.rows) {
    const evidence = r.evidence.map((x) => `<code>${e(x.policyId)}</code>${x.partial ? " (partial)" : ""}: ${e(x.result)}`).join("<br>");
    const cells = [e(r.isoControl), e(r.title), yesNo(r.applicable), e(r.reason), e(r.answeredBy ?? ""), evidence];
    parts.push(`<tr><th scope="row">${e(r.id)}</th>${cells.map((c) => `<td>${c}</td>`).join("")}<td class="${e(r.status)}">${e(r.status)}</td><td>${e(exceptionIds(r))}</td></tr>`);
  }
  parts.push(`</tbody></table><h2>Uitzonderingen (annex of exceptions)</h2>`);
  if (vvt.annex.length === 0) parts.push(`<p>No exceptions.</p>`);
  else {
    const annexHead = ["Waiver", "State", "BIO2", "Policies", "Risk analysis", "Risk owner", "Approved", "Expires", "Justification"];
    parts.push(`<table><thead><tr>${annexHead.map((h) => `<th scope="col">${h}</th>`).join("")}</tr></thead><tbody>`);
    for (const w of vvt.annex) {
      const cells = [w.state, w.bio2Ids.join(", "), w.policies.join(", "), w.riskAnalysis ?? "(none referenced)", w.riskOwner ?? "",
        `${w.approvedBy ?? ""} ${w.approvedOn ?? ""}`.trim(), w.expiresOn ?? "", w.justification ?? ""];
      parts.push(`<tr><th scope="row">${e(w.waiverId)}</th>${cells.map((c) => `<td>${e(c)}</td>`).join("")}</tr>`);
    }
    parts.push(`</tbody></table>`);
  }
  parts.push(`<p><small>${e(vvt.attribution)}</small></p></main></body></html>`);
  return parts.join("\n") + "\n";
}
