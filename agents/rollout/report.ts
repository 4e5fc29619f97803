// What the operator sees. On a terminal: a progress bar while hosts run, then a summary table. Elsewhere
// (CI, pipes): one JSON line per host on stdout as it finishes, and the table on stderr, so stdout stays
// parseable line by line.
import { SingleBar } from "cli-progress";
import Table from "cli-table3";
import type { FleetListener } from "./fleet.js";
import type { HostResult } from "./hostOperations.js";

export interface Reporter extends FleetListener {
  finish(results: readonly HostResult[]): void;
}

export function createReporter(
  operation: string,
  total: number,
  out: NodeJS.WriteStream = process.stdout,
  err: NodeJS.WriteStream = process.stderr,
): Reporter {
  if (out.isTTY) {
    const bar = new SingleBar(
      {
        format: `${operation} [{bar}] {value}/{total} hosts | {failed} failed | {last}`,
        hideCursor: true,
        clearOnComplete: true,
        stream: out,
      },
      undefined,
    );
    let failed = 0;
    bar.start(total, 0, { failed, last: "" });
    return {
      onStep: (host, step) => {
        bar.update({ last: `${host.name}: ${step}` });
      },
      onResult: (result) => {
        if (isFailure(result)) failed++;
        bar.increment({ failed, last: `${result.host}: ${result.status}` });
      },
      finish: (results) => {
        bar.stop();
        out.write(summaryTable(results, true) + "\n");
      },
    };
  }
  return {
    onResult: (result) => out.write(JSON.stringify({ operation, ...result }) + "\n"),
    finish: (results) => err.write(summaryTable(results, err.isTTY) + "\n"),
  };
}

export function isFailure(result: HostResult): boolean {
  return (
    result.status === "failed" ||
    (result.status === "rolled-back" && result.error !== undefined) ||
    result.status === "down"
  );
}

export function summaryTable(results: readonly HostResult[], color = false): string {
  // Colour codes only on a terminal: a CI log or a file gets plain text.
  const style = color ? {} : { style: { head: [], border: [] } };
  const table = new Table({
    head: ["host", "address", "status", "from", "to", "running", "time", "detail"],
    wordWrap: true,
    colWidths: [null, null, null, null, null, null, null, 60] as never,
    ...style,
  });
  for (const r of results) {
    table.push([
      r.host,
      r.address,
      r.status,
      r.from ?? "",
      r.to ?? "",
      r.running ?? "",
      `${(r.durationMs / 1000).toFixed(1)} s`,
      r.error ?? "",
    ]);
  }
  const failures = results.filter(isFailure).length;
  return `${table.toString()}\n${results.length} host${results.length === 1 ? "" : "s"}, ${results.length - failures} ok, ${failures} failed`;
}
