// The gate before any verdict, shared by `muniops audit` and the dashboard's server-side audit.
import { UsageError } from "../../errors.js";
import type { PulumiDocument } from "./pulumiDocument.js";

/**
 * What must stop an audit before any verdict: Pulumi's own errors (the preview failed, so what it shows
 * is not what `pulumi up` would do), and a document whose stack policies cannot be judged, unless the
 * auditor accepts a partial audit with --allow-partial.
 */
export function assertAuditable(document: PulumiDocument, allowPartial: boolean): void {
  if (document.errors.length > 0) {
    const lines = document.errors.map((e) => `  ${e.urn ?? "(stack)"}: ${e.message}`);
    throw new UsageError(
      [
        `${document.path}: the preview failed; Pulumi reported ${document.errors.length} ` +
          `error${document.errors.length === 1 ? "" : "s"}:`,
        ...lines,
        "fix them and run the preview again; a failed preview is not audited",
      ].join("\n"),
    );
  }
  const coverage = document.coverage;
  if (allowPartial) return;
  if (coverage.partial) {
    throw new UsageError(
      `${document.path} is a partial preview: ${coverage.partialReason ?? "resources are missing"}; or pass ` +
        `--allow-partial to audit only resource policies on the ${coverage.shown} ` +
        `resource${coverage.shown === 1 ? "" : "s"} it shows`,
    );
  }
  if (!coverage.dependencies) {
    throw new UsageError(
      `${document.path} is a streaming preview (PULUMI_ENABLE_STREAMING_JSON_PREVIEW): its engine events ` +
        `carry no dependencies, so stack policies cannot be judged; run \`pulumi preview --json --show-sames\` ` +
        `without that variable, or pass --allow-partial to audit resource policies only`,
    );
  }
}
