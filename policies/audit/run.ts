// `muniops audit`: read the Pulumi document (or plan the stack), refuse what cannot be audited honestly
// (a failed preview, a partial one unless --allow-partial), evaluate every policy, write the report in
// the chosen format, and fail (exit 1) on any unwaived mandatory violation; nothing audited is exit 2.
import { OperationFailedError, UsageError } from "../../errors.js";
import { logger } from "../../logger.js";
import { packageVersion } from "../../packageInfo.js";
import type { Baseline } from "../baseline.js";
import type { AuditFormat } from "../settings.js";
import { loadWaivers } from "../waivers.js";
import { writeAtomically } from "../writeAtomically.js";
import { renderHtml } from "../formats/html.js";
import { renderJson } from "../formats/json.js";
import { renderJunit } from "../formats/junit.js";
import { renderMarkdown } from "../formats/markdown.js";
import { renderOscal } from "../formats/oscal.js";
import { renderSarif } from "../formats/sarif.js";
import { renderTable, summaryLine } from "../formats/table.js";
import { audit, hasMandatoryFailure } from "./evaluate.js";
import { readPolicyConfig } from "./policyConfig.js";
import { readPreviewFile } from "./readPreview.js";
import { planStackDocument } from "./stackDocument.js";
import { assertAuditable } from "./auditable.js";
import { buildReport, type AuditReport } from "./report.js";

export interface RunAuditOptions {
  preview?: string;
  stack?: string;
  format: AuditFormat;
  /** What the coverage matrix is keyed by (default bio2). */
  baseline?: Baseline;
  out?: string;
  waivers: string;
  policyConfig?: string;
  /** Audit a document that leaves resources out: resource policies only, stack policies skipped. */
  allowPartial?: boolean;
  now?: Date;
  /** Store the run in the audit history (`--record`); returns the line telling where it went. */
  record?: (report: AuditReport) => Promise<string>;
  /** Where the one-line summary goes when the report itself goes elsewhere (default: stderr). */
  notice?: (line: string) => void;
}

const renderers: Record<AuditFormat, (report: AuditReport) => string> = {
  table: renderTable,
  json: renderJson,
  markdown: renderMarkdown,
  html: renderHtml,
  sarif: renderSarif,
  junit: renderJunit,
  oscal: renderOscal,
};

export async function runAudit(options: RunAuditOptions): Promise<AuditReport> {
  if (options.preview !== undefined && options.stack !== undefined)
    throw new UsageError("give either a preview file or --stack, not both");
  if (options.preview === undefined && options.stack === undefined)
    throw new UsageError("give a preview file (`pulumi preview --json > preview.json`) or --stack NAME");
  const policyConfig = options.policyConfig !== undefined ? readPolicyConfig(options.policyConfig) : undefined;
  const waivers = loadWaivers(options.waivers, options.now);
  const document =
    options.preview !== undefined ? readPreviewFile(options.preview) : await planStackDocument(options.stack ?? "");
  const notice = options.notice ?? ((line: string) => process.stderr.write(line + "\n"));
  for (const warning of document.warnings) notice(`warning: ${warning}`);
  assertAuditable(document, options.allowPartial === true);

  const started = performance.now();
  const result = audit(document, { policyConfig, waivers, now: options.now });
  const report = buildReport(result, packageVersion(), { baseline: options.baseline ?? "bio2" });
  logger().debug({ resources: result.resourceCount, ms: Math.round(performance.now() - started) }, "audit evaluated");

  const text = renderers[options.format](report);
  if (options.out !== undefined) writeAtomically(options.out, text);
  else process.stdout.write(text);
  if (options.out !== undefined || options.format !== "table") notice(summaryLine(report));

  if (result.resourceCount === 0) {
    throw new UsageError(
      `nothing audited: ${document.path} shows no resources to evaluate (an empty stack, or a preview with ` +
        `no changes made without --show-sames); no verdict`,
    );
  }
  // A failing run is history too: recorded before the verdict's exit code, never when nothing was audited.
  if (options.record !== undefined) notice(await options.record(report));
  if (hasMandatoryFailure(result)) {
    throw new OperationFailedError(`audit failed: ${report.summary.mandatoryFailures} unwaived mandatory violation(s)`);
  }
  return report;
}
