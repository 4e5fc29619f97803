// The per-host fetcher for agentless hosts (`"collect": "ssh"` in the inventory): one SSH login with a
// read-only account, one read-only command, and the agent's exposition text back. The metering
// part's embedded scraper calls it in place of GET /metrics; the exporter serves it to Prometheus.
import { performance } from "node:perf_hooks";
import type { InventoryHost } from "../../contracts/inventory.js";
import { connectSsh, type HostKeyPolicy, type SshCredentials } from "../rollout/sshConnection.js";
import { agentlessCommand, agentlessExposition, splitOutput, type FilterOptions } from "./collect.js";

export interface AgentlessOptions {
  credentials: SshCredentials;
  /** Unattended collection never accepts new keys: the host must already be in known_hosts. */
  hostKeys: HostKeyPolicy;
  sshPort: number;
  connectTimeoutMs?: number;
  filters?: FilterOptions;
}

export type HostFetcher = (host: InventoryHost) => Promise<string>;

/** Measure one host now and return Prometheus text-format exposition. Throws when SSH fails. */
export async function collectAgentless(host: InventoryHost, options: AgentlessOptions): Promise<string> {
  const started = performance.now();
  const { ssh } = await connectSsh(
    { name: host.name, address: host.address, port: options.sshPort },
    options.credentials,
    options.hostKeys,
    options.connectTimeoutMs ?? 10_000,
  );
  try {
    const result = await ssh.execCommand(agentlessCommand);
    if (result.stdout.trim() === "")
      throw new Error(
        `agentless collection on ${host.name} printed nothing (exit ${result.code ?? "?"}): ` +
          (result.stderr.trim().split("\n").pop() ?? ""),
      );
    return agentlessExposition(splitOutput(result.stdout), (performance.now() - started) / 1000, options.filters);
  } finally {
    ssh.dispose();
  }
}

export function agentlessFetcher(options: AgentlessOptions): HostFetcher {
  return (host) => collectAgentless(host, options);
}
