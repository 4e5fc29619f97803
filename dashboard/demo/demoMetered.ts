// The digital counter's measured transactions for the demo's history (issue 18): what metering would have
// recorded hour by hour from the fleet simulator's dc-web hosts, so every month of the history splits the
// digital counter's cost by them. From where the history ends, live metering measures them itself.
import { digitalCounterProducts, servesDigitalCounter, transactionsAt } from "../../agents/simulator/digitalCounter.js";
import type { Inventory } from "../../contracts/inventory.js";
import { serviceMetrics } from "../../contracts/metrics.js";
import type { Ledger } from "../data-access/database.js";
import { recordMeteredQuantities, type MeteredRow } from "../data-access/meteredUsage.js";
import { hourStart, hoursBetween } from "../domain/period.js";

/** Record the hourly transactions per department from `from` to `to` (hour keys, inclusive). */
export async function writeMeteredHistory(
  ledger: Ledger,
  inventory: Inventory,
  from: string,
  to: string,
): Promise<number> {
  const hosts = inventory.hosts.map((h) => h.name).filter(servesDigitalCounter);
  const metric = serviceMetrics.digitalCounterTransactions.name;
  const rows: MeteredRow[] = [];
  for (const hour of from <= to ? hoursBetween(from, to) : []) {
    const start = hourStart(hour);
    const perDepartment = new Map<string, bigint>();
    for (const host of hosts)
      for (const p of digitalCounterProducts) {
        const count = transactionsAt(host, p, start + 3_600_000) - transactionsAt(host, p, start);
        perDepartment.set(p.chargeDepartment, (perDepartment.get(p.chargeDepartment) ?? 0n) + BigInt(count) * 1000n);
      }
    for (const [department, quantityMilli] of perDepartment)
      if (quantityMilli > 0n) rows.push({ metric, hour, department, quantityMilli });
  }
  await recordMeteredQuantities(ledger.db, ledger.dialect, rows);
  return rows.length;
}
