// One host's SSH session during a rollout: the connection, its platform scripts, and running them.
import type { NodeSSH } from "node-ssh";
import type { InventoryHost } from "../../contracts/inventory.js";
import { layoutFor, listenAddress, type LayoutOptions } from "./layout.js";
import { LinuxPlatform } from "./linuxPlatform.js";
import type { RemotePlatform } from "./platform.js";
import { startRemote, type RemoteProcess } from "./remoteProcess.js";
import { connectSsh, type HostKeyOutcome, type HostKeyPolicy, type SshCredentials } from "./sshConnection.js";
import { WindowsPlatform } from "./windowsPlatform.js";

/** The longest one remote step (upload and restart included) may take. */
const commandTimeoutMs = 120_000;

export interface ConnectionOptions {
  credentials: SshCredentials;
  hostKeys: HostKeyPolicy;
  sshPort: number;
  layout: LayoutOptions;
  connectTimeoutMs: number;
}

export interface HostSession {
  ssh: NodeSSH;
  platform: RemotePlatform;
  hostKey: HostKeyOutcome;
  /** Run a command to its end, stdin closed; its stdout, or an error naming its exit status and stderr. */
  run: (command: string) => Promise<string>;
  /** Start a command to talk to while it runs (see RemoteProcess). */
  start: (command: string) => Promise<RemoteProcess>;
  close: () => void;
}

/** The flags every installed agent gets: it listens on the inventory address Prometheus scrapes. */
export function agentArgsFor(host: InventoryHost): string[] {
  return [`--web.listen-address=${listenAddress(host)}`];
}

export function platformFor(host: InventoryHost, layout: LayoutOptions): RemotePlatform {
  const resolved = layoutFor(host, layout);
  return host.os === "windows"
    ? new WindowsPlatform(resolved, agentArgsFor(host))
    : new LinuxPlatform(resolved, agentArgsFor(host));
}

export async function openSession(host: InventoryHost, options: ConnectionOptions): Promise<HostSession> {
  const { ssh, hostKey } = await connectSsh(
    { name: host.name, address: host.address, port: options.sshPort },
    options.credentials,
    options.hostKeys,
    options.connectTimeoutMs,
  );
  const start = (command: string): Promise<RemoteProcess> => {
    const client = ssh.connection;
    if (!client) return Promise.reject(new Error(`ssh ${host.name}: the connection closed`));
    return startRemote(client, command, {
      timeoutMs: commandTimeoutMs,
      onTimeout: () => {
        ssh.dispose();
      },
    });
  };
  const run = async (command: string): Promise<string> => (await start(command)).finish();
  return {
    ssh,
    platform: platformFor(host, options.layout),
    hostKey,
    run,
    start,
    close: () => {
      ssh.dispose();
    },
  };
}
