// The collector framework, after node_exporter's collector/collector.go: each collector lives in its own
// file under collectors/, registers itself with an id, whether it is on by default and its own settings,
// and reports metric families when a scrape asks. Running them (concurrently, with a timeout) is scrape.ts.
import type { MetricFamily } from "./exposition.js";
import { defineSetting, z, type Setting, type SettingsGroup, type SettingsOf } from "../settings.js";

/** What every collector may read: where the kernel's files are, and the clock and platform (for tests). */
export interface AgentEnvironment {
  procfs: string;
  sysfs: string;
  rootfs: string;
  platform: NodeJS.Platform;
  arch: string;
  /** Seconds since the epoch. */
  now: () => number;
}

export interface Collector {
  /** Read the system once and return what was found. Throwing marks the collector failed for this scrape. */
  update(): Promise<MetricFamily[]>;
  /** Stop background work (timers, child processes) when the agent stops. */
  close?(): Promise<void>;
}

export interface CollectorRegistration<G extends SettingsGroup = SettingsGroup> {
  /** snake_case id: the file name, the `--collector.<id>` flag and the `collector` label. */
  id: string;
  defaultEnabled: boolean;
  description: string;
  /** This collector's own options, flags namespaced `--collector.<id>.<option>`. */
  settings: G;
  /** Checks the options (a bad regex is a UsageError naming the flag) and builds the collector. */
  create(options: SettingsOf<G>, environment: AgentEnvironment): Collector;
}

interface RegisteredCollector extends CollectorRegistration {
  enabledSetting: Setting<z.ZodBoolean>;
}

const registry = new Map<string, RegisteredCollector>();

export function registerCollector<G extends SettingsGroup>(registration: CollectorRegistration<G>): void {
  if (!/^[a-z][a-z0-9_]*$/.test(registration.id))
    throw new Error(`collector id "${registration.id}" must be snake_case`);
  if (registry.has(registration.id)) throw new Error(`collector "${registration.id}" registered twice`);
  const enabledSetting = defineSetting({
    key: `agent.collector.${registration.id.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())}`,
    type: "boolean",
    schema: z.boolean(),
    default: registration.defaultEnabled,
    flag: `--collector.${registration.id}`,
    description: `enable the ${registration.id} collector: ${registration.description}`,
  });
  registry.set(registration.id, { ...(registration as unknown as CollectorRegistration), enabledSetting });
}

/** Every registered collector, sorted by id. */
export function registeredCollectors(): readonly RegisteredCollector[] {
  // Code-unit order, not localeCompare: ids are snake_case ASCII, and the first localeCompare loads ICU's
  // collation data, ~3 MB of resident memory the agent would carry for one sort at start.
  return [...registry.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
