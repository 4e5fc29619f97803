// How a deploy is cut into waves, as fleets are upgraded in practice: an optional canary of N hosts
// first, then waves of --wave-size hosts (a count or a percentage of the hosts), in --order (the
// inventory's order, or test before prod). Pure: the runner (waveRunner.ts) does the SSH work.
import type { InventoryHost } from "../../contracts/inventory.js";
import { UsageError } from "../../errors.js";

/** A count (`5`) or a percentage (`25%`) of a whole, as --wave-size and --max-failures take them. */
export type Amount = { count: number } | { percent: number };

const amountPattern = /^(?:\d{1,6}|\d{1,3}(?:\.\d+)?%)$/;
export const amountHint = "a count (e.g. 5) or a percentage from 0% to 100% (e.g. 25%)";

/** Whether text is a count or a percentage of at most 100%. */
export function isAmount(text: string): boolean {
  const trimmed = text.trim();
  return amountPattern.test(trimmed) && (!trimmed.endsWith("%") || Number(trimmed.slice(0, -1)) <= 100);
}

export const rolloutOrders = ["inventory", "environment", "department"] as const;
export type RolloutOrder = (typeof rolloutOrders)[number];

/** Test before prod: the order environments are upgraded in. */
export const environmentOrder = ["dev", "test", "acc", "prod"] as const;

export function parseAmount(text: string, flag: string): Amount {
  const trimmed = text.trim();
  if (!isAmount(trimmed)) throw new UsageError(`${flag}: ${amountHint}, got ${JSON.stringify(text)}`);
  return trimmed.endsWith("%") ? { percent: Number(trimmed.slice(0, -1)) } : { count: Number(trimmed) };
}

/** A wave's size out of `total` hosts: a percentage rounds up, so 10% of 5 hosts is one host, never none. */
export function waveSizeOf(amount: Amount, total: number): number {
  const size = "count" in amount ? amount.count : Math.ceil((total * amount.percent) / 100);
  return Math.max(1, Math.min(total, size));
}

/** The failures a wave of `size` hosts tolerates: a percentage rounds down, so 10% of 5 hosts is none. */
export function failureLimitOf(amount: Amount, size: number): number {
  return "count" in amount ? amount.count : Math.floor((size * amount.percent) / 100);
}

/** Hosts in rollout order; stable, so hosts of the same rank keep the inventory's order. */
export function orderHosts(
  hosts: readonly InventoryHost[],
  order: RolloutOrder,
  departments: readonly string[] = [],
): InventoryHost[] {
  const environmentRank = (h: InventoryHost): number => environmentOrder.indexOf(h.environment);
  const departmentRank = (h: InventoryHost): number => {
    const index = departments.indexOf(h.department);
    return index === -1 ? departments.length : index;
  };
  const indexed = hosts.map((host, index) => ({ host, index }));
  const compare = (a: InventoryHost, b: InventoryHost): number =>
    order === "environment"
      ? environmentRank(a) - environmentRank(b)
      : order === "department"
        ? departmentRank(a) - departmentRank(b) ||
          a.department.localeCompare(b.department) ||
          environmentRank(a) - environmentRank(b)
        : 0;
  return indexed.sort((a, b) => compare(a.host, b.host) || a.index - b.index).map((e) => e.host);
}

export interface Wave {
  /** 0 for the canary, then 1, 2, … */
  index: number;
  name: string;
  hosts: InventoryHost[];
  /** Failures this wave tolerates; one more stops the rollout and rolls the wave back. */
  maxFailures: number;
}

export interface WavePlanOptions {
  canary: number;
  waveSize: Amount;
  maxFailures: Amount;
}

/** The canary (any failure stops it) and the waves, covering every host once, in the given order. */
export function planWaves(ordered: readonly InventoryHost[], options: WavePlanOptions): Wave[] {
  const waves: Wave[] = [];
  const canary = Math.min(options.canary, ordered.length);
  if (canary > 0) waves.push({ index: 0, name: "canary", hosts: ordered.slice(0, canary), maxFailures: 0 });
  const rest = ordered.slice(canary);
  const size = waveSizeOf(options.waveSize, rest.length);
  for (let start = 0; start < rest.length; start += size) {
    const hosts = rest.slice(start, start + size);
    const index = waves.filter((w) => w.index > 0).length + 1;
    waves.push({ index, name: `wave ${index}`, hosts, maxFailures: failureLimitOf(options.maxFailures, hosts.length) });
  }
  return waves;
}
