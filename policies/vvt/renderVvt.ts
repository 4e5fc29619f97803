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
const approval = (w: VvtException): string => `${w.approvedBy ?? ""} ${w.approvedOn ?? ""}`.trim();
const noRiskAnalysis = "(none referenced)";

const statementColumns = [
  "BIO2",
  "ISO",
  "title",
  "applicable",
  "reason",
  "answered by",
  "evidence",
  "status",
  "exceptions",
];
const annexColumns = [
  "waiver",
  "state",
  "BIO2",
  "policies",
  "risk analysis",
  "risk owner",
  "approved",
  "expires",
  "justification",
];

/** A statement row's cells, the evidence listed by `evidence` and joined by `separator`. */
function statementCells(r: VvtRow, evidence: (e: VvtEvidence) => string, separator: string): string[] {
  const cells = [r.id, r.isoControl, r.title, yesNo(r.applicable), r.reason, r.answeredBy ?? ""];
  return [...cells, r.evidence.map(evidence).join(separator), r.status, exceptionIds(r)];
}

function annexCells(w: VvtException): string[] {
  const what = [w.waiverId, w.state, w.bio2Ids.join(", "), w.policies.join(", "), w.riskAnalysis ?? noRiskAnalysis];
  return [...what, w.riskOwner ?? "", approval(w), w.expiresOn ?? "", w.justification ?? ""];
}

export function renderVvtCsv(vvt: Vvt): string {
  const header = [
    "BIO2",
    "ISO 27002:2022",
    "title",
    "catalog status",
    "applicable",
    "reason",
    "answered by",
    "evidence",
    "status",
    "exceptions",
    "risk analysis",
    "risk owner",
    "expires",
  ];
  const rows = vvt.rows.map((row) => {
    const waivers = row.exception?.waivers ?? [];
    const each = (pick: (w: VvtException) => string | null): string =>
      waivers.map((w) => pick(w) ?? "(none)").join(", ");
    const cells = statementCells(row, evidenceText, "; ");
    // the catalog status after the title, for auditors filtering withdrawn entries out in Excel
    cells.splice(3, 0, row.catalogStatus);
    return [...cells, each((w) => w.riskAnalysis), each((w) => w.riskOwner), each((w) => w.expiresOn)];
  });
  return excelCsv(header, rows);
}

function heading(vvt: Vvt): string {
  const who = vvt.organisation !== null ? ` — ${vvt.organisation}` : "";
  return `Verklaring van Toepasselijkheid, BIO2 ${vvt.version}${who}`;
}

function auditedLine(vvt: Vvt): string {
  if (vvt.audited === null) return "No document audited: the policies' results are not given.";
  const stack = vvt.audited.stack !== null ? ` (stack ${vvt.audited.stack})` : "";
  return `Results from the audit of ${vvt.audited.document}${stack}.`;
}

const md = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const mdRow = (cells: readonly string[]): string => `| ${cells.map(md).join(" | ")} |`;
const mdRule = (count: number): string => `|${"---|".repeat(count)}`;

export function renderVvtMarkdown(vvt: Vvt): string {
  const lines = [`# ${heading(vvt)}`, "", `Generated ${vvt.generatedAt}. ${auditedLine(vvt)}`, "", "## Statement", ""];
  lines.push(mdRow(statementColumns), mdRule(statementColumns.length));
  for (const r of vvt.rows) lines.push(mdRow(statementCells(r, evidenceText, "<br>")));
  lines.push("", "## Uitzonderingen (annex of exceptions)", "");
  if (vvt.annex.length === 0) lines.push("No exceptions.");
  else {
    lines.push(mdRow(annexColumns), mdRule(annexColumns.length));
    for (const w of vvt.annex) lines.push(mdRow(annexCells(w)));
  }
  lines.push("", vvt.attribution);
  return lines.join("\n") + "\n";
}

const css = `body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#eef1f5}
.fail{color:#a00000;font-weight:bold}.pass{color:#0a6b2d}.waived{color:#1d5fa8}code{font-size:.85em}`;

const e = escapeHtml;
const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const htmlHead = (columns: readonly string[]): string =>
  `<thead><tr>${columns.map((h) => `<th scope="col">${e(capitalised(h))}</th>`).join("")}</tr></thead>`;
/** The first cell is the row header; the cells are HTML already. */
const htmlRow = (cells: readonly string[]): string =>
  `<tr><th scope="row">${cells[0] ?? ""}</th>${cells.slice(1).join("")}</tr>`;
const td = (html: string, className?: string): string =>
  className === undefined ? `<td>${html}</td>` : `<td class="${e(className)}">${html}</td>`;
const htmlEvidence = (x: VvtEvidence): string =>
  `<code>${e(x.policyId)}</code>${x.partial ? " (partial)" : ""}: ${e(x.result)}`;

export function renderVvtHtml(vvt: Vvt): string {
  const title = e(heading(vvt));
  const parts = [`<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>${title}</title>`];
  parts.push(`<style>${css}</style></head><body><main>`);
  parts.push(`<h1>${title}</h1><p>Generated ${e(vvt.generatedAt)}. ${e(auditedLine(vvt))}</p>`);
  parts.push(`<h2>Statement</h2><table>${htmlHead(statementColumns)}<tbody>`);
  for (const r of vvt.rows) {
    const [id = "", ...rest] = statementCells(r, htmlEvidence, "<br>");
    // every cell is text but the evidence, which htmlEvidence escaped already
    const cells = rest.map((c, i) => (i === 5 ? td(c) : i === 6 ? td(e(c), r.status) : td(e(c))));
    parts.push(htmlRow([e(id), ...cells]));
  }
  parts.push(`</tbody></table><h2>Uitzonderingen (annex of exceptions)</h2>`);
  if (vvt.annex.length === 0) parts.push(`<p>No exceptions.</p>`);
  else {
    parts.push(`<table>${htmlHead(annexColumns)}<tbody>`);
    for (const w of vvt.annex) {
      const [id = "", ...rest] = annexCells(w);
      parts.push(htmlRow([e(id), ...rest.map((c) => td(e(c)))]));
    }
    parts.push(`</tbody></table>`);
  }
  parts.push(`<p><small>${e(vvt.attribution)}</small></p></main></body></html>`);
  return parts.join("\n") + "\n";
}
