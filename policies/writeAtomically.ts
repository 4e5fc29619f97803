// Reports and statements are written next to their target and then renamed: a reader never sees half a file.
import { renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UsageError } from "../errors.js";

/** Write next to the target, then rename. `what` names the file in an error ("report", "statement"). */
export function writeAtomically(path: string, text: string, what = "report"): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    throw new UsageError(`couldn't write ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
