// filefd: file handles allocated and the system-wide maximum, from /proc/sys/fs/file-nr, as
// node_exporter's filefd collector gives. Linux only; elsewhere the collector reports nothing.
import { registerCollector } from "../collector.js";
import { gauge, type MetricFamily } from "../exposition.js";
import { fields, readProcFile } from "./procfs.js";

/** file-nr holds three numbers: allocated, allocated but unused (always 0 since 2.6), maximum. */
export function parseFileNr(text: string): { allocated: number; maximum: number } {
  const [allocated, , maximum] = fields(text).map(Number);
  if (allocated === undefined || maximum === undefined || Number.isNaN(allocated) || Number.isNaN(maximum)) {
    throw new Error(`unexpected /proc/sys/fs/file-nr content: ${JSON.stringify(text.slice(0, 80))}`);
  }
  return { allocated, maximum };
}

export function filefdFamilies({ allocated, maximum }: { allocated: number; maximum: number }): MetricFamily[] {
  return [
    gauge("muniops_filefd_allocated", "File handles allocated by the kernel.", [{ value: allocated }]),
    gauge("muniops_filefd_maximum", "The maximum number of file handles (fs.file-max).", [{ value: maximum }]),
  ];
}

registerCollector({
  id: "filefd",
  defaultEnabled: true,
  description: "file handles allocated and the maximum, from /proc/sys/fs/file-nr",
  settings: {},
  create(_options, env) {
    return {
      async update() {
        if (env.platform !== "linux") return [];
        return filefdFamilies(parseFileNr(await readProcFile(env.procfs, "sys/fs/file-nr")));
      },
    };
  },
});
