// Usage from any PromQL HTTP API: Prometheus, VictoriaMetrics, Thanos, Mimir. One query_range per
// quantity over the whole window, one step per hour, evaluated at each hour's end over the hour before.
import { addHours, hourKey, hourStart, hoursBetween } from "../domain/period.js";
import { excludedFsTypes } from "./exposition.js";
import {
  SourceUnavailableError,
  type HostHour,
  type Measurements,
  type MeteredHours,
  type UsageSource,
} from "./source.js";
import { meteredFromVector, meteredPromql } from "./meteredQuantity.js";
import { agentMetrics } from "../../contracts/metrics.js";

interface MatrixResult {
  metric: Record<string, string>;
  values: [number, string][];
}

interface QueryResponse {
  status: string;
  error?: string;
  data?: { resultType: string; result: MatrixResult[] };
}

const fsFilter = `fstype!~"${excludedFsTypes}"`;
export const queries = {
  up: `avg by (host, department) (avg_over_time(up{host!=""}[1h]))`,
  fs:
    `sum by (host, department) (max by (host, department, device) ` +
    `(avg_over_time(${agentMetrics.filesystemSizeBytes.name}{${fsFilter}}[1h]) - ` +
    `avg_over_time(${agentMetrics.filesystemFreeBytes.name}{${fsFilter}}[1h])))`,
  vcpus: `count by (host, department) (last_over_time(${agentMetrics.cpuSeconds.name}{mode="idle"}[1h]))`,
  memory: `max by (host, department) (max_over_time(${agentMetrics.memoryTotalBytes.name}[1h]))`,
} as const;

// Prometheus refuses more than 11,000 points per series; stay well below.
const maxStepsPerQuery = 2000;

export class PromqlSource implements UsageSource {
  readonly name: string;
  constructor(
    private readonly baseUrl: string,
    private readonly options: { timeoutMs: number; fetch?: typeof fetch } = { timeoutMs: 5000 },
  ) {
    this.name = `PromQL ${new URL(baseUrl).host}`;
  }

  async measure(from: string, to: string): Promise<Measurements> {
    const result: Measurements = new Map(hoursBetween(from, to).map((h) => [h, new Map<string, HostHour>()]));
    for (let start = from; start <= to; start = addHours(start, maxStepsPerQuery)) {
      const end = addHours(start, maxStepsPerQuery - 1) < to ? addHours(start, maxStepsPerQuery - 1) : to;
      const [up, fs, vcpus, memory] = await Promise.all([
        this.range(queries.up, start, end),
        this.range(queries.fs, start, end),
        this.range(queries.vcpus, start, end),
        this.range(queries.memory, start, end),
      ]);
      const entry = (hour: string, metric: Record<string, string>): HostHour | undefined => {
        const host = metric.host;
        const hourMap = result.get(hour);
        if (!host || !hourMap) return undefined;
        let e = hourMap.get(host);
        if (!e) {
          e = {
            host,
            department: metric.department ?? null,
            up: null,
            fsUsedBytes: null,
            vcpus: null,
            memoryBytes: null,
          };
          hourMap.set(host, e);
        }
        return e;
      };
      const each = (series: MatrixResult[], apply: (e: HostHour, v: number) => void): void => {
        for (const s of series) {
          for (const [t, text] of s.values) {
            const v = Number(text);
            if (!Number.isFinite(v)) continue;
            // The point at an hour's end describes the hour before it.
            const e = entry(hourKey(t * 1000 - 3_600_000), s.metric);
            if (e) apply(e, v);
          }
        }
      };
      each(up, (e, v) => (e.up = Math.min(1, Math.max(0, v))));
      each(fs, (e, v) => (e.fsUsedBytes = BigInt(Math.max(0, Math.round(v)))));
      each(vcpus, (e, v) => (e.vcpus = Math.round(v)));
      each(memory, (e, v) => (e.memoryBytes = BigInt(Math.round(v))));
    }
    return result;
  }

  /** Each counter's `meteredPromql` hour by hour: the point at an hour's end is the increase over it. */
  async measureMetered(metrics: readonly string[], from: string, to: string): Promise<MeteredHours> {
    const result: MeteredHours = new Map();
    for (const metric of metrics)
      for (let start = from; start <= to; start = addHours(start, maxStepsPerQuery)) {
        const end = addHours(start, maxStepsPerQuery - 1) < to ? addHours(start, maxStepsPerQuery - 1) : to;
        const vectors = new Map<string, { metric: Record<string, string>; value: [number, string] }[]>();
        for (const series of await this.range(meteredPromql(metric), start, end))
          for (const [t, text] of series.values) {
            const hour = hourKey(t * 1000 - 3_600_000);
            vectors.set(hour, [...(vectors.get(hour) ?? []), { metric: series.metric, value: [t, text] }]);
          }
        for (const [hour, vector] of vectors) {
          const perMetric = result.get(hour) ?? new Map<string, Map<string, bigint>>();
          perMetric.set(metric, meteredFromVector(vector));
          result.set(hour, perMetric);
        }
      }
    return result;
  }

  private async range(query: string, from: string, to: string): Promise<MatrixResult[]> {
    const url = new URL("api/v1/query_range", this.baseUrl.endsWith("/") ? this.baseUrl : `${this.baseUrl}/`);
    url.searchParams.set("query", query);
    url.searchParams.set("start", String(hourStart(from) / 1000 + 3600));
    url.searchParams.set("end", String(hourStart(to) / 1000 + 3600));
    url.searchParams.set("step", "3600");
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(url, {
        signal: AbortSignal.timeout(this.options.timeoutMs),
        headers: { accept: "application/json" },
      });
    } catch (error) {
      throw new SourceUnavailableError(`${this.name} did not answer: ${(error as Error).message}`, { cause: error });
    }
    const body = (await response
      .json()
      .catch(() => ({ status: "error", error: `HTTP ${response.status}, not JSON` }))) as QueryResponse;
    if (!response.ok || body.status !== "success" || !body.data)
      throw new SourceUnavailableError(
        `${this.name} refused the query (HTTP ${response.status}): ${body.error ?? "no data"}`,
      );
    return body.data.result;
  }
}
