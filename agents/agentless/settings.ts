// Settings of agentless collection. The host keys and SSH port are the rollout's (rollout.knownHosts,
// rollout.sshPort): one known_hosts for the fleet. The account is a separate, read-only one.
import { defineSetting, resolveSettings, z, type ResolveOptions } from "../../settings.js";
import { connectionSettings, expandHome } from "../rollout/settings.js";
import { KnownHostsFile } from "../rollout/knownHosts.js";
import { loadCredentials } from "../rollout/sshConnection.js";
import type { AgentlessOptions } from "./fetcher.js";

export const agentlessSettings = {
  sshUser: defineSetting({
    key: "agentless.sshUser",
    type: "string",
    schema: z.string().min(1),
    default: "muniops-ro",
    flag: "--agentless.ssh-user",
    description: 'the read-only login used to measure hosts with "collect": "ssh"',
  }),
  identity: defineSetting({
    key: "agentless.identity",
    type: "string",
    schema: z.string().min(1),
    flag: "--agentless.identity",
    description: "private key of the read-only login (without it: ssh-agent)",
  }),
  passphrase: defineSetting({
    key: "agentless.sshPassphrase",
    type: "string",
    schema: z.string(),
    secret: true,
    description: "passphrase of the agentless key (no flag, so it never shows in a process list; prefer ssh-agent)",
  }),
  knownHosts: connectionSettings.knownHosts,
  sshPort: connectionSettings.sshPort,
  connectTimeout: connectionSettings.connectTimeout,
};

export const exporterSettings = {
  ...agentlessSettings,
  inventory: connectionSettings.inventory,
  listenAddress: defineSetting({
    key: "agentless.listenAddress",
    type: "string",
    schema: z.string().regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]*):\d{1,5}$/, "host:port, e.g. 127.0.0.1:9111"),
    default: "127.0.0.1:9111",
    flag: "--web.listen-address",
    description: "where the agentless exporter listens (loopback by default: put it next to Prometheus)",
  }),
};

/** Build the fetcher's options from the settings (flags of `command` if given, else env and file). */
export async function agentlessOptionsFromSettings(resolve: ResolveOptions = {}): Promise<AgentlessOptions> {
  const config = resolveSettings(agentlessSettings, resolve);
  const credentials = await loadCredentials({
    user: config.sshUser,
    identity: config.identity ? expandHome(config.identity) : undefined,
    passphrase: config.passphrase,
    ...(resolve.env ? { env: resolve.env } : {}),
  });
  const knownHosts = await KnownHostsFile.load(expandHome(config.knownHosts));
  return {
    credentials,
    hostKeys: { knownHosts, acceptNew: false, dryRun: false },
    sshPort: config.sshPort,
    connectTimeoutMs: config.connectTimeout * 1000,
  };
}
