// Shared set-up for the rollout integration tests: a real sshd, real agent bundles, an inventory of
// loopback "hosts" (one sshd, a prefix and an agent port each), and cleanup of every agent started.
import { readdirSync, readFileSync, statSync, lstatSync, readlinkSync, existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildAgentBundle } from "../../../agents/bundle.js";
import { runCli, type CliResult } from "../../helpers/cli.js";
import { freePort, type Sshd } from "./sshd.js";

export interface TestHost {
  name: string;
  agentPort: number;
}

export async function buildBundles(dir: string, versions: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const version of versions) {
    const outFile = join(dir, `agent-${version}.mjs`);
    await buildAgentBundle({ outFile, version });
    files.push(outFile);
  }
  return files;
}

export async function writeInventory(
  path: string,
  names: readonly string[],
  extra: (name: string) => Record<string, unknown> = () => ({}),
): Promise<TestHost[]> {
  const hosts: TestHost[] = [];
  for (const name of names) hosts.push({ name, agentPort: await freePort() });
  const inventory = {
    schemaVersion: 1,
    organization: "Gemeente Test",
    stack: "rollout-test",
    departments: [{ id: "ict", name: "Centrale ICT", costCenter: "KP-9000", headcount: 40 }],
    hosts: hosts.map((h) => ({
      name: h.name,
      address: "127.0.0.1",
      agentPort: h.agentPort,
      department: "ict",
      service: "monitoring",
      role: "app",
      environment: "test",
      os: "linux",
      vmSize: "Standard_B2s",
      vcpus: 2,
      memoryGiB: 4,
      disks: [],
      ...extra(h.name),
    })),
    shares: [],
  };
  writeFileSync(path, JSON.stringify(inventory, null, 2));
  return hosts;
}

export interface RolloutArgs {
  sshd: Sshd;
  inventory: string;
  knownHosts: string;
  prefix: string;
}

export function rollout(
  command: "deploy" | "status" | "rollback",
  base: RolloutArgs,
  extra: readonly string[],
): Promise<CliResult> {
  return runCli(
    [
      "agents",
      command,
      "--inventory",
      base.inventory,
      "--ssh-port",
      String(base.sshd.port),
      "--ssh-user",
      base.sshd.user,
      "--identity",
      base.sshd.identity,
      "--known-hosts",
      base.knownHosts,
      "--service-manager",
      "supervisor",
      "--prefix",
      base.prefix,
      ...extra,
    ],
    // No ssh-agent: the key file is the only credential, as the test intends.
    {
      env: {
        SSH_AUTH_SOCK: "",
        MUNIOPS_LOG_LEVEL: "warn",
        // Every test's rollout records go beside its inventory, never into the user's data directory.
        MUNIOPS_ROLLOUT_HISTORY_FILE: join(dirname(base.inventory), "rollout-history.jsonl"),
      },
      timeoutMs: 170_000,
    },
  );
}

export interface HostLine {
  operation: string;
  wave?: number;
  host: string;
  status: string;
  from?: string;
  to?: string;
  running?: string;
  previous?: string;
  hostKey?: string;
  reused?: boolean;
  error?: string;
}

/** The per-host JSON lines a non-terminal run prints on stdout (the last one of each host: a wave's
 * rollback follows the host's deploy line). */
export function hostLines(result: CliResult): Map<string, HostLine> {
  const lines = jsonLines(result).filter((l) => l.type !== "wave") as unknown as HostLine[];
  return new Map(lines.map((l) => [l.host, l]));
}

/** The per-wave JSON lines (`"type": "wave"`) a deploy prints on stdout. */
export function waveLines(result: CliResult): Record<string, unknown>[] {
  return jsonLines(result).filter((l) => l.type === "wave");
}

function jsonLines(result: CliResult): Record<string, unknown>[] {
  return result.stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export async function metricsVersion(port: number): Promise<string | undefined> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  const body = await response.text();
  return /muniops_agent_build_info\{(?:[^}]*,)?version="([^"]+)"/.exec(body)?.[1];
}

export function pidOf(prefix: string): number | undefined {
  const file = join(prefix, "run", "agent.pid");
  return existsSync(file) ? Number(readFileSync(file, "utf8").trim()) : undefined;
}

export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stop every agent the tests started: each prefix's pid file. */
export function killAgents(root: string): void {
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    const pid = pidOf(join(root, name));
    if (pid !== undefined && isAlive(pid)) process.kill(pid, "SIGKILL");
  }
}

/** Every path under a directory with its size, mtime and link target: "nothing changed" made checkable. */
export function snapshot(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) out.push(`${path} -> ${readlinkSync(path)}`);
      else if (stat.isDirectory()) {
        out.push(`${path}/`);
        walk(path);
      } else out.push(`${path} ${statSync(path).size} ${stat.mtimeMs}`);
    }
  };
  walk(root);
  return out;
}
