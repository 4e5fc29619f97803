// Agentless collection against a real sshd on this machine: the numbers must be this machine's own
// (/proc/meminfo read locally), through the fetcher the metering scraper uses and through the exporter.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectAgentless, agentlessFetcher, type AgentlessOptions } from "../../../agents/agentless/fetcher.js";
import { startAgentlessExporter, type AgentlessExporter } from "../../../agents/agentless/exporter.js";
import { KnownHostsFile } from "../../../agents/rollout/knownHosts.js";
import { parseInventory, type Inventory, type InventoryHost } from "../../../stacks/inventory.js";
import { startSshd, type Sshd } from "./sshd.js";

let dir: string;
let sshd: Sshd;
let options: AgentlessOptions;
let inventory: Inventory;
let exporter: AgentlessExporter;

const applianceHost = (name: string, address = "127.0.0.1"): InventoryHost => ({ name, address, agentPort: 9110, department: "ict", service: "storage", role: "appliance", environment: "prod", os: "linux", vmSize: "appliance", vcpus: 2, memoryGiB: 8, disks: [], collect: "ssh" });

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
      schemaVersion: 1, organization: "Gemeente Test", stack: "t",
      departments: [{ id: "ict", name: "ICT", costCenter: "KP-9000", headcount: 1 }],
      // 127.0.0.2 is loopback too, but its known_hosts name differs: an unapproved host.
      hosts: [applianceHost("nas-01"), applianceHost("nas-02", "127.0.0.2"), { ...applianceHost("web-01"), collect: "agent" }],
      shares: [],
    },
    "test",
  );
  exporter = await startAgentlessExporter(inventory, agentlessFetcher(options), "127.0.0.1", 0);
});

afterAll(async () => {
  await exporter.close();
  await sshd.stop();
  rmSync(dir, { recursive: true, force: true });
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
    const rootSize = text.split("\n").find((l) => l.startsWith("muniops_filesystem_size_bytes{") && l.includes('mountpoint="/"}'));
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
