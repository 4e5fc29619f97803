// The compliance use cases: store an audit report (uploaded, or run here on the configured preview
// file), and read the compliance state (latest audit per stack, the BIO coverage matrix of one stack,
// the waivers as of today).
import { UsageError } from "../../errors.js";
import { packageVersion } from "../../packageInfo.js";
import { audit } from "../../policies/audit/evaluate.js";
import { readPreviewFile } from "../../policies/audit/readPreview.js";
import { assertAuditable } from "../../policies/audit/auditable.js";
import { buildReport } from "../../policies/audit/report.js";
import { renderJson } from "../../policies/formats/json.js";
import { loadWaivers } from "../../policies/waivers.js";
import type { Baseline } from "../../policies/baseline.js";
import { defaultApplicabilityPath } from "../../policies/settings.js";
import {
  auditReportText,
  latestAuditPerStack,
  listAuditReports,
  measureResultsBetween,
  saveAuditReport,
  type AuditSource,
  type AuditSummaryRow,
} from "../data-access/auditReports.js";
import type { LedgerDb } from "../data-access/database.js";
import {
  auditReportSchema,
  coverageMatrix,
  measureTrend,
  recountedReport,
  stackOf,
  waiverViews,
  trendMonths,
  type CoverageCell,
  type CoverageState,
  type StoredAuditReport,
  type WaiverView,
} from "../domain/compliance.js";

export interface ComplianceSources {
  /** A `pulumi preview --json` / `muniops plan` file the server may audit; unset: uploads only. */
  previewFile: string | undefined;
  waiversFile: string;
  /** The stack's inventory.json, for the evidence dossier's asset inventory (BIO2 5.09.01); unset: none. */
  inventoryFile?: string | undefined;
  /** The applicability file of the VvT; unset: the one bundled with muniops. */
  applicabilityFile?: string | undefined;
}

/**
 * Store an audit report with its summary recounted from its findings (recountedReport): the stored row,
 * the stored document and the answer all say what the findings say, whatever the upload claimed. Its
 * result per BIO2 entry is stored beside it (the audit history), whichever baseline the report was made in.
 */
export async function storeAuditReport(
  db: LedgerDb,
  uploaded: StoredAuditReport,
  by: { actor: string; source: AuditSource; now: number },
): Promise<{ id: number; summary: StoredAuditReport["summary"] }> {
  const report = recountedReport(uploaded);
  const measures = coverageMatrix(report, "bio2").map((c) => ({
    measure: c.control,
    state: c.state,
    pass: c.pass,
    fail: c.fail,
    waived: c.waived,
  }));
  const id = await saveAuditReport(db, {
    stack: stackOf(report),
    generatedAt: report.generatedAt,
    receivedAt: new Date(by.now).toISOString(),
    receivedFrom: by.actor,
    source: by.source,
    passed: report.summary.passed,
    resources: report.summary.resources,
    mandatoryFailures: report.summary.mandatoryFailures,
    advisoryFailures: report.summary.advisoryFailures,
    waived: report.summary.waived,
    documentSha256: report.documentSha256 ?? null,
    baseline: report.baseline ?? null,
    report: JSON.stringify(report),
    measures,
  });
  return { id, summary: report.summary };
}

/** Audit the configured preview file now, with the configured waivers, and store the report. */
export async function runAndStoreAudit(
  db: LedgerDb,
  sources: ComplianceSources,
  by: { actor: string; now: number },
): Promise<{ id: number; summary: StoredAuditReport["summary"]; stack: string }> {
  const [stored] = await runAndStoreAudits(db, sources, { actor: by.actor, times: [by.now] });
  if (!stored) throw new Error("unreachable: one time, one audit");
  return stored;
}

/**
 * Audit the configured preview file as of each of `times` (the waivers judged by that day's clock) and
 * store each report, oldest first: the demo's year of history is the audits its plan would have had.
 */
export async function runAndStoreAudits(
  db: LedgerDb,
  sources: ComplianceSources,
  by: { actor: string; times: readonly number[] },
): Promise<{ id: number; summary: StoredAuditReport["summary"]; stack: string }[]> {
  if (sources.previewFile === undefined)
    throw new UsageError(
      "the server has no preview file to audit: start the dashboard with --audit-preview FILE (the output of " +
        "`muniops plan` or `pulumi preview --json`), or upload a report",
    );
  const document = readPreviewFile(sources.previewFile);
  assertAuditable(document, false);
  const results = [];
  for (const time of [...by.times].sort((a, b) => a - b)) {
    const now = new Date(time);
    const result = audit(document, { waivers: loadWaivers(sources.waiversFile, now), now });
    const built = buildReport(result, packageVersion(), { baseline: "bio2" });
    const report = auditReportSchema.parse(JSON.parse(renderJson(built)));
    const stored = await storeAuditReport(db, report, { actor: by.actor, source: "server", now: time });
    results.push({ ...stored, stack: stackOf(report) });
  }
  return results;
}

export interface ComplianceState {
  stacks: AuditSummaryRow[];
  /** The stack shown in detail: the one asked for, or the first with an audit. */
  stack: string | undefined;
  report: { summary: StoredAuditReport["summary"]; generatedAt: string; tool: StoredAuditReport["tool"] } | undefined;
  /** What the coverage matrix is keyed by: BIO2 measures (default) or Cloud-theme controls. */
  baseline: Baseline;
  coverage: CoverageCell[];
  /** BIO2 only: each entry's state at the end of each of the last twelve months, from the audit history. */
  trend: { months: string[]; byControl: Record<string, (CoverageState | null)[]> } | undefined;
  /** The years whose evidence dossier the page offers: the last one closed (31 December past) and this one. */
  dossierYears: number[];
  failures: StoredAuditReport["findings"];
  waivers: WaiverView[];
  waiversFile: string;
  canRun: boolean;
}

export async function complianceState(
  db: LedgerDb,
  sources: ComplianceSources,
  options: { stack?: string | undefined; baseline?: Baseline | undefined; now: number },
): Promise<ComplianceState> {
  const baseline = options.baseline ?? "bio2";
  const stacks = await latestAuditPerStack(db);
  const chosen = options.stack === undefined ? stacks[0] : stacks.find((s) => s.stack === options.stack);
  if (options.stack !== undefined && !chosen)
    throw new UsageError(
      `no audit of stack "${options.stack}"; stacks with an audit: ${stacks.map((s) => s.stack).join(", ") || "none"}`,
    );
  const text = chosen ? await auditReportText(db, chosen.id) : undefined;
  // Stored reports were validated on the way in; parsing again keeps the types honest.
  const report = text === undefined ? undefined : auditReportSchema.parse(JSON.parse(text));
  return {
    stacks,
    stack: chosen?.stack,
    report: report ? { summary: report.summary, generatedAt: report.generatedAt, tool: report.tool } : undefined,
    baseline,
    coverage: coverageMatrix(report, baseline),
    trend: baseline === "bio2" && chosen ? await yearTrend(db, chosen.stack, options.now) : undefined,
    dossierYears: [new Date(options.now).getUTCFullYear() - 1, new Date(options.now).getUTCFullYear()],
    failures: report?.findings.filter((f) => f.outcome !== "waived") ?? [],
    waivers: currentWaivers(sources, options.now),
    waiversFile: sources.waiversFile,
    canRun: sources.previewFile !== undefined,
  };
}

async function yearTrend(db: LedgerDb, stack: string, now: number): Promise<ComplianceState["trend"]> {
  const months = trendMonths(new Date(now).toISOString().slice(0, 10));
  const from = `${months[0] ?? ""}-01T00:00:00.000Z`;
  const results = await measureResultsBetween(db, { stack, from, to: new Date(now + 1).toISOString() });
  return { months, byControl: Object.fromEntries(measureTrend(results, months)) };
}

/** The waivers file as of `now` (the dashboard's clock): read at every request, so a merged change shows at once. */
export function currentWaivers(sources: ComplianceSources, now: number): WaiverView[] {
  return waiverViews(loadWaivers(sources.waiversFile, new Date(now)), new Date(now).toISOString().slice(0, 10));
}

export { listAuditReports };

/** The yearly evidence dossier of one stack as a zip, for the auditor's download. */
export async function evidenceDossierZip(
  db: LedgerDb,
  sources: ComplianceSources,
  options: { year: number; stack?: string | undefined; now: number },
): Promise<{ fileName: string; zip: Uint8Array }> {
  const { buildEvidenceDossier, zipDossier } = await import("./evidence/evidenceDossier.js");
  const dossier = await buildEvidenceDossier(db, {
    year: options.year,
    stack: options.stack,
    waiversFile: sources.waiversFile,
    applicabilityFile: sources.applicabilityFile ?? defaultApplicabilityPath(),
    inventoryFile: sources.inventoryFile,
    now: options.now,
  });
  const name = `ensia-${dossier.year}-${dossier.stack.replace(/[^A-Za-z0-9._-]/g, "_")}.zip`;
  return { fileName: name, zip: zipDossier(dossier) };
}
