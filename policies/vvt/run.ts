// `muniops vvt`: the statement of applicability. Audits the given document (or the stack's offline plan)
// with the very same audit as `muniops audit`, then writes one row per BIO2 entry and the annex of
// exceptions. `--format oscal-catalog` writes the BIO2 catalog itself and needs no document.
import { UsageError } from "../../errors.js";
import { assertAuditable } from "../audit/auditable.js";
import { audit } from "../audit/evaluate.js";
import { readPreviewFile } from "../audit/readPreview.js";
import { planStackDocument } from "../audit/stackDocument.js";
import { bio2Catalog } from "../bio2Catalog.js";
import { policies } from "../catalog.js";
import { bio2OscalCatalog } from "../oscal/bio2OscalCatalog.js";
import type { VvtFormat } from "../settings.js";
import { loadWaivers, type WaiverSet } from "../waivers.js";
import { writeAtomically } from "../writeAtomically.js";
import { loadApplicability } from "./applicability.js";
import { renderVvtCsv, renderVvtHtml, renderVvtJson, renderVvtMarkdown } from "./renderVvt.js";
import { buildVvt, type Vvt } from "./statement.js";

export interface RunVvtOptions {
  document?: string;
  stack?: string;
  format: VvtFormat;
  out?: string;
  applicability: string;
  waivers: string;
  now?: Date;
  /** Where warnings go (default: stderr). */
  notice?: (line: string) => void;
}

const renderers: Record<Exclude<VvtFormat, "oscal-catalog">, (vvt: Vvt) => string> = {
  csv: renderVvtCsv,
  markdown: renderVvtMarkdown,
  html: renderVvtHtml,
  json: renderVvtJson,
};

/** An invalid waiver cannot be put in the annex honestly: refuse, naming each with its file:line. */
function assertWaiversValid(waivers: WaiverSet): void {
  const invalid = waivers.statuses.filter((s) => s.state === "invalid");
  if (invalid.length === 0) return;
  const lines = invalid.map((s) => `  ${waivers.file}:${s.line}: waiver ${s.id}: ${s.problems.join("; ")}`);
  const head = `the annex of exceptions needs valid waivers; ${invalid.length} invalid:`;
  throw new UsageError([head, ...lines].join("\n"));
}

export async function runVvt(options: RunVvtOptions): Promise<Vvt | undefined> {
  if (options.document !== undefined && options.stack !== undefined) {
    throw new UsageError("give either a document or --stack, not both");
  }
  const write = (text: string): void => {
    if (options.out !== undefined) writeAtomically(options.out, text, "statement");
    else process.stdout.write(text);
  };
  if (options.format === "oscal-catalog") {
    if (options.document !== undefined || options.stack !== undefined) {
      throw new UsageError("--format oscal-catalog writes the BIO2 catalog: give no document or --stack");
    }
    write(JSON.stringify(bio2OscalCatalog(bio2Catalog()), null, 2) + "\n");
    return undefined;
  }
  const notice = options.notice ?? ((line: string) => process.stderr.write(line + "\n"));
  const now = options.now ?? new Date();
  const applicability = loadApplicability(options.applicability);
  const waivers = loadWaivers(options.waivers, now);
  assertWaiversValid(waivers);
  const document =
    options.document !== undefined
      ? readPreviewFile(options.document)
      : options.stack !== undefined
        ? await planStackDocument(options.stack)
        : undefined;
  let tallies;
  let audited: Vvt["audited"] = null;
  if (document !== undefined) {
    for (const warning of document.warnings) notice(`warning: ${warning}`);
    assertAuditable(document, false);
    const result = audit(document, { waivers, now });
    if (result.resourceCount === 0) {
      throw new UsageError(`nothing audited: ${document.path} shows no resources to evaluate; no results to state`);
    }
    tallies = result.tallies;
    audited = { document: document.path, stack: result.stack ?? null };
  }
  const vvt = buildVvt({ policies, tallies, waivers, applicability, audited, now });
  write(renderers[options.format](vvt));
  return vvt;
}
