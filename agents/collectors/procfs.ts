// Small helpers the Linux collectors share: reading a kernel file under --path.procfs, and turning an
// exclusion pattern from a flag into a RegExp with a clear error.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../../errors.js";

export function readProcFile(procfs: string, relative: string): Promise<string> {
  return readFile(join(procfs, relative), "utf8");
}

/** Compile a pattern given by a flag; an invalid one is a UsageError naming the flag. Empty means "none". */
export function compilePattern(flag: string, pattern: string): RegExp | undefined {
  if (pattern === "") return undefined;
  try {
    return new RegExp(pattern);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, "") : String(error);
    throw new UsageError(`${flag}: invalid regular expression ${JSON.stringify(pattern)}: ${reason}`);
  }
}

/** Split a kernel table line on runs of whitespace. */
export function fields(line: string): string[] {
  return line.trim().split(/\s+/);
}
