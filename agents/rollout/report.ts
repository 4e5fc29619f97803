// What the operator sees. On a terminal: a progress bar while hosts run, then a summary table. Elsewhere
// (CI, pipes): one JSON line per host on stdout as it finishes, and the table on stderr, so stdout stays
// parseable line by line.
import { SingleBar } from "cli-progress";
import Table from "cli-table3";
import type { FleetListener } from "./fleet.js";
import type { HistoryWave } from "./history.js";
import type { HostResult } from "./hostOperations.js";

/** A host's result, with its wave when the deploy ran in waves. */
type ReportedResult = HostResult & { wave?: number };

export interface Reporter extends FleetListener {
  /** A wave ended (deploy only): one JSON line `{"type":"wave",…}`, and a row of the wave table. */
  onWave?(wave: HistoryWave): void;
  finish(results: readonly ReportedResult[], waves?: readonly HistoryWave[]): void;
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
      finish: (results, waves = []) => {
        bar.stop();
        out.write(summaryTable(results, true) + "\n");
        if (waves.length > 1) out.write(waveTable(waves, true) + "\n");
      },
    };
  }
  return {
    onResult: (result) => out.write(JSON.stringify({ operation, ...result }) + "\n"),
    onWave: (wave) => out.write(JSON.stringify({ operation, type: "wave", ...wave }) + "\n"),
    finish: (results, waves = []) => {
      err.write(summaryTable(results, err.isTTY) + "\n");
      if (waves.length > 1) err.write(waveTable(waves, err.isTTY) + "\n");
    },
  };
}

/** One row per wave: its hosts, how many are fine, failed, rolled back by the wave's stop, not started. */
export function waveTable(waves: readonly HistoryWave[], color = false): string {
  const table = new Table({
    head: ["wave", "hosts", "ok", "failed", "rolled back", "not started", "tolerated", "status"],
    ...(color ? {} : { style: { head: [], border: [] } }),
  });
  for (const w of waves)
    table.push([w.name, w.hosts, w.ok, w.failed, w.rolledBack, w.notStarted, w.maxFailures, w.status]);
  return table.toString();
}

export function isFailure(result: HostResult): boolean {
  return (
    result.status === "failed" ||
    (result.status === "rolled-back" && result.error !== undefined) ||
    result.status === "down"
  );
}

export function summaryTable(results: readonly ReportedResult[], color = false): string {
  // Colour codes only on a terminal: a CI log or a file gets plain text.
  const style = color ? {} : { style: { head: [], border: [] } };
  const waved = results.some((r) => r.wave !== undefined);
  const table = new Table({
    head: [...(waved ? ["wave"] : []), "host", "address", "status", "from", "to", "running", "time", "detail"],
    wordWrap: true,
    colWidths: [...(waved ? [null] : []), null, null, null, null, null, null, null, 60] as never,
    ...style,
  });
  for (const r of results) {
    table.push([
      ...(waved ? [r.wave === 0 ? "canary" : String(r.wave ?? "")] : []),
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
  const idle = results.filter((r) => r.status === "not-started").length;
  const counts = `${results.length - failures - idle} ok, ${failures} failed${idle > 0 ? `, ${idle} not started` : ""}`;
  return `${table.toString()}\n${results.length} host${results.length === 1 ? "" : "s"}, ${counts}`;
}
