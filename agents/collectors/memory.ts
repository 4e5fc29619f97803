// memory: every field of /proc/meminfo, as node_exporter's meminfo collector gives (free, buffers, cached,
// swap, slab, dirty, huge pages …), under muniops_memory_* names. MemAvailable is the kernel's own estimate
// of what can be used without swapping. Elsewhere Node's totalmem/freemem, which on Windows and macOS
// already mean "available".
import { freemem, totalmem } from "node:os";
import { registerCollector } from "../collector.js";
import { gauge, type MetricFamily } from "../exposition.js";
import { readProcFile } from "./procfs.js";
import { agentMetrics } from "../../contracts/metrics.js";

export interface MeminfoField {
  /** The /proc/meminfo key, e.g. `SReclaimable` or `Active(anon)`. */
  field: string;
  value: number;
  /** Whether the kernel gave the value in kB (then `value` is in bytes); the huge page counts are plain numbers. */
  bytes: boolean;
}

export function parseMeminfo(text: string): MeminfoField[] {
  const fields: MeminfoField[] = [];
  for (const line of text.split("\n")) {
    const match = /^(\w+(?:\(\w+\))?):\s+(\d+)( kB)?$/.exec(line.trim());
    if (!match?.[1] || !match[2]) continue;
    const bytes = match[3] !== undefined;
    fields.push({ field: match[1], value: Number(match[2]) * (bytes ? 1024 : 1), bytes });
  }
  return fields;
}

/** The fields by key, in bytes where the kernel gave kB. */
export function meminfoValues(text: string): Map<string, number> {
  return new Map(parseMeminfo(text).map((f) => [f.field, f.value]));
}

/**
 * Names that say more than the kernel's abbreviations; every other field is its key in snake_case
 * (`Active(anon)` → `active_anon`, `Committed_AS` → `committed_as`). The README maps each to node_exporter's
 * `node_memory_<Field>_bytes`.
 */
const memoryNames: Readonly<Record<string, string>> = {
  MemTotal: agentMetrics.memoryTotalBytes.name,
  MemFree: "muniops_memory_free_bytes",
  MemAvailable: agentMetrics.memoryAvailableBytes.name,
  KReclaimable: "muniops_memory_kernel_reclaimable_bytes",
  SReclaimable: "muniops_memory_slab_reclaimable_bytes",
  SUnreclaim: "muniops_memory_slab_unreclaimable_bytes",
  // promtool reads `sec` as an abbreviated unit.
  SecPageTables: "muniops_memory_secondary_page_tables_bytes",
  // Counts of huge pages, not sizes; without the rename `HugePages_Total` would end in `_total`, a counter's suffix.
  HugePages_Total: "muniops_memory_huge_pages",
  HugePages_Free: "muniops_memory_huge_pages_free",
  HugePages_Rsvd: "muniops_memory_huge_pages_reserved",
  HugePages_Surp: "muniops_memory_huge_pages_surplus",
};

export function meminfoMetricName({ field, bytes }: Pick<MeminfoField, "field" | "bytes">): string {
  const named = memoryNames[field];
  if (named) return named;
  const snake = field
    .replace(/^DirectMap(\w+)$/, (_m, size: string) => `direct_map_${size.toLowerCase()}`)
    .replace(/\((\w+)\)/g, "_$1")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .replace(/_+/g, "_")
    .toLowerCase();
  return `muniops_memory_${snake}${bytes ? "_bytes" : ""}`;
}

/** The contract's help text for the fields it names, so one metric has one help on every platform. */
const contractHelp = new Map<string, string>(
  [agentMetrics.memoryTotalBytes, agentMetrics.memoryAvailableBytes].map((m) => [m.name, m.help]),
);

function meminfoFamilies(fields: readonly MeminfoField[]): MetricFamily[] {
  return fields.map((f) => {
    const name = meminfoMetricName(f);
    const help = contractHelp.get(name) ?? `Memory information field ${f.field} from /proc/meminfo.`;
    return gauge(name, help, [{ value: f.value }]);
  });
}

function portableFamilies(total: number, available: number): MetricFamily[] {
  return [
    gauge(agentMetrics.memoryTotalBytes.name, agentMetrics.memoryTotalBytes.help, [{ value: total }]),
    gauge(agentMetrics.memoryAvailableBytes.name, agentMetrics.memoryAvailableBytes.help, [{ value: available }]),
  ];
}

registerCollector({
  id: "memory",
  defaultEnabled: true,
  description: "every /proc/meminfo field on Linux (free, buffers, cached, swap …), total and available elsewhere",
  settings: {},
  create(_options, env) {
    return {
      async update() {
        if (env.platform !== "linux") return portableFamilies(totalmem(), freemem());
        const fields = parseMeminfo(await readProcFile(env.procfs, "meminfo"));
        if (!fields.some((f) => f.field === "MemTotal") || !fields.some((f) => f.field === "MemAvailable")) {
          throw new Error("MemTotal or MemAvailable missing from /proc/meminfo");
        }
        return meminfoFamilies(fields);
      },
    };
  },
});
