// The digital counter's transaction counters for the fleet simulator: what the counter's web servers would
// serve for the metered shared-cost driver (contracts/metrics.ts, serviceMetrics). One counter per product,
// labelled with the department a transaction is charged to, as in leiden-prod: extracts and reported moves
// for Burgerzaken, property-valuation (WOZ) lookups and objections for Belastingen, subsidy applications
// for Economie, Cultuur en Sport (which keeps the subsidy register). Deterministic: the count at a moment is
// a function of the host, the product and the time, and never decreases, so any two scrapes give the same
// increase on every machine.
import { chargeDepartmentLabel, serviceMetrics } from "../../contracts/metrics.js";
import { counter, formatText, type MetricFamily } from "../exposition.js";
import { hashSeed } from "./prng.js";

export interface CounterProduct {
  product: string;
  chargeDepartment: string;
  /** Mean transactions per hour on one web server. */
  perHour: number;
}

export const digitalCounterProducts: readonly CounterProduct[] = [
  { product: "extract", chargeDepartment: "burgerzaken", perHour: 42 },
  { product: "move", chargeDepartment: "burgerzaken", perHour: 9 },
  { product: "woz", chargeDepartment: "belastingen", perHour: 17 },
  { product: "subsidy", chargeDepartment: "economie-cultuur", perHour: 3 },
];

/** Counting starts here (2026-01-01T00:00:00Z): the value at an earlier moment is 0. */
const epochMs = Date.UTC(2026, 0, 1);

/** A host's count of one product at `atMs`: its own steady rate (±25 % around the mean) since the epoch. */
export function transactionsAt(host: string, product: CounterProduct, atMs: number): number {
  const hours = Math.max(0, atMs - epochMs) / 3_600_000;
  const spread = 0.75 + (hashSeed(`${host}/${product.product}`) % 1000) / 2000;
  return Math.floor(hours * product.perHour * spread);
}

/** The digital counter's web servers, as stacks/config.ts names them (`dc-web-NN`), serve the counters. */
export const servesDigitalCounter = (host: string): boolean => /^dc-web-\d+$/.test(host);

function family(host: string, atMs: number): MetricFamily {
  const { name, help } = serviceMetrics.digitalCounterTransactions;
  const samples = digitalCounterProducts.map((p) => ({
    labels: { [chargeDepartmentLabel]: p.chargeDepartment, product: p.product },
    value: transactionsAt(host, p, atMs),
  }));
  return counter(name, help, samples);
}

/** The counter family a host serves at `atMs`: none unless it is one of the digital counter's web servers. */
export function digitalCounterFamilies(host: string, atMs: number): MetricFamily[] {
  return servesDigitalCounter(host) ? [family(host, atMs)] : [];
}

/** The same family in the Prometheus text format (for any host name: tests and tools). */
export function digitalCounterFamily(host: string, atMs: number): string {
  return formatText([family(host, atMs)]);
}
