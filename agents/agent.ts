// Starting and stopping an agent: settings in, a listening server out. Used by `muniops agent`, by the
// standalone bundle (agentMain.ts) and by tests, which start it in-process on port 0.
import { arch } from "node:os";
import { registeredCollectors, type AgentEnvironment } from "./collector.js";
import { Scraper, type NamedCollector } from "./scrape.js";
import { parseListenAddress, startServer, type AgentServer } from "./server.js";
import type { WebConfig } from "./webConfig.js";
import { agentVersion, buildInfoFamily } from "./version.js";
import { releaseSystemInformation } from "./systemInfo.js";
import { UsageError } from "../errors.js";
import "./collectors/index.js";

export interface AgentConfig {
  listenAddress: string;
  webConfigFile?: string | undefined;
  /** Most /metrics requests served at once (node_exporter's --web.max-requests); 0 means no limit. Default 40. */
  maxRequests?: number;
  /** Collector ids to run. */
  collectors: readonly string[];
  /** Per-collector options, keyed by collector id then by option name (defaults fill what is missing). */
  collectorOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  timeoutSeconds: number;
  environment?: Partial<AgentEnvironment>;
  version?: string;
}

export interface RunningAgent extends AgentServer {
  scraper: Scraper;
}

export function defaultEnvironment(): AgentEnvironment {
  return {
    procfs: "/proc",
    sysfs: "/sys",
    rootfs: "/",
    platform: process.platform,
    arch: arch(),
    now: () => Date.now() / 1000,
  };
}

/** Build the enabled collectors; a bad option (regex, conflicting flags) throws a UsageError here, before listening. */
export function createCollectors(
  config: Pick<AgentConfig, "collectors" | "collectorOptions" | "environment">,
): NamedCollector[] {
  const environment = { ...defaultEnvironment(), ...config.environment };
  const known = registeredCollectors();
  for (const id of config.collectors) {
    if (!known.some((c) => c.id === id))
      throw new UsageError(`unknown collector "${id}"; known: ${known.map((c) => c.id).join(", ")}`);
  }
  return known
    .filter((c) => config.collectors.includes(c.id))
    .map((c) => {
      const options: Record<string, unknown> = {};
      for (const [name, setting] of Object.entries(c.settings))
        options[name] = config.collectorOptions?.[c.id]?.[name] ?? setting.default;
      return { id: c.id, collector: c.create(options, environment) };
    });
}

export async function startAgent(config: AgentConfig): Promise<RunningAgent> {
  if (!(config.timeoutSeconds > 0))
    throw new UsageError(`--collector.timeout: must be a positive number of seconds, got ${config.timeoutSeconds}`);
  const address = parseListenAddress(config.listenAddress);
  // Imported only when given: its schema (zod) and the YAML parser cost resident memory on every server.
  const web: WebConfig = config.webConfigFile
    ? (await import("./webConfig.js")).readWebConfig(config.webConfigFile)
    : { headers: {} };
  const version = config.version ?? agentVersion();
  const scraper = new Scraper(createCollectors(config), {
    timeoutMs: config.timeoutSeconds * 1000,
    constantFamilies: [buildInfoFamily(version)],
  });
  const maxRequests = config.maxRequests ?? 40;
  const server = await startServer({ address, web, scraper, version, listenText: config.listenAddress, maxRequests });
  return {
    ...server,
    scraper,
    close: async () => {
      await server.close();
      await scraper.close();
      await releaseSystemInformation();
    },
  };
}
