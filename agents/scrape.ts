// One scrape: every enabled collector runs concurrently; each one's success and duration are reported
// as metrics, so a failing or slow collector costs only its own series, never the scrape.
//
// A collector that exceeds the timeout is reported failed, and its work is left to finish in the
// background; until it does, later scrapes do not start it again. That is what keeps a hung network
// mount from piling up blocked statfs calls (each one holds a libuv thread-pool thread).
import { gauge, mergeFamilies, type MetricFamily, type Sample } from "./exposition.js";
import type { Collector } from "./collector.js";
import { logger } from "../logger.js";
import { agentMetrics } from "../contracts/metrics.js";

export interface NamedCollector {
  id: string;
  collector: Collector;
}

export interface ScraperOptions {
  timeoutMs: number;
  /** Families every scrape carries (build info), computed once. */
  constantFamilies?: readonly MetricFamily[];
}

export class Scraper {
  private readonly pending = new Map<string, Promise<MetricFamily[]>>();

  constructor(
    private readonly collectors: readonly NamedCollector[],
    private readonly options: ScraperOptions,
  ) {}

  async scrape(): Promise<MetricFamily[]> {
    const results = await Promise.all(this.collectors.map((c) => this.run(c)));
    const success: Sample[] = [];
    const duration: Sample[] = [];
    const families: MetricFamily[] = [...(this.options.constantFamilies ?? [])];
    for (const result of results) {
      const labels = { collector: result.id };
      success.push({ labels, value: result.ok ? 1 : 0 });
      duration.push({ labels, value: result.seconds });
      families.push(...result.families);
    }
    families.push(
      gauge(agentMetrics.scrapeCollectorSuccess.name, agentMetrics.scrapeCollectorSuccess.help, success),
      gauge(
        agentMetrics.scrapeCollectorDurationSeconds.name,
        agentMetrics.scrapeCollectorDurationSeconds.help,
        duration,
      ),
    );
    return mergeFamilies(families);
  }

  /** Let every collector stop its background work. */
  async close(): Promise<void> {
    await Promise.all(this.collectors.map((c) => c.collector.close?.() ?? Promise.resolve()));
  }

  private async run({
    id,
    collector,
  }: NamedCollector): Promise<{ id: string; ok: boolean; seconds: number; families: MetricFamily[] }> {
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1000;
    if (this.pending.has(id)) {
      logger().warn({ collector: id }, "collector still running from an earlier scrape; not started again");
      return { id, ok: false, seconds: seconds(), families: [] };
    }
    const work = collector.update();
    this.pending.set(id, work);
    // Clear the marker whenever the work ends, even long after this scrape gave up on it.
    work.then(
      () => this.pending.delete(id),
      () => this.pending.delete(id),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => {
        resolve("timeout");
      }, this.options.timeoutMs);
    });
    try {
      const outcome = await Promise.race([work, timeout]);
      if (outcome === "timeout") {
        logger().warn({ collector: id, timeoutMs: this.options.timeoutMs }, "collector timed out");
        return { id, ok: false, seconds: seconds(), families: [] };
      }
      return { id, ok: true, seconds: seconds(), families: outcome };
    } catch (error) {
      logger().warn({ collector: id, err: error instanceof Error ? error.message : String(error) }, "collector failed");
      return { id, ok: false, seconds: seconds(), families: [] };
    } finally {
      clearTimeout(timer);
    }
  }
}
