// Embedded mode, when no Prometheus is configured: metering scrapes each inventory host's agent itself
// and keeps the samples in the ledger; an hour's usage is then derived from the samples taken in it.
// Department and host come from the inventory, as Prometheus's file_sd would attach them.
import type { InventoryHost } from "../../contracts/inventory.js";
import type { Ledger } from "../data-access/database.js";
import { recordScrapeSamples, scrapeSamples } from "../data-access/usage.js";
import { hostSnapshots, saveHostSnapshots } from "../data-access/hostStatus.js";
import { type HostSnapshot } from "../domain/records.js";
import { downSnapshot, snapshotFromExposition } from "./hostSnapshot.js";
import { addHours, hourKey, hoursBetween } from "../domain/period.js";
import { parseExposition } from "./exposition.js";
import type { HostHour, MeteredHours, Measurements, UsageSource } from "./source.js";
import { chargeDepartmentLabel } from "../../contracts/metrics.js";
import { meteredSamples, recordMeteredSamples, type MeteredSample } from "../data-access/meteredUsage.js";
import { meteredFromReadings } from "./meteredQuantity.js";
import { patchStateFromExposition } from "./patchSeries.js";
import { savePatchSnapshots } from "../data-access/patchSnapshots.js";
import type { PatchState } from "../domain/patchCompliance.js";

/** Returns a host's exposition text, or throws when it can't be reached. */
export type MetricsFetcher = (host: InventoryHost, timeoutMs: number) => Promise<string>;

export const httpFetcher: MetricsFetcher = async (host, timeoutMs) => {
  const address = host.address.includes(":") ? `[${host.address}]` : host.address;
  const response = await fetch(`http://${address}:${host.agentPort}/metrics`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
};

export interface ScrapeOptions {
  timeoutMs: number;
  /** Per collection method: `agent` (HTTP /metrics, the default) and `ssh` (agentless, from agents/agentless). */
  fetchers?: Partial<Record<"agent" | "ssh", MetricsFetcher>>;
  now?: number;
  concurrency?: number;
  /**
   * Store only the hosts' live status, no usage samples: the start-up reading that gives the next
   * scrape a previous CPU reading, so the first scrape of a tick already shows a busy share.
   */
  statusOnly?: boolean;
}

export interface ScrapeResult {
  host: string;
  up: boolean;
  error?: string;
}

/** Scrape every host once and store the samples; a host that doesn't answer is recorded as down. */
export async function scrapeInventory(
  ledger: Ledger,
  hosts: readonly InventoryHost[],
  options: ScrapeOptions,
): Promise<ScrapeResult[]> {
  const at = new Date(options.now ?? Date.now()).toISOString();
  const results: ScrapeResult[] = [];
  const samples: { host: string; at: string; up: number; fsUsedBytes: bigint | null }[] = [];
  // The live status (operations page) needs the previous scrape's CPU counters for the busy share.
  const previous = await hostSnapshots(
    ledger.db,
    hosts.map((h) => h.name),
  );
  const snapshots: HostSnapshot[] = [];
  const patches: PatchState[] = [];
  // Counters labelled with the department a unit is charged to: a metered driver's readings.
  const metered: MeteredSample[] = [];
  const queue = [...hosts];
  const worker = async (): Promise<void> => {
    for (let host = queue.shift(); host; host = queue.shift()) {
      const method = host.collect ?? "agent";
      const fetcher = options.fetchers?.[method] ?? (method === "agent" ? httpFetcher : undefined);
      if (!fetcher) {
        // No way to reach it: no sample, so the hour becomes a gap rather than "down".
        results.push({ host: host.name, up: false, error: `no fetcher for collect: ${method}` });
        continue;
      }
      try {
        const text = await fetcher(host, options.timeoutMs);
        const exposed = parseExposition(text);
        const snapshot = snapshotFromExposition(host.name, at, exposed, previous.get(host.name));
        snapshots.push(snapshot);
        patches.push(patchStateFromExposition(host.name, host.department, at, exposed));
        samples.push({ host: host.name, at, up: 1, fsUsedBytes: snapshot.fsUsedBytes });
        for (const e of exposed)
          if (e.labels[chargeDepartmentLabel])
            metered.push({ host: host.name, at, metric: e.name, labels: e.labels, value: e.value });
        results.push({ host: host.name, up: true });
      } catch (error) {
        samples.push({ host: host.name, at, up: 0, fsUsedBytes: null });
        snapshots.push(downSnapshot(host.name, at, previous.get(host.name)));
        results.push({ host: host.name, up: false, error: (error as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 32, Math.max(1, hosts.length)) }, worker));
  if (!options.statusOnly) {
    await recordScrapeSamples(ledger.db, samples);
    await recordMeteredSamples(ledger.db, metered);
  }
  await saveHostSnapshots(ledger.db, snapshots);
  // The day's patch snapshot (BIO2 8.08.01): only servers that answered; a later scrape that day replaces it.
  await savePatchSnapshots(ledger.db, patches);
  return results;
}

export class EmbeddedSource implements UsageSource {
  readonly name = "embedded scraper";
  constructor(
    private readonly ledger: Ledger,
    private readonly departmentOf: (host: string) => string | null,
  ) {}

  async measure(from: string, to: string): Promise<Measurements> {
    const result: Measurements = new Map(hoursBetween(from, to).map((h) => [h, new Map<string, HostHour>()]));
    const samples = await scrapeSamples(this.ledger.db, `${from}:00:00Z`, `${addHours(to, 1)}:00:00Z`);
    const acc = new Map<string, { n: number; up: number; fs: bigint; fsN: number }>();
    for (const s of samples) {
      const key = `${hourKey(Date.parse(s.at))}\u0000${s.host}`;
      const a = acc.get(key) ?? { n: 0, up: 0, fs: 0n, fsN: 0 };
      a.n++;
      a.up += s.up;
      if (s.fsUsedBytes !== null) {
        a.fs += s.fsUsedBytes;
        a.fsN++;
      }
      acc.set(key, a);
    }
    for (const [key, a] of acc) {
      const [hour = "", host = ""] = key.split("\u0000");
      result.get(hour)?.set(host, {
        host,
        department: this.departmentOf(host),
        up: a.up / a.n,
        fsUsedBytes: a.fsN > 0 ? a.fs / BigInt(a.fsN) : null,
        vcpus: null,
        memoryBytes: null,
      });
    }
    return result;
  }

  /** The hourly increase of each counter from the stored readings, from the last one before each hour. */
  async measureMetered(metrics: readonly string[], from: string, to: string): Promise<MeteredHours> {
    const since = new Date(Date.parse(`${addHours(from, -1)}:00:00Z`)).toISOString();
    const until = new Date(Date.parse(`${addHours(to, 1)}:00:00Z`)).toISOString();
    const readings = (await meteredSamples(this.ledger.db, metrics, since, until)).map((r) => ({
      ...r,
      t: Date.parse(r.at),
    }));
    return meteredFromReadings(readings, hoursBetween(from, to));
  }
}
