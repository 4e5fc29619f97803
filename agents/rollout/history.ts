// The record of every rollout (who, when, which version, every host's result, every wave), appended as
// one JSON line to a local file: change evidence for auditors (BIO2 change management). Append-only:
// a record is written once, when the rollout ends (also when it was stopped or interrupted), and never
// rewritten; `muniops agents history` and the dashboard's operations page read it back.
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { hostname, userInfo } from "node:os";
import { dirname } from "node:path";
import { z } from "zod";
import { UsageError } from "../../errors.js";

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

/** Every record in the file, oldest first; a missing file is an empty history. A bad line is an error naming it. */
export async function readHistory(path: string): Promise<RolloutRecord[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new UsageError(`couldn't read the rollout history ${path}: ${(error as NodeJS.ErrnoException).code}`);
  }
  return parseHistory(text, path);
}

export function parseHistory(text: string, source: string): RolloutRecord[] {
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

/** The last rollout of this version that did not complete: what a --resume run continues. */
export function lastUnfinished(records: readonly RolloutRecord[], version: string): RolloutRecord | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const record = records[i];
    if (record?.version !== version) continue;
    return record.status === "completed" ? undefined : record;
  }
  return undefined;
}
