// The agent's version: baked in by the bundler (agents/bundle.ts) for the standalone file, which has no
// package.json beside it; read from package.json when running from the source tree or dist/.
import { packageVersion } from "../packageInfo.js";
import { gauge, type MetricFamily } from "./exposition.js";
import { agentMetrics } from "../contracts/metrics.js";

declare const __MUNIOPS_AGENT_VERSION__: string | undefined;

export function agentVersion(): string {
  return typeof __MUNIOPS_AGENT_VERSION__ === "string" ? __MUNIOPS_AGENT_VERSION__ : packageVersion();
}

export function buildInfoFamily(version: string = agentVersion()): MetricFamily {
  return gauge(agentMetrics.agentBuildInfo.name, agentMetrics.agentBuildInfo.help, [
    { labels: { version, runtime_version: process.version }, value: 1 },
  ]);
}
