// stat: the machine-wide counters of /proc/stat that node_exporter's stat collector gives: interrupts,
// context switches, forks, and processes running and blocked on I/O (boot time is the time collector's).
// Linux only; elsewhere the collector reports nothing.
import { registerCollector } from "../collector.js";
import { counter, gauge, type MetricFamily } from "../exposition.js";
import { fields, readProcFile } from "./procfs.js";

export interface KernelActivity {
  interrupts: number;
  contextSwitches: number;
  forks: number;
  procsRunning: number;
  procsBlocked: number;
}

export function parseStatActivity(text: string): KernelActivity {
  const byKey = new Map<string, number>();
  for (const line of text.split("\n")) {
    // `intr` is followed by one count per interrupt line; its first number is the total.
    const [key, first] = fields(line);
    if (key && first !== undefined && !key.startsWith("cpu")) byKey.set(key, Number(first));
  }
  const get = (key: string): number => {
    const value = byKey.get(key);
    if (value === undefined || Number.isNaN(value)) throw new Error(`no ${key} line in /proc/stat`);
    return value;
  };
  return {
    interrupts: get("intr"),
    contextSwitches: get("ctxt"),
    forks: get("processes"),
    procsRunning: get("procs_running"),
    procsBlocked: get("procs_blocked"),
  };
}

export function statFamilies(activity: KernelActivity): MetricFamily[] {
  return [
    counter("muniops_interrupts_total", "Interrupts serviced since boot.", [{ value: activity.interrupts }]),
    counter("muniops_context_switches_total", "Context switches since boot.", [{ value: activity.contextSwitches }]),
    counter("muniops_forks_total", "Processes and threads created since boot.", [{ value: activity.forks }]),
    gauge("muniops_procs_running", "Processes in a runnable state.", [{ value: activity.procsRunning }]),
    gauge("muniops_procs_blocked", "Processes blocked waiting for I/O.", [{ value: activity.procsBlocked }]),
  ];
}

registerCollector({
  id: "stat",
  defaultEnabled: true,
  description: "interrupts, context switches, forks, processes running and blocked, from /proc/stat",
  settings: {},
  create(_options, env) {
    return {
      async update() {
        if (env.platform !== "linux") return [];
        return statFamilies(parseStatActivity(await readProcFile(env.procfs, "stat")));
      },
    };
  },
});
