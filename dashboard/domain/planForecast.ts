// The overview's forecast: the plan's inventory (the file metering reads) priced at the rate card for a
// month, per department — the same engine and rates as the actual charge, so the two compare like for
// like. Recomputed only when the inventory file, the master data or the month changes.
import { statSync } from "node:fs";
import { logger } from "../../logger.js";
import { readInventory, type Inventory } from "../../contracts/inventory.js";
import type { MasterData } from "./records.js";
import { computeChargeback } from "./chargebackEngine.js";
import { plannedUsage } from "./forecast.js";
import { formatEuros } from "./money.js";

/** Forecast total per department id, as euros with two decimals. */
export type DepartmentForecast = ReadonlyMap<string, string>;

const cache = new WeakMap<MasterData, Map<string, DepartmentForecast>>();

export function forecastOf(master: MasterData, inventory: Inventory, period: string): DepartmentForecast {
  const result = computeChargeback({ period, ...master, usage: plannedUsage(inventory, period), adjustments: [] });
  return new Map(result.departments.map((d) => [d.id, formatEuros(d.total)]));
}

/** The forecast of `period` from `inventoryFile`, or undefined when the dashboard has no inventory. */
export function planForecast(
  master: MasterData,
  inventoryFile: string | undefined,
  period: string,
): DepartmentForecast | undefined {
  if (inventoryFile === undefined) return undefined;
  let mtime: number;
  try {
    mtime = statSync(inventoryFile).mtimeMs;
  } catch {
    return undefined; // the inventory is optional for the dashboard: no file, no forecast column
  }
  const key = `${period}|${mtime}`;
  let byKey = cache.get(master);
  if (!byKey) {
    byKey = new Map();
    cache.set(master, byKey);
  }
  let forecast = byKey.get(key);
  if (!forecast) {
    let inventory: Inventory;
    try {
      inventory = readInventory(inventoryFile);
    } catch (error) {
      // checked at start; an inventory broken since costs the forecast column, not the overview
      logger().warn(
        { err: error instanceof Error ? error.message : String(error) },
        "no forecast: the inventory is unreadable",
      );
      return undefined;
    }
    forecast = forecastOf(master, inventory, period);
    byKey.clear();
    byKey.set(key, forecast);
  }
  return forecast;
}
