// The agent's version: baked in by the bundler (agents/bundle.ts) for the standalone file, which has no
// package.json beside it; read from package.json when running from the source tree or dist/.
import { packageVersion } from "../packageInfo.js";
import { gauge, type MetricFamily } from "./exposition.js";

declare const __MUNIOPS_AGENT_VERSION__: string | undefined;

export function agentVersion(): string {
  return typeof __MUNIOPS_AGENT_VERSION__ === "string" ? __MUNIOPS_AGENT_VERSION__ : packageVersion();
}

export function buildInfoFamily(version: string = agentVersion()): MetricFamily {
  return gauge("muniops_agent_build_info", "The agent's version and the Node.js version it runs on; the value is always 1.", [
    { labels: { version, runtime_version: process.version }, value: 1 },
  ]);
}
