// One host's SSH session during a rollout: the connection, its platform scripts, and running them.
import { Readable } from "node:stream";
import type { NodeSSH } from "node-ssh";
import type { InventoryHost } from "../../stacks/inventory.js";
import { layoutFor, listenAddress, type LayoutOptions } from "./layout.js";
import { LinuxPlatform } from "./linuxPlatform.js";
import type { RemotePlatform } from "./platform.js";
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
  run: (command: string, stdin?: Buffer) => Promise<string>;
  close: () => void;
}

/** The flags every installed agent gets: it listens on the inventory address Prometheus scrapes. */
export function agentArgsFor(host: InventoryHost): string[] {
  return [`--web.listen-address=${listenAddress(host)}`];
}

export function platformFor(host: InventoryHost, layout: LayoutOptions): RemotePlatform {
  const resolved = layoutFor(host, layout);
  return host.os === "windows" ? new WindowsPlatform(resolved, agentArgsFor(host)) : new LinuxPlatform(resolved, agentArgsFor(host));
}

export async function openSession(host: InventoryHost, options: ConnectionOptions): Promise<HostSession> {
  const { ssh, hostKey } = await connectSsh({ name: host.name, address: host.address, port: options.sshPort }, options.credentials, options.hostKeys, options.connectTimeoutMs);
  const run = async (command: string, stdin?: Buffer): Promise<string> => {
    // A remote step that hangs (a stuck systemctl, a full disk) must not hold the whole rollout.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`remote command timed out after ${commandTimeoutMs / 1000} s`));
        ssh.dispose();
      }, commandTimeoutMs);
    });
    const result = await Promise.race([ssh.execCommand(command, stdin ? { stdin: Readable.from([stdin]) } : {}), timeout]).finally(() => { clearTimeout(timer); });
    if (result.code !== 0) {
      const detail = result.stderr.trim().split("\n").pop() ?? "";
      throw new Error(`remote command failed (exit ${result.code ?? result.signal ?? "?"})${detail ? `: ${detail}` : ""}`);
    }
    return result.stdout;
  };
  return { ssh, platform: platformFor(host, options.layout), hostKey, run, close: () => { ssh.dispose(); } };
}
