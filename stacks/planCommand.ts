// `muniops plan`: run planStack with a progress bar on a terminal, write the preview JSON and the
// inventory atomically, print the summary tables (and the comparison with --compare) on stdout.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import cliProgress from "cli-progress";
import { UsageError } from "../errors.js";
import { comparePlans } from "./planCompare.js";
import { renderComparison, renderSummary } from "./planReport.js";
import { planCost } from "./planCost.js";
import { renderComparisonMarkdown, renderPlanCost } from "./planCostReport.js";
import type { CostModel } from "../contracts/planCosting.js";
import { previewDigest, type PreviewDigest } from "../contracts/pulumiDocuments.js";
import { readStackFile, stackFilePath } from "./stackFile.js";

export interface PlanCommand {
  stack: string;
  out?: string;
  inventory?: string;
  compare?: string;
  /** "markdown": only the comparison and its cost, as a pull-request comment (needs `compare`). */
  format?: "table" | "markdown";
  /** The price lists a comparison's cost is given in (the rate card, the list prices); none: no cost. */
  costModels?: () => Promise<CostModel[]>;
}

/** Write via a temporary file and rename, so a reader never sees half a document. */
export function writeAtomically(path: string, text: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text, { mode: 0o644 });
    renameSync(temporary, path);
  } catch (error) {
    throw new UsageError(`couldn't write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

export function readPreviewJson(path: string, flag: string): PreviewDigest {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`couldn't read ${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`couldn't read ${flag} ${path}: not valid JSON (${(error as Error).message})`);
  }
  const result = previewDigest.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UsageError(
      `couldn't read ${flag} ${path}: not a \`pulumi preview --json\` document ` +
        `(${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "invalid"})`,
    );
  }
  return result.data;
}

export async function runPlanCommand(command: PlanCommand): Promise<void> {
  if (command.format === "markdown" && command.compare === undefined)
    throw new UsageError("--format markdown renders a comparison: give --compare <old.json> too");
  // Read the old plan first: a typo in --compare shouldn't cost a full evaluation.
  const before = command.compare !== undefined ? readPreviewJson(command.compare, "--compare") : undefined;
  // So is a wrong stack name: check its settings file before loading Pulumi (seconds).
  const stackFile = stackFilePath(command.stack);
  readStackFile(stackFile);
  const { planStack } = await import("./plan.js");
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          format: "planning {stack} [{bar}] {value} resources",
          stream: process.stderr,
          clearOnComplete: true,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(1000, 0, { stack: command.stack });
  let result;
  try {
    result = await planStack({
      stack: command.stack,
      stackFile,
      onProgress: (n) => bar?.update(n, { stack: command.stack }),
    });
  } finally {
    bar?.stop();
  }
  const json = JSON.stringify(result.digest, null, 2) + "\n";
  if (command.out !== undefined) writeAtomically(command.out, json);
  if (command.inventory !== undefined)
    writeAtomically(command.inventory, JSON.stringify(result.inventory, null, 2) + "\n");
  const markdown = command.format === "markdown";
  // Warnings go to stderr, so the tables on stdout can be attached to a change as they are.
  if (!markdown) process.stdout.write(renderSummary({ ...result.summary, warnings: [] }));
  for (const warning of result.summary.warnings) process.stderr.write(`muniops: warning: ${warning}\n`);
  if (before) {
    const comparison = comparePlans(before, result.digest);
    const models = command.costModels ? await command.costModels() : [];
    const cost = models.length > 0 ? planCost(before, result.digest, models) : undefined;
    const labels = { before: command.compare ?? "", after: `stack ${command.stack}` };
    if (markdown) process.stdout.write(renderComparisonMarkdown(comparison, cost, labels));
    else {
      process.stdout.write("\n" + renderComparison(comparison, labels));
      if (cost) process.stdout.write("\n" + renderPlanCost(cost));
    }
  }
}
