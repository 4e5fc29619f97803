// The rollout beside Ansible, the tool a managed-services partner would otherwise use (issue 21): the
// same deploy (bench/rolloutAnsible.yml does muniops' steps with ansible-core's modules) to the same
// targets, one host and then N hosts with forks = --parallel. Every target has its own loopback address
// (127.0.1.x, all answered by one sshd listening on 0.0.0.0), so neither tool can share one SSH connection
// between "hosts": Ansible's ControlPersist keys its master connections by address, muniops opens one
// connection per host anyway. Ansible runs as a partner would set it up: gather_facts off, pipelining,
// ControlPersist, and host keys accepted on first use like `--accept-new`.
// ansible-core comes from Debian (`apt-get install -y ansible-core`, 2.14 on bookworm); without it the
// rows say so and the rest of the rollout benchmark still runs.
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { BenchResult } from "./benchmark.js";
import { runFleet } from "../agents/rollout/fleet.js";
import { deployHost, type AgentBundle, type OperationOptions } from "../agents/rollout/hostOperations.js";
import { agentArgsFor } from "../agents/rollout/hostSession.js";
import { KnownHostsFile } from "../agents/rollout/knownHosts.js";
import { supervisorScript } from "../agents/rollout/serviceManager.js";
import { readInventory, type InventoryHost } from "../contracts/inventory.js";
import { killAgents, writeInventory } from "../test/agents/rollout/fleet.js";
import { startSshd, type Sshd } from "../test/agents/rollout/sshd.js";

const run = promisify(execFile);
const playbook = join(dirname(fileURLToPath(import.meta.url)), "rolloutAnsible.yml");
const target = 0.1;

/** 127.0.1.1, 127.0.1.2, …: Linux routes all of 127/8 to the loopback interface. */
const addressOf = (index: number): string => `127.0.1.${index + 1}`;

async function ansibleVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await run("ansible-playbook", ["--version"], { timeout: 30_000 });
    return /\[core ([^\]]+)\]/.exec(stdout)?.[1] ?? stdout.split("\n")[0];
  } catch {
    return undefined;
  }
}

interface Targets {
  sshd: Sshd;
  dir: string;
  hosts: InventoryHost[];
  bundleFile: string;
  bundle: AgentBundle;
  parallel: number;
}

/** muniops: deployHost over the targets, `parallel` at a time, as `muniops agents deploy` runs them. */
async function deployWithMuniops(t: Targets, hosts: readonly InventoryHost[], phase: string): Promise<number> {
  const root = join(t.dir, "muniops", phase);
  const options: OperationOptions = {
    credentials: { username: t.sshd.user, privateKey: readFileSync(t.sshd.identity, "utf8") },
    hostKeys: {
      knownHosts: await KnownHostsFile.load(join(t.dir, "known_hosts-muniops")),
      acceptNew: true,
      dryRun: false,
    },
    sshPort: t.sshd.port,
    connectTimeoutMs: 30_000,
    layout: { prefix: join(root, "{host}"), serviceUser: t.sshd.user, serviceManager: "supervisor", sudo: false },
    healthTimeoutMs: 60_000,
    dryRun: false,
  };
  try {
    const started = performance.now();
    const results = await runFleet(hosts, t.parallel, (host) => deployHost(host, t.bundle, options));
    const wallMs = performance.now() - started;
    const failed = results.filter((r) => r.status !== "deployed");
    if (failed.length > 0) throw new Error(`muniops ${phase}: ${failed.length} failed, e.g. ${failed[0]?.error ?? ""}`);
    return wallMs;
  } finally {
    killAgents(root);
  }
}

/** Ansible: the playbook over the same targets with forks = parallel, from a fresh ansible.cfg. */
async function deployWithAnsible(t: Targets, hosts: readonly InventoryHost[], phase: string): Promise<number> {
  const root = join(t.dir, "ansible", phase);
  const controlPaths = join(t.dir, "ansible-cp", phase);
  mkdirSync(join(root, "ctl"), { recursive: true });
  mkdirSync(controlPaths, { recursive: true });
  const inventoryHosts: Record<string, Record<string, unknown>> = {};
  for (const host of hosts) {
    const controlScript = join(root, "ctl", `${host.name}.agentctl`);
    writeFileSync(controlScript, supervisorScript(agentArgsFor(host)));
    inventoryHosts[host.name] = {
      ...{ ansible_host: host.address, ansible_port: t.sshd.port, ansible_user: t.sshd.user },
      ...{ ansible_ssh_private_key_file: t.sshd.identity, ansible_python_interpreter: "/usr/bin/python3" },
      ...{ agent_port: host.agentPort, prefix: join(root, host.name), control_script: controlScript },
    };
  }
  const vars = { version: t.bundle.version, bundle_file: t.bundleFile, agent_config: t.bundle.config };
  const inventory = join(root, "inventory.yml"); // JSON is YAML
  writeFileSync(inventory, JSON.stringify({ all: { vars, children: { targets: { hosts: inventoryHosts } } } }));
  const config = join(root, "ansible.cfg");
  writeFileSync(
    config,
    [
      "[defaults]",
      `inventory = ${inventory}`,
      `forks = ${t.parallel}`,
      "gathering = explicit",
      "retry_files_enabled = False",
      "[ssh_connection]",
      "pipelining = True",
      `ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o StrictHostKeyChecking=accept-new -o ` +
        `UserKnownHostsFile=${join(t.dir, "known_hosts-ansible")}`,
      `control_path_dir = ${controlPaths}`,
      "",
    ].join("\n"),
  );
  const env = { ...process.env, ANSIBLE_CONFIG: config, ANSIBLE_NOCOLOR: "1", SSH_AUTH_SOCK: "" };
  try {
    const started = performance.now();
    try {
      await run("ansible-playbook", [playbook], { env, cwd: root, timeout: 900_000, maxBuffer: 64 << 20 });
    } catch (error) {
      const { stdout, message } = error as { stdout?: string; message: string };
      const tail = (stdout ?? message).trim().split("\n").slice(-15).join("\n");
      throw new Error(`ansible-playbook ${phase} failed:\n${tail}`, { cause: error });
    }
    return performance.now() - started;
  } finally {
    killAgents(root);
    await closeControlMasters(controlPaths);
  }
}

/** ControlPersist leaves master connections behind for a minute: end them, as the benchmark started them. */
async function closeControlMasters(dir: string): Promise<void> {
  await Promise.all(
    readdirSync(dir).map((socket) =>
      run("ssh", ["-o", `ControlPath=${join(dir, socket)}`, "-O", "exit", "target"]).catch(() => undefined),
    ),
  );
}

function row(metric: string, muniopsMs: number, ansibleMs: number, note: string): BenchResult {
  const ratio = muniopsMs / ansibleMs;
  return {
    benchmark: "rollout",
    metric,
    value: muniopsMs / 1000,
    unit: "s",
    reference: ansibleMs / 1000,
    referenceName: "Ansible, same steps",
    target: `ratio ≤ ${target}`,
    ok: ratio <= target,
    note: `ratio ${ratio.toFixed(3)}; ${note}`,
  };
}

/** The two Ansible rows: one host, and `count` hosts with --parallel / forks `parallel`. */
export async function ansibleRows(
  dir: string,
  bundleFile: string,
  bundle: AgentBundle,
  count: number,
  parallel: number,
): Promise<BenchResult[]> {
  const version = await ansibleVersion();
  if (version === undefined) {
    const note = "ansible-playbook is not installed: apt-get install -y ansible-core (Debian 12 ships 2.14)";
    console.error(`  rollout: ${note}`);
    return [{ benchmark: "rollout", metric: "deploy beside Ansible", value: NaN, unit: "", note }];
  }
  const sshd = await startSshd(join(dir, "sshd-own-addresses"), { listen: ["0.0.0.0"] });
  try {
    const inventoryPath = join(dir, "inventory-own-addresses.json");
    const names = Array.from({ length: count }, (_v, i) => `own-${String(i + 1).padStart(3, "0")}`);
    await writeInventory(inventoryPath, names, (name) => ({ address: addressOf(names.indexOf(name)) }));
    const hosts = readInventory(inventoryPath).hosts;
    const t: Targets = { sshd, dir, hosts, bundleFile, bundle, parallel };
    const one = hosts.slice(0, 1);
    const single = {
      muniops: await deployWithMuniops(t, one, "single"),
      ansible: await deployWithAnsible(t, one, "single"),
    };
    const fleet = {
      muniops: await deployWithMuniops(t, hosts, "fleet"),
      ansible: await deployWithAnsible(t, hosts, "fleet"),
    };
    const note =
      `ansible-core ${version}, gather_facts off, pipelining, ControlPersist; every host its own 127.0.1.x ` +
      `address`;
    return [
      row("deploy 1 host (wall), muniops vs Ansible", single.muniops, single.ansible, note),
      row(
        `deploy ${count} hosts, --parallel ${parallel} = forks (wall), muniops vs Ansible`,
        fleet.muniops,
        fleet.ansible,
        note,
      ),
    ];
  } finally {
    await sshd.stop();
  }
}
