// Runs a package manager's query for the patch check: never per scrape, only from the background refresh,
// with a timeout, the C locale (the parsers read English output) and a bounded output.
import { execFile } from "node:child_process";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCommand(file: string, args: readonly string[], timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, LANG: "C", LC_ALL: "C" };
    execFile(
      file,
      args,
      { env, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          reject(new Error(`${file}: ${error.killed ? `no answer within ${timeoutMs / 1000} s` : error.message}`));
          return;
        }
        resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** The last non-empty line of stderr, for an error message that says what the tool said. */
export function lastLine(text: string): string {
  return (
    text
      .trim()
      .split("\n")
      .filter((l) => l.trim() !== "")
      .pop() ?? ""
  );
}
