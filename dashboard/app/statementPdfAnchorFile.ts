// Reading the chain positions of statement PDFs named on the command line, each error naming its file.
import { readFileSync } from "node:fs";
import { UsageError } from "../../errors.js";
import type { ExternalAnchor } from "./ledgerVerify.js";
import { anchorInPdf } from "../domain/statementPdfAnchor.js";

const fileErrors: Record<string, string> = { ENOENT: "does not exist", EISDIR: "is a directory" };

export function readStatementPdfAnchors(files: readonly string[]): ExternalAnchor[] {
  return files.map((file) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = fileErrors[code ?? ""] ?? (error as Error).message;
      throw new UsageError(`--statement-pdf ${file} ${why}: give a PDF written by \`muniops statement --format pdf\``);
    }
    const anchor = anchorInPdf(bytes);
    if (!anchor) {
      const valid = "give the PDF of a closed month's statement";
      throw new UsageError(`--statement-pdf ${file} carries no ledger chain position: ${valid}`);
    }
    return { ...anchor, source: `the statement PDF ${file}` };
  });
}
