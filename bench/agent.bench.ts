// The agent against node_exporter 1.5.0 in the same run, with only the equivalent collectors enabled,
// scraped alternately 200 times each with the headers Prometheus sends. Reported per exporter: median
// and p99 latency, CPU seconds per scrape (children included), RSS, series, and processes spawned by
// the agent after warm-up.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchResult, Benchmark } from "./benchmark.js";
import { buildAgentBundle } from "../agents/bundle.js";

const nodeExporter = "/usr/bin/prometheus-node-exporter";
const scrapes = 200;
const warmup = 20;
const prometheusHeaders = {
  Accept:
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75," +
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
  "Accept-Encoding": "gzip",
};
// Counts every child process the agent starts (all of child_process goes through ChildProcess#spawn).
const spawnCounter = `data:text/javascript,${encodeURIComponent(
  'import cp from "node:child_process"; import fs from "node:fs"; const orig = cp.ChildProcess.prototype.spawn; ' +
    "cp.ChildProcess.prototype.spawn = function (...a) { " +
    'fs.appendFileSync(process.env.MUNIOPS_BENCH_SPAWN_LOG, "spawn\\n"); return orig.apply(this, a); };',
)}`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === "object" && address ? address.port : 0);
      });
    });
  });
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} never became ready`);
}

/** utime + stime + cutime + cstime, in seconds (USER_HZ = 100). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / 100;
}

function rssBytes(pid: number, field = "VmRSS"): number {
  return (
    Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) * 1024
  );
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

interface Target {
  name: string;
  url: string;
  process: ChildProcess;
  latencies: number[];
  series: number;
  /** Series per metric name in the last scrape. */
  byName: Map<string, number>;
}

/** The equivalent collectors on both sides (README, "Agents": the series mapping). */
const agentCollectors = ["cpu", "loadavg", "memory", "filesystem", "diskstats", "netdev", "time", "os"];
agentCollectors.push("vmstat", "stat", "filefd", "conntrack", "pressure", "timex");
const nodeExporterCollectors = [
  "cpu",
  "loadavg",
  "meminfo",
  "filesystem",
  "diskstats",
  "netdev",
  "time",
  "stat",
  "uname",
  "os",
];
nodeExporterCollectors.push("vmstat", "filefd", "conntrack", "pressure", "timex");

/** Groups for the side-by-side series table: a row name and the name patterns of each exporter. */
const seriesGroups: { group: string; agent: RegExp; nodeExporter: RegExp }[] = [
  { group: "cpu", agent: /^muniops_cpu_/, nodeExporter: /^node_cpu_/ },
  { group: "loadavg", agent: /^muniops_load\d/, nodeExporter: /^node_load\d/ },
  { group: "memory (meminfo)", agent: /^muniops_memory_/, nodeExporter: /^node_memory_/ },
  { group: "vmstat", agent: /^muniops_vmstat_/, nodeExporter: /^node_vmstat_/ },
  { group: "filesystem", agent: /^muniops_filesystem_/, nodeExporter: /^node_filesystem_/ },
  { group: "diskstats", agent: /^muniops_disk_/, nodeExporter: /^node_disk_/ },
  { group: "netdev", agent: /^muniops_network_/, nodeExporter: /^node_network_/ },
  {
    group: "stat",
    agent: /^muniops_(interrupts|context_switches|forks|procs_running|procs_blocked|boot_time)/,
    nodeExporter: /^node_(intr|context_switches|forks|procs_running|procs_blocked|boot_time)/,
  },
  { group: "filefd", agent: /^muniops_filefd_/, nodeExporter: /^node_filefd_/ },
  { group: "conntrack", agent: /^muniops_nf_conntrack_/, nodeExporter: /^node_nf_conntrack_/ },
  { group: "pressure", agent: /^muniops_pressure_/, nodeExporter: /^node_pressure_/ },
  { group: "time", agent: /^muniops_time_/, nodeExporter: /^node_time_/ },
  { group: "timex", agent: /^muniops_timex_/, nodeExporter: /^node_timex_/ },
  { group: "os / uname", agent: /^muniops_(os|uname)_/, nodeExporter: /^node_(os|uname)_/ },
  {
    group: "exporter self-metrics",
    agent: /^muniops_(scrape_|agent_build)/,
    nodeExporter: /^(go_|process_|promhttp_|node_scrape_|node_exporter_build)/,
  },
];

function seriesIn(target: Target, pattern: RegExp): number {
  let count = 0;
  for (const [name, n] of target.byName) if (pattern.test(name)) count += n;
  return count;
}

async function scrape(target: Target): Promise<void> {
  const started = performance.now();
  const response = await fetch(target.url, { headers: prometheusHeaders });
  const body = await response.text();
  target.latencies.push(performance.now() - started);
  if (!response.ok) throw new Error(`${target.name}: HTTP ${response.status}`);
  const lines = body.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
  target.series = lines.length;
  target.byName = new Map();
  for (const line of lines) {
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? "";
    target.byName.set(name, (target.byName.get(name) ?? 0) + 1);
  }
}

/**
 * The bundle as `muniops agents deploy` starts it (every default collector, the updates collector included),
 * scraped as often as in the comparison once its first patch check has finished: its RSS.
 */
async function defaultCollectorsRss(bundle: string, stateDir: string): Promise<number> {
  const port = await freePort();
  const args = [bundle, "--web.listen-address", `127.0.0.1:${port}`, "--log-level", "error"];
  const child = spawn(process.execPath, [...args, "--collector.updates.state-dir", stateDir], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}/metrics`;
  try {
    await waitReady(url);
    for (let i = 0; i < 600 && !(await (await fetch(url)).text()).includes("muniops_updates_check_success"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (let i = 0; i < warmup + scrapes; i++) await (await fetch(url, { headers: prometheusHeaders })).arrayBuffer();
    return rssBytes(child.pid!);
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

/** Lines in the spawn log: one per child process the agent started, none before its first spawn. */
function spawnsLogged(spawnLog: string): number {
  return existsSync(spawnLog) ? readFileSync(spawnLog, "utf8").split("\n").length - 1 : 0;
}

function target(name: string, port: number, process: ChildProcess): Target {
  return { name, url: `http://127.0.0.1:${port}/metrics`, process, latencies: [], series: 0, byName: new Map() };
}

/** The agent (counting its spawns) and node_exporter, each with only the equivalent collectors. */
async function startTargets(bundle: string, spawnLog: string): Promise<{ agent: Target; ne: Target }> {
  const [agentPort, nePort] = [await freePort(), await freePort()];
  const agentProcess = spawn(
    process.execPath,
    [
      "--import",
      spawnCounter,
      bundle,
      "--web.listen-address",
      `127.0.0.1:${agentPort}`,
      "--log-level",
      "warn",
      "--collector.disable-defaults",
      ...agentCollectors.map((c) => `--collector.${c}`),
    ],
    { stdio: "ignore", env: { ...process.env, MUNIOPS_BENCH_SPAWN_LOG: spawnLog } },
  );
  const neProcess = spawn(
    nodeExporter,
    [
      `--web.listen-address=127.0.0.1:${nePort}`,
      "--collector.disable-defaults",
      ...nodeExporterCollectors.map((c) => `--collector.${c}`),
    ],
    { stdio: "ignore" },
  );
  return { agent: target("agent", agentPort, agentProcess), ne: target("node_exporter", nePort, neProcess) };
}

interface ScrapeCosts {
  /** CPU seconds per scrape, children included. */
  agentCpu: number;
  neCpu: number;
  /** Processes the agent spawned after warm-up. */
  spawnsDuring: number;
}

/**
 * Warms both up, then scrapes them alternately, so load on the shared machine hits both alike. Latencies are
 * kept on the targets from the measured scrapes only.
 */
async function measureScrapes(agent: Target, ne: Target, spawnLog: string): Promise<ScrapeCosts> {
  await Promise.all([waitReady(agent.url), waitReady(ne.url)]);
  for (let i = 0; i < warmup; i++) {
    await scrape(agent);
    await scrape(ne);
  }
  const spawnsAfterWarmup = spawnsLogged(spawnLog);
  agent.latencies = [];
  ne.latencies = [];
  const cpuBefore = [cpuSeconds(agent.process.pid!), cpuSeconds(ne.process.pid!)];
  for (let i = 0; i < scrapes; i++) {
    await scrape(agent);
    await scrape(ne);
  }
  return {
    agentCpu: (cpuSeconds(agent.process.pid!) - cpuBefore[0]!) / scrapes,
    neCpu: (cpuSeconds(ne.process.pid!) - cpuBefore[1]!) / scrapes,
    spawnsDuring: spawnsLogged(spawnLog) - spawnsAfterWarmup,
  };
}

interface ResidentMemory {
  agent: number;
  ne: number;
  /** The bundle with its default collectors, as `muniops agents deploy` starts it. */
  deployed: number;
}

const reference = { referenceName: "node_exporter 1.5.0" };

function latencyRows(agent: Target, ne: Target): BenchResult[] {
  const medianA = percentile(agent.latencies, 50);
  const medianN = percentile(ne.latencies, 50);
  return [
    {
      benchmark: "agent",
      metric: "scrape latency median",
      value: medianA,
      unit: "ms",
      reference: medianN,
      ...reference,
      target: "ratio ≤ 1.0",
      ok: medianA <= medianN,
    },
    {
      benchmark: "agent",
      metric: "scrape latency p99",
      value: percentile(agent.latencies, 99),
      unit: "ms",
      reference: percentile(ne.latencies, 99),
      ...reference,
    },
  ];
}

function resourceRows(agent: Target, costs: ScrapeCosts, rss: ResidentMemory): BenchResult[] {
  const mib = (bytes: number): string => (bytes / 1024 ** 2).toFixed(1);
  return [
    {
      benchmark: "agent",
      metric: "CPU per scrape (incl. children)",
      value: costs.agentCpu * 1000,
      unit: "ms",
      reference: costs.neCpu * 1000,
      ...reference,
      target: "ratio ≤ 1.0",
      ok: costs.agentCpu <= costs.neCpu,
    },
    {
      benchmark: "agent",
      metric: "RSS after scrapes",
      value: rss.agent / 1024 ** 2,
      unit: "MiB",
      reference: rss.ne / 1024 ** 2,
      ...reference,
      target: "agent ≤ 60 MiB",
      ok: rss.agent <= 60 * 1024 ** 2,
      note:
        `anonymous ${mib(rssBytes(agent.process.pid!, "RssAnon"))} MiB + ` +
        `file-backed ${mib(rssBytes(agent.process.pid!, "RssFile"))} MiB (node binary pages, shared)`,
    },
    {
      benchmark: "agent",
      metric: "RSS after scrapes, as deployed (default collectors, updates included)",
      value: rss.deployed / 1024 ** 2,
      unit: "MiB",
      target: "≤ 60 MiB",
      ok: rss.deployed <= 60 * 1024 ** 2,
      note: "textfile and updates on; the first patch check (apt-get -s) has run before the scrapes",
    },
  ];
}

/** Series counts in the last scrape: all, the host's (without self-metrics), and per collector group. */
function seriesRows(agent: Target, ne: Target): BenchResult[] {
  const self = seriesGroups.find((g) => g.group === "exporter self-metrics")!;
  const agentHost = agent.series - seriesIn(agent, self.agent);
  const neHost = ne.series - seriesIn(ne, self.nodeExporter);
  const unmatched = [...ne.byName.keys()].filter((name) => !seriesGroups.some((g) => g.nodeExporter.test(name)));
  if (unmatched.length > 0) console.error(`  node_exporter series in no group: ${unmatched.join(", ")}`);
  return [
    {
      benchmark: "agent",
      metric: "series per scrape (all)",
      value: agent.series,
      unit: "",
      reference: ne.series,
      ...reference,
    },
    {
      benchmark: "agent",
      metric: "host series per scrape (without exporter self-metrics)",
      value: agentHost,
      unit: "",
      reference: neHost,
      ...reference,
      target: "≥ node_exporter's",
      ok: agentHost >= neHost,
      note: "node_exporter's go_*, process_*, promhttp_* and scrape series describe the exporter, not the host",
    },
    ...seriesGroups.map(({ group, agent: a, nodeExporter: n }) => ({
      benchmark: "agent",
      metric: `series: ${group}`,
      value: seriesIn(agent, a),
      unit: "",
      reference: seriesIn(ne, n),
      ...reference,
    })),
  ];
}

async function stopTargets(targets: Target[]): Promise<void> {
  for (const { process: child } of targets) {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  }
}

const benchmark: Benchmark = {
  name: "agent",
  async run(): Promise<BenchResult[]> {
    if (!existsSync(nodeExporter))
      throw new Error(`${nodeExporter} missing: install prometheus-node-exporter (.ci/run does)`);
    const dir = mkdtempSync(join(tmpdir(), "muniops-bench-agent-"));
    const bundle = join(dir, "muniops-agent.mjs");
    const spawnLog = join(dir, "spawns.log");
    await buildAgentBundle({ outFile: bundle, version: "bench" });
    const { agent, ne } = await startTargets(bundle, spawnLog);
    try {
      const costs = await measureScrapes(agent, ne, spawnLog);
      const agentRss = rssBytes(agent.process.pid!);
      const neRss = rssBytes(ne.process.pid!);
      const rss = { agent: agentRss, ne: neRss, deployed: await defaultCollectorsRss(bundle, join(dir, "state")) };
      return [
        ...latencyRows(agent, ne),
        ...resourceRows(agent, costs, rss),
        ...seriesRows(agent, ne),
        {
          benchmark: "agent",
          metric: "processes spawned during scrapes",
          value: costs.spawnsDuring,
          unit: "",
          target: "0 after warm-up",
          ok: costs.spawnsDuring === 0,
        },
      ];
    } finally {
      await stopTargets([agent, ne]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default benchmark;
