// vmstat: the paging counters of /proc/vmstat that node_exporter's vmstat collector exports by default
// (its --collector.vmstat.fields default `^(oom_kill|pgpg|pswp|pg.*fault).*`): page faults, major page
// faults, paging and swapping in and out, OOM kills. Linux only; elsewhere the collector reports nothing.
import { registerCollector } from "../collector.js";
import { counter, type MetricFamily } from "../exposition.js";
import { fields, readProcFile } from "./procfs.js";

/** The kernel's field, our name, and the factor to base units: pgpgin/pgpgout are in KiB (mm/vmstat.c). */
export const vmstatFields: readonly { field: string; name: string; help: string; factor: number }[] = [
  { field: "pgfault", name: "muniops_vmstat_page_faults_total", help: "Page faults (minor and major).", factor: 1 },
  {
    field: "pgmajfault",
    name: "muniops_vmstat_major_page_faults_total",
    help: "Major page faults: pages read from disk.",
    factor: 1,
  },
  { field: "pgpgin", name: "muniops_vmstat_paged_in_bytes_total", help: "Bytes paged in from disk.", factor: 1024 },
  { field: "pgpgout", name: "muniops_vmstat_paged_out_bytes_total", help: "Bytes paged out to disk.", factor: 1024 },
  { field: "pswpin", name: "muniops_vmstat_swapped_in_pages_total", help: "Pages swapped in.", factor: 1 },
  { field: "pswpout", name: "muniops_vmstat_swapped_out_pages_total", help: "Pages swapped out.", factor: 1 },
  { field: "oom_kill", name: "muniops_vmstat_oom_kills_total", help: "Processes killed by the OOM killer.", factor: 1 },
];

export function parseVmstat(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    const [key, value] = fields(line);
    if (key && value !== undefined) values.set(key, Number(value));
  }
  return values;
}

export function vmstatFamilies(values: ReadonlyMap<string, number>): MetricFamily[] {
  const families: MetricFamily[] = [];
  for (const { field, name, help, factor } of vmstatFields) {
    const value = values.get(field);
    // oom_kill exists since Linux 4.13; a field the kernel lacks is left out, as node_exporter does.
    if (value !== undefined) families.push(counter(name, help, [{ value: value * factor }]));
  }
  return families;
}

registerCollector({
  id: "vmstat",
  defaultEnabled: true,
  description: "page faults, paging, swapping and OOM kills from /proc/vmstat",
  settings: {},
  create(_options, env) {
    return {
      async update() {
        if (env.platform !== "linux") return [];
        return vmstatFamilies(parseVmstat(await readProcFile(env.procfs, "vmstat")));
      },
    };
  },
});
