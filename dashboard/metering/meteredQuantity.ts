// The measured quantity a metered shared-cost driver splits by: a counter with a department label (e.g.
// the digital counter's transactions, contracts/metrics.ts serviceMetrics), as its increase over a period
// per department. In Prometheus mode the PromQL below asks for it; in embedded mode the same counter is
// scraped at both ends of the period and the increase computed here, with Prometheus' rule for a counter
// reset (a value below the previous one counts from zero). Quantities are in thousandths of a unit, since
// Prometheus' increase() extrapolates to fractions.
import { chargeDepartmentLabel } from "../../contracts/metrics.js";
import type { ExposedSample } from "./exposition.js";

/** Thousandths of a measured unit per department label. */
export type MeasuredQuantities = Map<string, bigint>;

/** The PromQL of a metered driver over `range` (e.g. "1h"; the metering job runs it hour by hour). */
export function meteredPromql(metric: string, range = "1h", label = chargeDepartmentLabel): string {
  return `sum by (${label}) (increase(${metric}[${range}]))`;
}

const seriesKey = (labels: Record<string, string>): string =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ""}`)
    .join(",");

/** Embedded mode: the increase between two scrapes of the same target(s), per department label. */
export function meteredFromScrapes(
  before: readonly ExposedSample[],
  after: readonly ExposedSample[],
  metric: string,
  label = chargeDepartmentLabel,
): MeasuredQuantities {
  const previous = new Map(before.filter((s) => s.name === metric).map((s) => [seriesKey(s.labels), s.value]));
  const quantities: MeasuredQuantities = new Map();
  for (const s of after) {
    if (s.name !== metric || !Number.isFinite(s.value)) continue;
    const department = s.labels[label];
    if (department === undefined || department === "") continue;
    const old = previous.get(seriesKey(s.labels)) ?? 0;
    const increase = s.value >= old ? s.value - old : s.value; // a reset: the new count is all since then
    quantities.set(department, (quantities.get(department) ?? 0n) + BigInt(Math.round(increase * 1000)));
  }
  return quantities;
}

/** Prometheus mode: the instant vector `meteredPromql` returns (the HTTP API's `data.result`). */
export function meteredFromVector(
  result: readonly { metric: Record<string, string>; value: [number, string] }[],
  label = chargeDepartmentLabel,
): MeasuredQuantities {
  const quantities: MeasuredQuantities = new Map();
  for (const r of result) {
    const department = r.metric[label];
    const value = Number(r.value[1]);
    if (department === undefined || !Number.isFinite(value) || value <= 0) continue;
    quantities.set(department, (quantities.get(department) ?? 0n) + BigInt(Math.round(value * 1000)));
  }
  return quantities;
}

/** One counter reading of a host's series (embedded mode's stored scrapes). */
export interface CounterReading {
  host: string;
  /** Milliseconds since the epoch. */
  t: number;
  metric: string;
  labels: Record<string, string>;
  value: number;
}

/** The hours a series' readings measure: from the last reading at or before the hour's start to its end. */
function seriesIncreases(
  readings: readonly CounterReading[],
  hours: readonly string[],
  add: (hour: string, increase: number) => void,
): void {
  let i = 0; // the first reading after the hour's start
  for (const hour of hours) {
    const start = Date.parse(`${hour}:00:00Z`);
    const end = start + 3_600_000;
    while (i < readings.length && (readings[i]?.t ?? 0) <= start) i++;
    // From the reading at or before the start; a series first seen in the hour counts from its first reading.
    const first = i > 0 ? i - 1 : i;
    let increase = 0;
    let seen = false;
    for (let j = first + 1; j < readings.length && (readings[j]?.t ?? Infinity) <= end; j++) {
      const [old, now] = [readings[j - 1]?.value ?? 0, readings[j]?.value ?? 0];
      increase += now >= old ? now - old : now; // a reset: the new count is all since then
      seen = true;
    }
    if (seen || (i < readings.length && (readings[i]?.t ?? Infinity) <= end)) add(hour, increase);
  }
}

/**
 * Embedded mode: the hourly increase per department label of each counter, from the readings of every
 * scrape (as `meteredFromScrapes` for two scrapes, over every consecutive pair, so a reset in the hour
 * loses nothing). An hour no reading of a series falls in is unmeasured for that series.
 */
export function meteredFromReadings(
  readings: readonly CounterReading[],
  hours: readonly string[],
  label = chargeDepartmentLabel,
): Map<string, Map<string, MeasuredQuantities>> {
  const series = new Map<string, CounterReading[]>();
  for (const r of readings) {
    if (!Number.isFinite(r.value) || !r.labels[label]) continue;
    const key = `${r.metric}\u0000${r.host}\u0000${seriesKey(r.labels)}`;
    const list = series.get(key) ?? [];
    list.push(r);
    series.set(key, list);
  }
  const result = new Map<string, Map<string, MeasuredQuantities>>();
  for (const list of series.values()) {
    list.sort((a, b) => a.t - b.t);
    const { metric, labels } = list[0] as CounterReading;
    const department = labels[label] ?? "";
    seriesIncreases(list, hours, (hour, increase) => {
      const perMetric = result.get(hour) ?? new Map<string, MeasuredQuantities>();
      result.set(hour, perMetric);
      const quantities = perMetric.get(metric) ?? new Map<string, bigint>();
      perMetric.set(metric, quantities);
      quantities.set(department, (quantities.get(department) ?? 0n) + BigInt(Math.round(increase * 1000)));
    });
  }
  return result;
}
