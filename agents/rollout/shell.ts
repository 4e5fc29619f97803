// Quoting for the remote POSIX shell and PowerShell: every value that reaches a remote command line
// (paths, versions, user names) goes through one of these, never string concatenation alone.

/** Single-quote for sh: safe for any byte string. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Single-quote for PowerShell. */
export function psQuote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `powershell -EncodedCommand`: the script travels as base64 UTF-16LE, so no shell ever re-parses it. */
export function encodePowerShell(script: string): string {
  return (
    `powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ` +
    Buffer.from(script, "utf16le").toString("base64")
  );
}
