// The record of every rollout (who, when, which version, every host's result, every wave), appended as
// one JSON line to a local file: change evidence for auditors (BIO2 change management). Append-only:
// a record is written once, when the rollout ends (also when it was stopped or interrupted), and never
// rewritten; `muniops agents history` and the dashboard's operations page read it back.
import { appendFile, mkdir } from "node:fs/promises";
import { hostname, userInfo } from "node:os";
import { dirname } from "node:path";
import type { RolloutRecord } from "../../contracts/rolloutHistory.js";

export {
  readRolloutHistory as readHistory,
  rolloutRecord,
  rolloutStatuses,
  type HistoryHost,
  type HistoryWave,
  type RolloutRecord,
  type RolloutStatus,
} from "../../contracts/rolloutHistory.js";

/** Who ran the rollout: the login behind sudo if there is one, else the local user. */
export function rolloutUser(): string {
  if (process.env.SUDO_USER) return process.env.SUDO_USER;
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

export function deployerName(): string {
  return hostname();
}

/** Append one record as one line (a single write, so concurrent rollouts never interleave within a line). */
export async function appendRecord(path: string, record: RolloutRecord): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, JSON.stringify(record) + "\n", { mode: 0o640 });
}

/** The last rollout of this version that did not complete: what a --resume run continues. */
export function lastUnfinished(records: readonly RolloutRecord[], version: string): RolloutRecord | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const record = records[i];
    if (record?.version !== version) continue;
    return record.status === "completed" ? undefined : record;
  }
  return undefined;
}
