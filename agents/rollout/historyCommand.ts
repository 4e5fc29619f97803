// `muniops agents history`: the recorded rollouts, newest first, as a table or as the stored JSON lines.
import Table from "cli-table3";
import type { Command } from "commander";
import { resolveSettings } from "../../settings.js";
import { readRolloutHistory, rolloutCounts, type RolloutRecord } from "../../contracts/rolloutHistory.js";
import { expandHome, historySettings } from "./settings.js";

export async function historyCommand(
  command: Command,
  configFile: string | undefined,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const config = resolveSettings(historySettings, { command, configFile });
  const records = (await readRolloutHistory(expandHome(config.historyFile))).slice(-config.limit).reverse();
  if (config.format === "json") {
    for (const record of records) out.write(JSON.stringify(record) + "\n");
    return;
  }
  out.write(historyTable(records) + "\n");
}

/** One row per rollout: when, who, which version, how it ended, its hosts and waves in figures. */
export function historyTable(records: readonly RolloutRecord[]): string {
  if (records.length === 0) return "no rollouts recorded yet";
  const table = new Table({
    head: ["started", "user", "version", "status", "hosts", "ok", "failed", "not started", "waves", "id"],
    style: { head: [], border: [] },
  });
  for (const r of records) {
    const counts = rolloutCounts(r);
    table.push([
      r.startedAt.replace("T", " ").slice(0, 19),
      r.user,
      r.version,
      r.status + (r.resumes ? " (resumed)" : ""),
      r.hosts.length,
      counts.ok,
      counts.failed,
      counts.notStarted,
      r.waves.map((w) => `${w.name}: ${w.status}`).join(", "),
      r.id,
    ]);
  }
  return table.toString();
}
