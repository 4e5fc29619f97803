// Live host status in Prometheus mode, against a real PromQL peer (VictoriaMetrics): the agent fixture
// imported for two hosts with the host label file_sd would attach, two scrapes a minute apart. The
// snapshot carries up and scrape time, memory, used bytes and the fullest real filesystem.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promqlHostStatus } from "../../../dashboard/metering/promqlStatus.js";
import { SourceUnavailableError } from "../../../dashboard/metering/source.js";
import { fixtureDir } from "../helpers/handMonth.js";
import { freePort, startVictoriaMetrics, type Peer } from "../helpers/peers.js";
import { started } from "../../helpers/started.js";

const agentText = readFileSync(join(fixtureDir, "agent-metrics.prom"), "utf8");
const nearlyFull = agentText.replace(
  /^(muniops_filesystem_avail_bytes\{device="\/dev\/vda",fstype="ext4",mountpoint="\/"\}) \d+$/m,
  `$1 ${Math.floor(270553174016 * 0.05)}`,
);

/** The exposition as one scrape of `host` at `ms`: every series gets the host label and the timestamp. */
function scrape(text: string, host: string, ms: number, cpuExtra = 0): string {
  const lines = text
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .map((l) => {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(l);
      if (!m) return "";
      const [, name = "", labels = "", value = ""] = m;
      const bumped =
        name === "muniops_cpu_seconds_total" && /mode="(user|idle)"/.test(labels)
          ? String(Number(value) + cpuExtra)
          : value;
      return `${name}{${labels ? `${labels},` : ""}host="${host}"} ${bumped} ${ms}`;
    });
  return [...lines, `up{host="${host}"} 1 ${ms}`].filter(Boolean).join("\n") + "\n";
}

let dir: string;
let peer: Peer;
const now = Date.now();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muniops-promql-status-"));
  peer = await startVictoriaMetrics(join(dir, "vm"));
  const body = [
    scrape(agentText, "bz-app-01", now - 120_000),
    scrape(agentText, "bz-app-01", now - 60_000, 30),
    scrape(nearlyFull, "bel-app-01", now - 120_000),
    scrape(nearlyFull, "bel-app-01", now - 60_000),
  ].join("");
  const response = await fetch(`${peer.url}/api/v1/import/prometheus`, { method: "POST", body });
  if (!response.ok) throw new Error(`VictoriaMetrics import failed: HTTP ${response.status}`);
  await fetch(`${peer.url}/internal/force_flush`);
}, 90_000);

afterAll(async () => {
  await started(peer)?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("live status from PromQL", () => {
  it("reads each host's status the operations page shows", async () => {
    const byHost = new Map((await promqlHostStatus(peer.url, { timeoutMs: 5000 })).map((s) => [s.host, s]));
    expect([...byHost.keys()].sort()).toEqual(["bel-app-01", "bz-app-01"]);
    const bz = byHost.get("bz-app-01");
    expect(bz).toMatchObject({
      up: true,
      at: new Date(now - 60_000).toISOString(),
      memoryTotalBytes: 25276026880n,
      memoryAvailableBytes: 22229377024n,
      fsUsedBytes: 270553174016n - 244679544832n,
      fullest: { mountpoint: "/", sizeBytes: 270553174016n, availBytes: 83070664704n },
    });
    expect(bz?.cpuBusyRatio).toBeGreaterThan(0);
    expect(bz?.cpuBusyRatio).toBeLessThanOrEqual(1);
    expect(byHost.get("bel-app-01")?.fullest).toEqual({
      mountpoint: "/",
      sizeBytes: 270553174016n,
      availBytes: BigInt(Math.floor(270553174016 * 0.05)),
    });
  });

  it("a PromQL API that does not answer is a SourceUnavailableError", async () => {
    await expect(promqlHostStatus(`http://127.0.0.1:${await freePort()}`, { timeoutMs: 1000 })).rejects.toBeInstanceOf(
      SourceUnavailableError,
    );
  });
});
