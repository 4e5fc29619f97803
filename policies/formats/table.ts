// The terminal report: findings, then the coverage matrix of the baseline (BIO2 measures by default), then
// one summary line.
import Table from "cli-table3";
import { noEvidencingPolicyRan, notEvidencedByPolicy, splitCoverage } from "../audit/coverage.js";
import { outcomeLabel, type AuditReport } from "../audit/report.js";
import { baselineInfo } from "../baseline.js";

// Plain text: the report goes to CI logs and files (--out) as often as to a terminal, and colour codes
// would corrupt those.
const plain = { style: { head: [], border: [] } };

export function renderTable(report: AuditReport): string {
  const out: string[] = [];
  // Preview unknowns are many and expected (ids known only after `pulumi up`): counted, not listed. A secret
  // the document hides is listed: the auditor may want the value shown (`pulumi stack export --show-secrets`).
  const shown = report.findings.filter((f) => f.outcome !== "unknown" || f.reason === "secret");
  if (shown.length > 0) {
    const findings = new Table({
      head: ["result", "policy", "resource", "message"],
      wordWrap: true,
      colWidths: [18, 58, 30, 60],
      ...plain,
    });
    for (const f of shown) findings.push([outcomeLabel(f), f.policyId, f.name ?? "(stack)", f.message]);
    out.push(findings.toString());
  }
  const touched = report.policies.filter((p) => p.fail + p.waived + p.unknown > 0);
  if (touched.length > 0) {
    const perPolicy = new Table({ head: ["policy", "enforcement", "pass", "fail", "waived", "unknown"], ...plain });
    for (const p of touched)
      perPolicy.push([
        p.policyId,
        p.enforcementLevel,
        String(p.pass),
        String(p.fail),
        String(p.waived),
        String(p.unknown),
      ]);
    out.push(perPolicy.toString());
  }
  out.push(...coverageTable(report));
  const skipped = report.summary.skipped;
  if (skipped.length > 0)
    out.push(
      `skipped ${skipped.length} stack ${skipped.length === 1 ? "policy" : "policies"}: ${skipped[0]?.reason ?? ""}`,
    );
  for (const w of report.waivers.filter((w) => w.expiringSoon))
    out.push(`warning: waiver ${w.id} expires on ${w.expiresOn ?? "?"} (${w.daysLeft ?? "?"} days)`);
  out.push(summaryLine(report));
  return out.join("\n") + "\n";
}

/**
 * The rows with results as a table; the entries without evidence as one list after it, so the 150-odd
 * BIO2 rows do not bury the ones with results in a terminal, yet no gap is hidden.
 */
function coverageTable(report: AuditReport): string[] {
  const info = baselineInfo(report.baseline);
  const { evidenced, gaps } = splitCoverage(report.coverage);
  const iso = report.baseline === "bio2";
  const head = [info.rowNoun, ...(iso ? ["ISO"] : []), "policies", "pass", "fail", "waived"];
  const table = new Table({ head, ...plain });
  for (const row of evidenced) {
    const counts = [String(row.policies.length), String(row.pass), String(row.fail), String(row.waived)];
    table.push([row.control, ...(iso ? [row.isoControl ?? ""] : []), ...counts]);
  }
  const lines = [`${info.title} coverage`, table.toString()];
  const unevidenced = gaps.filter((g) => g.gap === notEvidencedByPolicy).map((g) => g.control);
  const notRun = gaps.filter((g) => g.gap === noEvidencingPolicyRan).map((g) => g.control);
  if (notRun.length > 0)
    lines.push(`${notRun.length} ${info.rowNoun}s whose policies did not run on this document: ${notRun.join(", ")}`);
  if (unevidenced.length > 0)
    lines.push(`${unevidenced.length} ${info.rowNoun}s not evidenced by a policy: ${unevidenced.join(", ")}`);
  return lines;
}

export function summaryLine(report: AuditReport): string {
  const s = report.summary;
  const verdict = s.audited === 0 ? "NO VERDICT" : s.passed ? "PASS" : "FAIL";
  const skipped =
    s.skipped.length > 0 ? `, ${s.skipped.length} stack ${s.skipped.length === 1 ? "policy" : "policies"} skipped` : "";
  return (
    `${verdict}: ${auditedPhrase(report)}, ${s.policies} policies: ${s.mandatoryFailures} mandatory and ` +
    `${s.advisoryFailures} advisory violations, ${s.waived} waived, ${s.unknown} unknown${skipped}`
  );
}

/** "audited 841 of 841 resources", "audited 2 of 51 resources (partial preview)", "audited 0 resources". */
export function auditedPhrase(report: AuditReport): string {
  const s = report.summary;
  const what = { preview: "preview", "engine-events": "streaming preview", "stack-export": "stack export" }[s.document];
  const of = s.total === null ? "" : ` of ${s.total}`;
  const noun = (s.total ?? s.audited) === 1 ? "resource" : "resources";
  return `audited ${s.audited}${of} ${noun}${s.partial ? ` (partial ${what})` : ""}`;
}
