// Agentless collection against a real sshd on this machine: the numbers must be this machine's own
// (/proc/meminfo read locally), through the fetcher the metering scraper uses and through the exporter.
import { spawn, execFile } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectAgentless, agentlessFetcher, type AgentlessOptions } from "../../../agents/agentless/fetcher.js";
import { startAgentlessExporter, type AgentlessExporter } from "../../../agents/agentless/exporter.js";
import { KnownHostsFile } from "../../../agents/rollout/knownHosts.js";
import { parseInventory, type Inventory, type InventoryHost } from "../../../contracts/inventory.js";
import { loadCredentials } from "../../../agents/rollout/sshConnection.js";
import { runCli } from "../../helpers/cli.js";
import { keygen, startSshd, type Sshd } from "./sshd.js";
import { started } from "../../helpers/started.js";

let dir: string;
let sshd: Sshd;
let options: AgentlessOptions;
let inventory: Inventory;
let exporter: AgentlessExporter;

const applianceHost = (name: string, address = "127.0.0.1"): InventoryHost => ({
  name,
  address,
  agentPort: 9110,
  department: "ict",
  service: "storage",
  role: "appliance",
  environment: "prod",
  os: "linux",
  vmSize: "appliance",
  vcpus: 2,
  memoryGiB: 8,
  disks: [],
  collect: "ssh",
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muniops-agentless-"));
  sshd = await startSshd(join(dir, "sshd"));
  // The host key is approved beforehand, as unattended collection requires.
  const knownHostsPath = join(dir, "known_hosts");
  writeFileSync(knownHostsPath, `[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey.split(" ").slice(0, 2).join(" ")}\n`);
  options = {
    credentials: { username: sshd.user, privateKey: readFileSync(sshd.identity, "utf8") },
    hostKeys: { knownHosts: await KnownHostsFile.load(knownHostsPath), acceptNew: false, dryRun: false },
    sshPort: sshd.port,
  };
  inventory = parseInventory(
    {
      schemaVersion: 1,
      organization: "Gemeente Test",
      stack: "t",
      departments: [{ id: "ict", name: "ICT", costCenter: "KP-9000", headcount: 1 }],
      // 127.0.0.2 is loopback too, but its known_hosts name differs: an unapproved host.
      hosts: [
        applianceHost("nas-01"),
        applianceHost("nas-02", "127.0.0.2"),
        { ...applianceHost("web-01"), collect: "agent" },
      ],
      shares: [],
    },
    "test",
  );
  exporter = await startAgentlessExporter(inventory, agentlessFetcher(options), "127.0.0.1", 0);
});

afterAll(async () => {
  await started(exporter)?.close();
  await started(sshd)?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function series(text: string, name: string, labels = ""): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(" ").pop());
}

describe("agentless collection over SSH", () => {
  it("returns the agent's exposition for the host, with this machine's memory and root filesystem", async () => {
    const text = await collectAgentless(inventory.hosts[0]!, options);
    const memTotal = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync("/proc/meminfo", "utf8"))![1]) * 1024;
    expect(series(text, "muniops_memory_total_bytes")).toBe(memTotal);
    expect(series(text, "muniops_memory_available_bytes")).toBeGreaterThan(0);
    const rootSize = text
      .split("\n")
      .find((l) => l.startsWith("muniops_filesystem_size_bytes{") && l.includes('mountpoint="/"}'));
    expect(rootSize, text).toBeDefined();
    expect(series(text, "muniops_scrape_collector_success", '{collector="filesystem"}')).toBe(1);
    expect(series(text, "muniops_scrape_collector_success", '{collector="memory"}')).toBe(1);
    expect(text).toContain("# TYPE muniops_filesystem_avail_bytes gauge");
  });

  it("serves /metrics?target= for agentless inventory hosts only, and 503 for a host it can't vouch for", async () => {
    const ok = await fetch(`${exporter.url}/metrics?target=nas-01`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    expect(await ok.text()).toContain("muniops_memory_total_bytes ");

    const agentHost = await fetch(`${exporter.url}/metrics?target=web-01`);
    expect(agentHost.status).toBe(400);
    expect(await agentHost.text()).toContain('"collect": "ssh"');

    const unknownKey = await fetch(`${exporter.url}/metrics?target=nas-02`);
    expect(unknownKey.status).toBe(503);
    expect(await unknownKey.text()).toContain(`host key for [127.0.0.2]:${sshd.port} is not in`);
  });
});

describe("authentication", () => {
  it("logs in with a key held by a real ssh-agent (SSH_AUTH_SOCK), no key file", async () => {
    const socket = join(dir, "agent.sock");
    const agent = spawn("ssh-agent", ["-D", "-a", socket], { stdio: "ignore" });
    try {
      for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 20));
      await promisify(execFile)("ssh-add", [sshd.identity], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
      const credentials = await loadCredentials({ user: sshd.user, env: { SSH_AUTH_SOCK: socket } });
      expect(credentials.privateKey).toBeUndefined();
      const text = await collectAgentless(inventory.hosts[0]!, { ...options, credentials });
      expect(text).toContain("muniops_memory_total_bytes ");
    } finally {
      agent.kill();
    }
  });

  it("uses an encrypted key's configured passphrase and never prints it, even at debug level", async () => {
    const passphrase = "geheim-wachtwoord-2026";
    const key = join(dir, "encrypted_key");
    appendFileSync(join(sshd.dir, "authorized_keys"), (await keygen(key, "ed25519", passphrase)) + "\n");
    const inventoryPath = join(dir, "inventory.json");
    writeFileSync(
      inventoryPath,
      JSON.stringify({ ...inventory, hosts: [{ ...applianceHost("web-01"), collect: "agent", agentPort: 1 }] }),
    );
    const result = await runCli(
      [
        "agents",
        "status",
        "--inventory",
        inventoryPath,
        "--ssh-port",
        String(sshd.port),
        "--ssh-user",
        sshd.user,
        "--identity",
        key,
        "--known-hosts",
        join(dir, "known_hosts"),
        "--log-level",
        "debug",
      ],
      { env: { SSH_AUTH_SOCK: "", MUNIOPS_ROLLOUT_SSH_PASSPHRASE: passphrase } },
    );
    // Logged in (so the passphrase worked); no agent there, so the host is down and the exit is 1.
    expect(result.stdout).toContain('"status":"down"');
    expect(result.stdout).toContain('"hostKey":"known SHA256:');
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(passphrase);
  });
});
