// Run a deploy wave by wave. Within a wave hosts run `parallel` at a time (runFleet); once a wave has
// more failed hosts than it tolerates, no further host of it is started, its deployed hosts are taken
// back (rolled back to the version they ran, a first install removed: the per-host rollback the rollout
// already has), and no later wave starts. An abort signal (Ctrl-C) lets running hosts finish and starts
// no more: an interrupted rollout, which `--resume` continues.
import type { InventoryHost } from "../../contracts/inventory.js";
import { runFleet, type FleetListener } from "./fleet.js";
import type { HistoryWave, RolloutStatus } from "./history.js";
import type { HostResult, StepListener } from "./hostOperations.js";
import { isFailure } from "./report.js";
import type { Wave } from "./waves.js";

export interface WaveHostResult extends HostResult {
  wave: number;
}

export type WaveReport = HistoryWave;

export interface WaveListener extends FleetListener {
  onWave?(report: WaveReport): void;
}

export interface WaveOperations {
  deploy(host: InventoryHost, step: StepListener): Promise<HostResult>;
  /** Take back a host the stopped wave had deployed (its deploy result says from which version). */
  withdraw(host: InventoryHost, deployed: HostResult, step: StepListener): Promise<HostResult>;
}

export interface RolloutOutcome {
  status: RolloutStatus;
  results: WaveHostResult[];
  waves: WaveReport[];
}

function notStarted(host: InventoryHost, wave: number): WaveHostResult {
  return { host: host.name, address: host.address, status: "not-started", wave, durationMs: 0 };
}

const isOk = (r: HostResult): boolean => ["deployed", "unchanged", "skipped", "would-deploy"].includes(r.status);

export async function runWaves(
  waves: readonly Wave[],
  parallel: number,
  operations: WaveOperations,
  listener: WaveListener = {},
  signal?: AbortSignal,
): Promise<RolloutOutcome> {
  const results: WaveHostResult[] = [];
  const reports: WaveReport[] = [];
  let stopped = false;
  for (const wave of waves) {
    const report = (status: WaveReport["status"], rows: readonly WaveHostResult[], rolledBack = 0): WaveReport => ({
      wave: wave.index,
      name: wave.name,
      hosts: wave.hosts.length,
      ok: rows.filter(isOk).length,
      failed: rows.filter((r) => isFailure(r)).length - rolledBack,
      rolledBack,
      notStarted: rows.filter((r) => r.status === "not-started").length,
      maxFailures: wave.maxFailures,
      status,
    });
    if (stopped || signal?.aborted) {
      const rows = wave.hosts.map((h) => notStarted(h, wave.index));
      rows.forEach((r) => listener.onResult?.(r));
      results.push(...rows);
      const skipped = report(signal?.aborted && !stopped ? "interrupted" : "not-started", rows);
      reports.push(skipped);
      listener.onWave?.(skipped);
      continue;
    }
    const outcome = await runWave(wave, parallel, operations, listener, signal);
    results.push(...outcome.rows);
    const status = outcome.crossed ? "stopped" : signal?.aborted ? "interrupted" : "ok";
    const ended = report(status, outcome.rows, outcome.rolledBack);
    reports.push(ended);
    listener.onWave?.(ended);
    if (outcome.crossed) stopped = true;
  }
  const status: RolloutStatus = stopped
    ? "stopped"
    : signal?.aborted
      ? "interrupted"
      : results.some((r) => isFailure(r))
        ? "failed"
        : "completed";
  return { status, results, waves: reports };
}

async function runWave(
  wave: Wave,
  parallel: number,
  operations: WaveOperations,
  listener: WaveListener,
  signal: AbortSignal | undefined,
): Promise<{ rows: WaveHostResult[]; crossed: boolean; rolledBack: number }> {
  // Written by the hosts' callbacks: an object, so the checks below read the value after the fleet ran.
  const tally = { failures: 0, crossed: false };
  const deployed = await runFleet(
    wave.hosts,
    parallel,
    async (host, step) => {
      if (tally.crossed || signal?.aborted) return notStarted(host, wave.index);
      const result = await operations.deploy(host, step);
      if (isFailure(result) && ++tally.failures > wave.maxFailures) tally.crossed = true;
      return result;
    },
    {
      onStep: (host, step) => listener.onStep?.(host, step),
      onResult: (r) => {
        const row: WaveHostResult = { ...r, wave: wave.index };
        listener.onResult?.(row);
      },
    },
  );
  const rows = deployed.map((r) => ({ ...r, wave: wave.index }));
  if (!tally.crossed) return { rows, crossed: false, rolledBack: 0 };

  // The wave crossed its limit: take back what it deployed, `parallel` at a time, in wave order.
  const reason =
    `${wave.name} stopped: ${tally.failures} of ${wave.hosts.length} hosts failed (tolerated: ` +
    `${wave.maxFailures})`;
  const taken = rows.flatMap((row, index) => (row.status === "deployed" ? [{ row, index }] : []));
  const withdrawn = await runFleet(
    taken.map(({ index }) => wave.hosts[index] as InventoryHost),
    parallel,
    (host, step) => withdrawOne(operations, host, rowOf(rows, host), reason, step),
  );
  let rolledBack = 0;
  withdrawn.forEach((result, i) => {
    const index = taken[i]?.index ?? -1;
    const row: WaveHostResult = { ...result, wave: wave.index };
    rows[index] = row;
    if (result.status === "rolled-back") rolledBack++;
    listener.onResult?.(row);
  });
  return { rows, crossed: true, rolledBack };
}

function rowOf(rows: readonly WaveHostResult[], host: InventoryHost): WaveHostResult {
  const row = rows.find((r) => r.host === host.name);
  if (!row) throw new Error(`no result for ${host.name}`);
  return row;
}

/** Take one host of a stopped wave back; its row says what it ran and why it was taken back. */
async function withdrawOne(
  operations: WaveOperations,
  host: InventoryHost,
  before: HostResult,
  reason: string,
  step: StepListener,
): Promise<HostResult> {
  const result = await operations.withdraw(host, before, step);
  const rolledBack = result.status === "rolled-back";
  const detail = rolledBack ? `rolled back to ${before.from ?? "nothing (removed)"}` : (result.error ?? "");
  const taken: HostResult = {
    host: before.host,
    address: before.address,
    status: rolledBack ? "rolled-back" : "failed",
    error: `${reason}; ${detail}`,
    durationMs: before.durationMs + result.durationMs,
  };
  if (before.to !== undefined) taken.from = before.to;
  if (before.from !== undefined) taken.to = before.from;
  return taken;
}
