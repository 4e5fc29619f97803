// Reading the Pulumi document to audit from a file or stdin. Anything unreadable is the user's input at
// fault: a UsageError (exit 2) naming the file and, for JSON syntax errors, the line and column.
import { readFileSync } from "node:fs";
import { UsageError } from "../../errors.js";
import { parsePulumiDocument, type PulumiDocument } from "./pulumiDocument.js";

export function readPreviewFile(path: string): PulumiDocument {
  let text: string;
  try {
    text = path === "-" ? readFileSync(0, "utf8") : readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : String(code ?? error);
    throw new UsageError(
      `couldn't read ${path}: ${why} (the document to audit: \`pulumi preview --json --show-sames\` output, ` +
        `a stack export or a plan)`,
    );
  }
  return parsePreview(text, path === "-" ? "stdin" : path);
}

export function parsePreview(text: string, path: string): PulumiDocument {
  return parsePulumiDocument(text, path);
}
