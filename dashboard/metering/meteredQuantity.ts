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
