// The record of one rollout (`muniops agents deploy`): who ran it, when, which version, every host's
// result and every wave. The rollout appends one record per line to its history file; `muniops agents
// history` and the dashboard's operations page read them back, both through this schema.
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { UsageError } from "../errors.js";
import { defineSetting } from "../settings.js";

/** Where the records are kept: the rollout writes it, the dashboard reads it (one setting for both). */
export const rolloutHistoryFileSetting = defineSetting({
  key: "rollout.historyFile",
  type: "string",
  schema: z.string().min(1),
  default: "~/.local/share/muniops/rollout-history.jsonl",
  flag: "--history-file",
  description: "the append-only JSON-lines file each rollout's record is added to (who, when, version, hosts, waves)",
});

export const rolloutStatuses = ["completed", "failed", "stopped", "interrupted"] as const;
export type RolloutStatus = (typeof rolloutStatuses)[number];

export const historyHost = z.object({
  host: z.string(),
  address: z.string(),
  wave: z.number().int(),
  status: z.string(),
  from: z.string().optional(),
  to: z.string().optional(),
  error: z.string().optional(),
  durationMs: z.number(),
});

export const historyWave = z.object({
  wave: z.number().int(),
  name: z.string(),
  hosts: z.number().int(),
  ok: z.number().int(),
  failed: z.number().int(),
  rolledBack: z.number().int(),
  notStarted: z.number().int(),
  maxFailures: z.number().int(),
  status: z.enum(["ok", "stopped", "interrupted", "not-started"]),
});

export const rolloutRecord = z.object({
  id: z.string(),
  operation: z.literal("deploy"),
  user: z.string(),
  deployer: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  version: z.string(),
  bundleSha256: z.string(),
  status: z.enum(rolloutStatuses),
  /** The id of the interrupted or stopped rollout this one resumed, when it ran with --resume. */
  resumes: z.string().optional(),
  options: z.object({
    canary: z.number().int(),
    waveSize: z.string(),
    maxFailures: z.string(),
    order: z.string(),
    parallel: z.number().int(),
    resume: z.boolean(),
  }),
  hosts: z.array(historyHost),
  waves: z.array(historyWave),
});

export type RolloutRecord = z.infer<typeof rolloutRecord>;
export type HistoryHost = z.infer<typeof historyHost>;
export type HistoryWave = z.infer<typeof historyWave>;

/** A rollout's hosts in figures: fine (deployed, unchanged, skipped), failed or rolled back, not started. */
export function rolloutCounts(record: RolloutRecord): { ok: number; failed: number; notStarted: number } {
  const count = (statuses: readonly string[]): number => record.hosts.filter((h) => statuses.includes(h.status)).length;
  return {
    ok: count(["deployed", "unchanged", "skipped"]),
    failed: count(["failed", "rolled-back"]),
    notStarted: count(["not-started"]),
  };
}

/** Records from the history file's text, oldest first; a bad line is an error naming it. */
export function parseRolloutHistory(text: string, source: string): RolloutRecord[] {
  const records: RolloutRecord[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      throw new UsageError(`${source}:${i + 1}: not a JSON line; the rollout history is one record per line`);
    }
    const parsed = rolloutRecord.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UsageError(`${source}:${i + 1}: not a rollout record (${issue?.path.join(".")}: ${issue?.message})`);
    }
    records.push(parsed.data);
  });
  return records;
}

/** Every record in the file, oldest first; a missing file is an empty history. A bad line is an error naming it. */
export async function readRolloutHistory(path: string): Promise<RolloutRecord[]> {
  let text: string;
  try {
    text = await readFile(expandHomeIn(path), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new UsageError(`couldn't read the rollout history ${path}: ${(error as NodeJS.ErrnoException).code}`);
  }
  return parseRolloutHistory(text, path);
}

/** `~/` in the setting means the home directory, as the default has it. */
export function expandHomeIn(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}
