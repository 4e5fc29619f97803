// One standalone HTML file for auditors: inline CSS, no scripts, no external assets, every value escaped.
import { findingsByResource, outcomeLabel, type AuditReport } from "../audit/report.js";
import { baselineInfo } from "../baseline.js";
import { summaryLine } from "./table.js";

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const css = [
  "body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b;max-width:80rem}",
  "table{border-collapse:collapse;margin:1rem 0;width:100%}" +
    "th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}",
  "th{background:#eef1f5}code{font-size:.85em;word-break:break-all}.FAIL{color:#a00000;font-weight:bold}" +
    ".ADVISORY{color:#8a5a00}",
  ".WAIVED{color:#1d5fa8}.pass{color:#0a6b2d;font-weight:bold}.fail{color:#a00000;font-weight:bold}" +
    "caption{text-align:left;font-weight:bold}",
].join("\n");

export function renderHtml(report: AuditReport): string {
  const e = escapeHtml;
  const parts: string[] = [];
  const title = `BIO policy audit${report.stack ? ` — stack ${report.stack}` : ""}`;
  parts.push(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" ` +
      `content="width=device-width,initial-scale=1"><title>${e(title)}</title><style>${css}</style></head><body><main>`,
  );
  parts.push(`<h1>${e(title)}</h1><p class="${report.summary.passed ? "pass" : "fail"}">${e(summaryLine(report))}</p>`);
  parts.push(`<p>Generated ${e(report.generatedAt)} by ${e(report.tool.name)} ${e(report.tool.version)}.</p>`);

  const info = baselineInfo(report.baseline);
  const head = [info.rowNoun, "Policies", "Pass", "Fail", "Waived"].map((h) => `<th scope="col">${e(h)}</th>`).join("");
  parts.push(`<h2>${e(info.title)} coverage matrix</h2><table><thead><tr>${head}</tr></thead><tbody>`);
  for (const row of report.coverage) {
    const counted = (p: { pass: number; fail: number; waived: number; partial?: boolean }): string =>
      ` (${p.pass}/${p.fail}/${p.waived}${p.partial === true ? " partial" : ""})`;
    const evidence = row.policies.map((p) => `<code>${e(p.policyId)}</code> ${counted(p)}`);
    const policies = row.gap !== undefined ? `<em>${e(row.gap)}</em>` : evidence.join("<br>");
    const iso = row.isoControl !== undefined ? ` <small>ISO ${e(row.isoControl)}</small>` : "";
    const counts = `<td>${row.pass}</td><td>${row.fail}</td><td>${row.waived}</td>`;
    const title = `${e(row.control)}${iso}<br><small>${e(row.text)}</small>`;
    parts.push(`<tr><th scope="row">${title}</th><td>${policies}</td>${counts}</tr>`);
  }
  parts.push(`</tbody></table>`);

  parts.push(`<h2>Findings by resource</h2>`);
  const groups = findingsByResource(report);
  if (groups.size === 0) parts.push(`<p>No findings.</p>`);
  for (const [urn, findings] of groups) {
    parts.push(
      `<table><caption><code>${e(urn)}</code></caption><thead><tr><th scope="col">Result</th><th ` +
        `scope="col">Policy</th><th scope="col">Message</th></tr></thead><tbody>`,
    );
    for (const f of findings) {
      const label = outcomeLabel(f);
      parts.push(
        `<tr><td class="${e(label.split(" ")[0] ?? "")}">${e(label)}</td><td><code>${e(f.policyId)}</code></` +
          `td><td>${e(f.message)}</td></tr>`,
      );
    }
    parts.push(`</tbody></table>`);
  }

  parts.push(
    `<h2>Policies</h2><table><thead><tr><th scope="col">Policy</th><th scope="col">Severity</th><th ` +
      `scope="col">Enforcement</th><th scope="col">BIO2</th><th scope="col">ISO 27002:2022</th><th ` +
      `scope="col">BIO Cloud theme</th><th scope="col">Pass</th><th scope="col">Fail</th><th ` +
      `scope="col">Waived</th><th scope="col">Remediation</th></tr></thead><tbody>`,
  );
  for (const p of report.policies) {
    parts.push(
      `<tr><td><code>${e(p.policyId)}</code><br>${e(p.title)}</td><td>${e(p.severity)}</` +
        `td><td>${e(p.enforcementLevel)}</` +
        `td><td>${e(p.bio2Measures.map((m) => (p.bio2Partial.includes(m) ? `${m} (partial)` : m)).join(", "))}</` +
        `td><td>${e(p.isoControls.join(", "))}</td><td>${e(p.bioControls.join(", "))}</td><td>${p.pass}</` +
        `td><td>${p.fail}</td><td>${p.waived}</td><td>${e(p.remediation)}</td></tr>`,
    );
  }
  parts.push(`</tbody></table>`);

  parts.push(`<h2>Waivers</h2><p>From <code>${e(report.waiversFile)}</code>.</p>`);
  if (report.waivers.length === 0) parts.push(`<p>No waivers.</p>`);
  else {
    parts.push(
      `<table><thead><tr><th scope="col">Id</th><th scope="col">State</th><th scope="col">Category</th><th ` +
        `scope="col">Policies</th><th scope="col">Expires</th><th scope="col">Matched</th><th ` +
        `scope="col">Approved by</th><th scope="col">Risk owner</th><th scope="col">Ticket</th><th ` +
        `scope="col">Justification / problems</th></tr></thead><tbody>`,
    );
    for (const w of report.waivers) {
      parts.push(
        `<tr><td>${e(w.id)}</td><td>${e(w.state)}${w.expiringSoon ? " (expires soon)" : ""}</` +
          `td><td>${e(w.category ?? "")}</td><td>${e(w.policies.join(", "))}</td><td>${e(w.expiresOn ?? "")}</` +
          `td><td>${w.matched}</td><td>${e(w.approvedBy ?? "")}</td><td>${e(w.riskOwner ?? "")}</` +
          `td><td>${e(w.ticket ?? "")}</` +
          `td><td>${e(w.problems.length > 0 ? w.problems.join("; ") : (w.justification ?? ""))}</td></tr>`,
      );
    }
    parts.push(`</tbody></table>`);
  }
  parts.push(`</main></body></html>`);
  return parts.join("\n") + "\n";
}
