// The digital counter's transaction counters for the fleet simulator: what the counter's web servers would
// serve for the metered shared-cost driver (contracts/metrics.ts, serviceMetrics). One counter per product,
// labelled with the department a transaction is charged to, as in leiden-prod: extracts and reported moves
// for Burgerzaken, property-valuation (WOZ) lookups and objections for Belastingen, subsidy applications
// for Economie, Cultuur en Sport (which keeps the subsidy register). Deterministic: the count at a moment is
// a function of the host, the product and the time, and never decreases, so any two scrapes give the same
// increase on every machine.
import { chargeDepartmentLabel, serviceMetrics } from "../../contracts/metrics.js";
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

/** The counter family in the Prometheus text format, as the host would serve it at `atMs`. */
export function digitalCounterFamily(host: string, atMs: number): string {
  const { name, type, help } = serviceMetrics.digitalCounterTransactions;
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const p of digitalCounterProducts)
    lines.push(
      `${name}{${chargeDepartmentLabel}="${p.chargeDepartment}",product="${p.product}"} ` +
        `${transactionsAt(host, p, atMs)}`,
    );
  return lines.join("\n") + "\n";
}
