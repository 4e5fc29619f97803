// Reading a `pulumi preview --json` document. Anything unreadable is the user's input at fault: a
// UsageError (exit 2) naming the file and, for JSON syntax errors, the line and column.
import { readFileSync } from "node:fs";
import { UsageError } from "../../errors.js";
import { previewDigest, type PreviewDigest } from "../../stacks/previewDigest.js";

export function readPreviewFile(path: string): PreviewDigest {
  let text: string;
  try {
    text = path === "-" ? readFileSync(0, "utf8") : readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`couldn't read preview ${path}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : String(code ?? error)}`);
  }
  return parsePreview(text, path);
}

export function parsePreview(text: string, path: string): PreviewDigest {
  let data: unknown;
  try {
    // The real CLI may print a BOM-less document with leading warnings on stderr only; strip a BOM.
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    let where = "";
    if (position) {
      const offset = Number(position[1]);
      const before = text.slice(0, offset);
      const line = before.split("\n").length;
      const column = offset - before.lastIndexOf("\n");
      where = `:${line}:${column}`;
    }
    throw new UsageError(`preview ${path}${where} is not valid JSON: ${message}; pass the output of \`pulumi preview --json\` or \`muniops plan\``);
  }
  const parsed = previewDigest.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    throw new UsageError(`preview ${path} is not a \`pulumi preview --json\` document${at}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}
