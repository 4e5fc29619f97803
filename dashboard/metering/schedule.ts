// Metering inside a long-running process (the dashboard, issue 7): scrape every `scrapeIntervalMs` in
// embedded mode, and run `meter` once a tick so each completed hour is recorded soon after it ends. Runs
// never overlap; a failing run is logged and retried on the next tick.
import { logger } from "../../logger.js";
import type { Inventory } from "../../contracts/inventory.js";
import type { Ledger } from "../data-access/database.js";
import { EmbeddedSource, scrapeInventory, type MetricsFetcher } from "./embeddedSource.js";
import { meter, type MeterResult } from "./meter.js";
import { PromqlSource } from "./promqlSource.js";
import { promqlHostStatus } from "./promqlStatus.js";
import { saveHostSnapshots } from "../data-access/hostStatus.js";
import { promqlPatchStates } from "./patchSeries.js";
import { savePatchSnapshots } from "../data-access/patchSnapshots.js";

export interface MeteringScheduleOptions {
  ledger: Ledger;
  /** Read at every tick, so an updated inventory.json is picked up without a restart. */
  loadInventory: () => Inventory;
  prometheusUrl?: string;
  timeoutMs: number;
  maxCatchUpMs: number;
  scrapeIntervalMs?: number;
  fetchers?: Partial<Record<"agent" | "ssh", MetricsFetcher>>;
  onRun?: (result: MeterResult) => void;
  /**
   * Embedded mode: the first run reads every host's CPU counters this long before its scrape, so the
   * operations page shows a CPU busy share from the start instead of a minute later (default 2 s:
   * counters in hundredths of a second, so the share is within about a percentage point).
   */
  cpuPrimeMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The operations page's live status in Prometheus mode; a failure only costs freshness, never metering. */
async function refreshLiveStatus(ledger: Ledger, prometheusUrl: string, timeoutMs: number): Promise<void> {
  try {
    await saveHostSnapshots(ledger.db, await promqlHostStatus(prometheusUrl, { timeoutMs }));
    // The day's patch snapshot (BIO2 8.08.01), from the agents' updates series in Prometheus.
    await savePatchSnapshots(ledger.db, await promqlPatchStates(prometheusUrl, { timeoutMs }));
  } catch (error) {
    logger().warn(
      { err: error instanceof Error ? error.message : String(error) },
      "live host status from PromQL failed; retrying on the next tick",
    );
  }
}

export function startMeteringSchedule(options: MeteringScheduleOptions): {
  stop(): Promise<void>;
  tick(): Promise<void>;
} {
  let running: Promise<void> | undefined;
  let stopped = false;
  let primed = false;
  const tick = async (): Promise<void> => {
    const inventory = options.loadInventory();
    let source;
    if (options.prometheusUrl) source = new PromqlSource(options.prometheusUrl, { timeoutMs: options.timeoutMs });
    else {
      const scrapeOptions = {
        timeoutMs: options.timeoutMs,
        ...(options.fetchers ? { fetchers: options.fetchers } : {}),
      };
      if (!primed) {
        // The busy share is a difference of two CPU readings: take the first one now.
        const started = Date.now();
        await scrapeInventory(options.ledger, inventory.hosts, { ...scrapeOptions, statusOnly: true });
        primed = true;
        await sleep(Math.max(0, (options.cpuPrimeMs ?? 2000) - (Date.now() - started)));
      }
      await scrapeInventory(options.ledger, inventory.hosts, scrapeOptions);
      const departments = new Map(inventory.hosts.map((h) => [h.name, h.department]));
      source = new EmbeddedSource(options.ledger, (host) => departments.get(host) ?? null);
    }
    const result = await meter(options.ledger, {
      inventory,
      source,
      maxCatchUpMs: options.maxCatchUpMs,
      actor: "metering",
    });
    options.onRun?.(result);
    if (options.prometheusUrl) await refreshLiveStatus(options.ledger, options.prometheusUrl, options.timeoutMs);
  };
  const guarded = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    running ??= tick()
      .catch((error: unknown) => {
        logger().error(
          { err: error instanceof Error ? error.message : String(error) },
          "scheduled metering run failed; retrying on the next tick",
        );
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void guarded(), options.scrapeIntervalMs ?? 60_000);
  timer.unref();
  void guarded();
  return {
    tick: guarded,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
