// conntrack: the netfilter connection table's entries and limit, and its per-CPU statistics summed, as
// node_exporter's conntrack collector gives. A full table drops new connections, which is why the mixin
// alerts well before the limit. On a machine without nf_conntrack loaded the files do not exist: the
// collector then reports nothing and succeeds, since there is no table to fill.
import { registerCollector } from "../collector.js";
import { counter, gauge, type MetricFamily } from "../exposition.js";
import { fields, readProcFile } from "./procfs.js";

/** Columns of /proc/net/stat/nf_conntrack that node_exporter exports, and our counter for each. */
export const conntrackStatColumns: readonly { column: string; name: string; help: string }[] = [
  { column: "found", name: "muniops_nf_conntrack_found_total", help: "Searches that found an existing entry." },
  { column: "invalid", name: "muniops_nf_conntrack_invalid_total", help: "Packets that could not be tracked." },
  { column: "ignore", name: "muniops_nf_conntrack_ignore_total", help: "Packets already tracked or not trackable." },
  { column: "insert", name: "muniops_nf_conntrack_insert_total", help: "Entries inserted." },
  {
    column: "insert_failed",
    name: "muniops_nf_conntrack_insert_failed_total",
    help: "Entries that could not be inserted (a clash, or the table was full).",
  },
  { column: "drop", name: "muniops_nf_conntrack_drop_total", help: "Packets dropped because tracking failed." },
  {
    column: "early_drop",
    name: "muniops_nf_conntrack_early_drop_total",
    help: "Entries dropped to make room for new ones when the table was full.",
  },
  { column: "search_restart", name: "muniops_nf_conntrack_search_restart_total", help: "Table lookups restarted." },
];

/** The per-CPU rows of /proc/net/stat/nf_conntrack (hexadecimal), summed per column. */
export function parseConntrackStat(text: string): Map<string, number> {
  const [header = "", ...rows] = text.split("\n").filter((line) => line.trim() !== "");
  const columns = fields(header);
  const sums = new Map<string, number>();
  for (const row of rows) {
    fields(row).forEach((hex, i) => {
      const column = columns[i];
      if (column) sums.set(column, (sums.get(column) ?? 0) + parseInt(hex, 16));
    });
  }
  return sums;
}

export function conntrackFamilies(
  entries: number,
  limit: number,
  stat: ReadonlyMap<string, number> | undefined,
): MetricFamily[] {
  const families = [
    gauge("muniops_nf_conntrack_entries", "Connections currently in the conntrack table.", [{ value: entries }]),
    gauge("muniops_nf_conntrack_entries_limit", "The size of the conntrack table (nf_conntrack_max).", [
      { value: limit },
    ]),
  ];
  for (const { column, name, help } of conntrackStatColumns) {
    const value = stat?.get(column);
    if (value !== undefined) families.push(counter(name, help, [{ value }]));
  }
  return families;
}

const missing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === "ENOENT";

registerCollector({
  id: "conntrack",
  defaultEnabled: true,
  description: "netfilter connection tracking entries, limit and statistics",
  settings: {},
  create(_options, env) {
    return {
      async update() {
        if (env.platform !== "linux") return [];
        let count: string;
        let max: string;
        try {
          count = await readProcFile(env.procfs, "sys/net/netfilter/nf_conntrack_count");
          max = await readProcFile(env.procfs, "sys/net/netfilter/nf_conntrack_max");
        } catch (error) {
          if (missing(error)) return [];
          throw error;
        }
        let stat: Map<string, number> | undefined;
        try {
          stat = parseConntrackStat(await readProcFile(env.procfs, "net/stat/nf_conntrack"));
        } catch (error) {
          if (!missing(error)) throw error;
        }
        return conntrackFamilies(Number(count.trim()), Number(max.trim()), stat);
      },
    };
  },
});
