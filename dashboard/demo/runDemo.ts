// `muniops demo`: the whole platform on this machine, on embedded defaults. In order: evaluate the
// leiden-prod stack offline for its inventory; start the real agent for this machine and the fleet
// simulator for the inventory's hosts; fill a ledger with thirteen months of history from the same seeded
// model; audit the stack's plan, as the compliance page's "run" would; meter (embedded, or through a real
// Prometheus with backfilled history when one is installed); serve the dashboard with one demo account per role.
// `stop()` undoes it all, in reverse.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
import { cpus, hostname, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { UsageError } from "../../errors.js";
import { startAgent } from "../../agents/agent.js";
import { registeredCollectors } from "../../agents/collector.js";
import { FleetModel } from "../../agents/simulator/fleetModel.js";
import { startSimulator } from "../../agents/simulator/simulatorServer.js";
import type { Inventory, InventoryHost } from "../../contracts/inventory.js";
import { planStack } from "../../stacks/plan.js";
import { writeDemoWaivers } from "./demoWaivers.js";
import { hasAuditReports } from "../data-access/auditReports.js";
import { openLedger, type Ledger } from "../data-access/database.js";
import { runAndStoreAudits, type ComplianceSources } from "../app/complianceReports.js";
import { addHours, hourKey } from "../domain/period.js";
import type { MetricsFetcher } from "../metering/embeddedSource.js";
import { startMeteringSchedule } from "../metering/schedule.js";
import type { DashboardOptions, RunningDashboard } from "../server/server.js";
import { demoTimeline, seedDemoLedger } from "./demoLedger.js";
import { importDemoBill } from "./demoBill.js";
import { onPath, startDemoPrometheus } from "./demoPrometheus.js";
import { createDemoUsers } from "./demoUsers.js";
import { addDemoPatchWaiver, seedDemoPatchHistory } from "./demoPatches.js";
import { StepProgress } from "./progress.js";

/** Who the audit log says stored the start-up audit: the demo itself, not a person. */
export const demoAuditActor = "muniops demo";

/**
 * This start's audit, and on a ledger without audits a year of history before it: the same plan audited
 * as of the 28th of each of the eleven months before, waivers judged by that day's clock, so the
 * compliance page's trend per measure and the evidence dossier have a year to show.
 */
async function demoAudits(ledger: Ledger, compliance: ComplianceSources) {
  const now = Date.now();
  const hasAudits = await hasAuditReports(ledger.db);
  const day = new Date(now);
  const history = hasAudits
    ? []
    : Array.from({ length: 11 }, (_, i) => Date.UTC(day.getUTCFullYear(), day.getUTCMonth() - 11 + i, 28, 6));
  const stored = await runAndStoreAudits(ledger.db, compliance, { actor: demoAuditActor, times: [...history, now] });
  const latest = stored.at(-1);
  if (!latest) throw new Error("unreachable: the demo audits at least once");
  return latest;
}

export const meteringModes = ["auto", "embedded", "prometheus"] as const;
export type MeteringMode = (typeof meteringModes)[number];

export interface DemoOptions {
  dataDir: string;
  fresh: boolean;
  host: string;
  port: number;
  metering: MeteringMode;
  seed: number;
  stack: string;
  /** How many hours of history Prometheus gets by backfill, and metering reads back from it. */
  prometheusHistoryHours?: number;
  dashboard: Pick<DashboardOptions, "sessionTtlMs" | "slaTarget" | "loginAttempts">;
  progress?: StepProgress;
  /** Ctrl-C during start-up: stop after the current step and undo what was started. */
  signal?: AbortSignal;
}

export interface RunningDemo {
  url: string;
  mode: "embedded" | "prometheus";
  readyMs: number;
  simulatorUrl: string;
  agentUrl: string;
  prometheusUrl?: string;
  stop(): Promise<void>;
}

/** Fail at once, before a minute of start-up, when the dashboard's port is taken. */
function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === "EADDRINUSE"
          ? "address already in use (another dashboard or demo?)"
          : error.code === "EACCES"
            ? "permission denied"
            : error.message;
      reject(new UsageError(`--port ${port}: ${reason} on ${host}; pick another with --port`));
    });
    probe.listen(port, host, () =>
      probe.close(() => {
        resolvePort();
      }),
    );
  });
}

function prometheusBinaries(mode: MeteringMode): { prometheus: string; promtool: string } | undefined {
  if (mode === "embedded") return undefined;
  const prometheus = onPath("prometheus");
  const promtool = onPath("promtool");
  if (prometheus && promtool) return { prometheus, promtool };
  if (mode === "prometheus")
    throw new UsageError(
      `--metering prometheus: ${prometheus ? "promtool" : "prometheus"} is not on PATH (install Prometheus, ` +
        `e.g. apt-get install prometheus, or use --metering embedded)`,
    );
  return undefined;
}

/** This machine as an inventory host of central ICT, measured by the real agent. */
function localHost(inventory: Inventory, agentPort: number): InventoryHost {
  const base =
    hostname()
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 50) || "localhost";
  const name = inventory.hosts.some((h) => h.name === base) ? `${base}-local` : base;
  return {
    name,
    address: "127.0.0.1",
    agentPort,
    department: "ict",
    service: "muniops-demo",
    role: "demo",
    environment: "dev",
    os: process.platform === "win32" ? "windows" : "linux",
    vmSize: "this-machine",
    vcpus: Math.max(1, cpus().length),
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    disks: [],
  };
}

/** The steps' progress, checking the abort signal before and after each. */
interface DemoProgress {
  step<T>(title: string, fn: () => Promise<T>, detail?: (result: T) => string): Promise<T>;
}

type DemoAgent = Awaited<ReturnType<typeof startAgent>>;
type DemoSimulator = Awaited<ReturnType<typeof startSimulator>>;
type DemoTimeline = ReturnType<typeof demoTimeline>;
type Cleanups = (() => Promise<void>)[];

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const steps = options.progress ?? new StepProgress();
  const progress: DemoProgress = {
    step: async <T>(title: string, fn: () => Promise<T>, detail?: (result: T) => string): Promise<T> => {
      options.signal?.throwIfAborted();
      const result = await steps.step(title, fn, detail);
      options.signal?.throwIfAborted();
      return result;
    },
  };
  const binaries = prometheusBinaries(options.metering);
  await assertPortFree(options.host, options.port);
  const dataDir = resolve(options.dataDir);
  if (options.fresh) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const cleanups: Cleanups = [];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const { inventory, inventoryFile, compliance } = await planDemo(progress, options, dataDir);
    const agent = await startDemoAgent(progress);
    cleanups.push(() => agent.close());
    const local = localHost(inventory, agent.port);
    const demoInventory: Inventory = { ...inventory, hosts: [...inventory.hosts, local] };

    const timeline = demoTimeline(Date.now());
    const model = new FleetModel({
      seed: options.seed,
      hosts: inventory.hosts,
      historyStartMs: timeline.historyStartMs,
      nowMs: timeline.nowMs,
    });
    const simulator = await progress.step(
      "starting the fleet simulator",
      () => startSimulator({ model }),
      (s) => `${inventory.hosts.length} simulated hosts on ${s.url} (seed ${options.seed})`,
    );
    cleanups.push(() => simulator.close());

    const lastFullHour = hourKey(timeline.nowMs - 3_600_000);
    const prometheusHours = options.prometheusHistoryHours ?? 7 * 24;
    const meteredFrom = binaries ? addHours(lastFullHour, 1 - prometheusHours) : addHours(lastFullHour, 1);
    const databaseUrl = join(dataDir, "muniops.db");
    await fillDemoLedger(progress, options, {
      databaseUrl,
      dataDir,
      model,
      inventory,
      timeline,
      meteredFrom,
      compliance,
    });

    // The dashboard first, so Prometheus (in its mode) can scrape the dashboard's own /metrics as well,
    // behind a token made for this run.
    const metricsToken = binaries ? randomBytes(32).toString("base64url") : undefined;
    const dashboard = await startDemoDashboard(progress, options, {
      databaseUrl,
      compliance,
      inventoryFile,
      metricsToken,
    });
    cleanups.push(() => dashboard.stop());

    const prometheusUrl =
      binaries && metricsToken
        ? await startPrometheusStep(progress, cleanups, {
            binaries,
            dataDir,
            demoInventory,
            local,
            simulatorPort: simulator.port,
            model,
            fromMs: Date.parse(`${meteredFrom}:00:00Z`),
            toMs: Date.parse(`${lastFullHour}:00:00Z`) + 3_600_000,
            dashboard: { target: new URL(dashboard.url).host, token: metricsToken },
          })
        : undefined;

    await startDemoMetering(progress, cleanups, {
      dashboard,
      demoInventory,
      local,
      agent,
      simulator,
      prometheusUrl,
    });
    return {
      url: dashboard.url,
      mode: prometheusUrl ? "prometheus" : "embedded",
      readyMs: steps.elapsedMs(),
      simulatorUrl: simulator.url,
      agentUrl: `${agent.url}/metrics`,
      ...(prometheusUrl ? { prometheusUrl } : {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface DemoPrometheusInputs {
  binaries: { prometheus: string; promtool: string };
  dataDir: string;
  demoInventory: Inventory;
  local: InventoryHost;
  simulatorPort: number;
  model: FleetModel;
  fromMs: number;
  toMs: number;
  dashboard: { target: string; token: string };
}

/** Prometheus scraping the simulator, the local agent and the dashboard, with the metered hours backfilled. */
async function startPrometheusStep(
  progress: DemoProgress,
  cleanups: Cleanups,
  inputs: DemoPrometheusInputs,
): Promise<string> {
  const { local, simulatorPort } = inputs;
  const scrapeInventory: Inventory = {
    ...inputs.demoInventory,
    hosts: inputs.demoInventory.hosts.map((h) =>
      h.name === local.name ? h : { ...h, address: "127.0.0.1", agentPort: simulatorPort },
    ),
  };
  const prometheus = await progress.step(
    "starting Prometheus with backfilled history",
    () =>
      startDemoPrometheus({
        dir: join(inputs.dataDir, "prometheus"),
        ...inputs.binaries,
        scrapeInventory,
        model: inputs.model,
        backfillFromMs: inputs.fromMs,
        backfillToMs: inputs.toMs,
        dashboard: inputs.dashboard,
      }),
    (p) => `${p.url}, ${p.samples.toLocaleString("en")} samples backfilled`,
  );
  cleanups.push(() => prometheus.stop());
  return prometheus.url;
}

/** The stack's plan, offline: its inventory and its preview document written to the data directory. */
async function planDemo(
  progress: DemoProgress,
  options: DemoOptions,
  dataDir: string,
): Promise<{ inventory: Inventory; inventoryFile: string; compliance: ComplianceSources }> {
  const plan = await progress.step(
    `evaluating the ${options.stack} stack offline`,
    () => planStack({ stack: options.stack }),
    (p) => `${p.inventory.departments.length} departments, ${p.inventory.hosts.length} servers`,
  );
  const inventory = plan.inventory;
  const inventoryFile = join(dataDir, "inventory.json");
  writeFileSync(inventoryFile, JSON.stringify(inventory, null, 2) + "\n");
  // The same plan as a preview document: what the compliance page audits when the auditor asks it to.
  const previewFile = join(dataDir, "preview.json");
  writeFileSync(previewFile, JSON.stringify(plan.digest) + "\n");
  const compliance: ComplianceSources = {
    previewFile,
    waiversFile: writeDemoWaivers(dataDir, options.stack, Date.now()),
    inventoryFile,
  };
  return { inventory, inventoryFile, compliance };
}

/** The muniops agent for this machine, with its default collectors. */
function startDemoAgent(progress: DemoProgress): Promise<DemoAgent> {
  return progress.step(
    "starting the muniops agent for this machine",
    () =>
      startAgent({
        listenAddress: "127.0.0.1:0",
        collectors: registeredCollectors()
          .filter((c) => c.defaultEnabled)
          .map((c) => c.id),
        timeoutSeconds: 5,
      }),
    (a) => a.url,
  );
}

interface DemoLedgerInputs {
  databaseUrl: string;
  dataDir: string;
  model: FleetModel;
  inventory: Inventory;
  timeline: DemoTimeline;
  meteredFrom: string;
  compliance: ComplianceSources;
}

/** The ledger's 13 months, patch state, accounts, cloud bill and a first audit; the ledger is closed after. */
async function fillDemoLedger(progress: DemoProgress, options: DemoOptions, inputs: DemoLedgerInputs): Promise<void> {
  const { databaseUrl, dataDir, model, inventory, timeline, meteredFrom, compliance } = inputs;
  const ledger = await openLedger(databaseUrl, { create: true });
  try {
    await progress.step(
      "filling the ledger with 13 months of history",
      () => seedDemoLedger(ledger, model, inventory, timeline, meteredFrom),
      (r) =>
        r.fresh
          ? `${r.closed} months closed, ${r.hourlyHours} recent hours`
          : `kept the existing ledger, added ${r.hourlyHours} hours`,
    );
    await progress.step(
      "patch state (BIO2 8.08.01): a daily snapshot per host",
      async () => ({
        ...(await seedDemoPatchHistory(ledger, model, inventory, timeline.historyStartMs, timeline.nowMs)),
        waived: addDemoPatchWaiver(compliance.waiversFile, model, inventory, timeline.nowMs),
      }),
      (r) => `${r.days} days, ${r.snapshots} snapshots${r.waived ? `; a waiver for ${r.waived}` : ""}`,
    );
    await progress.step(
      "creating the demo accounts",
      () => createDemoUsers(ledger),
      (created) => (created.length > 0 ? created.join(", ") : "already there"),
    );
    await progress.step(
      "importing the cloud bill (FOCUS) of the same months",
      () => importDemoBill(ledger, inventory, [...timeline.closedPeriods, timeline.openPeriod], join(dataDir, "focus")),
      (r) => (r.rows > 0 ? `${r.months} months, ${r.rows} rows` : "already imported"),
    );
    // The auditor's first view shows a report, BIO matrix and waivers: the same audit "run" stores,
    // of this start's plan (a kept ledger gets a new one: the plan or the waivers may have changed).
    await progress.step(
      `auditing ${options.stack}`,
      () => demoAudits(ledger, compliance),
      ({ summary }) =>
        `${summary.resources} resources, ${summary.mandatoryFailures + summary.advisoryFailures} findings, ` +
        `${summary.waived} waived`,
    );
  } finally {
    await ledger.close();
  }
}

/** The dashboard on the demo's ledger; a taken port is a usage error naming it. */
async function startDemoDashboard(
  progress: DemoProgress,
  options: DemoOptions,
  inputs: { databaseUrl: string; compliance: ComplianceSources; inventoryFile: string; metricsToken?: string },
): Promise<RunningDashboard> {
  const { databaseUrl, compliance, inventoryFile, metricsToken } = inputs;
  const { start } = await import("../server/server.js");
  const dashboard = await progress.step("starting the dashboard", async () => {
    try {
      return await start({
        databaseUrl,
        host: options.host,
        port: options.port,
        ...options.dashboard,
        trustProxy: false,
        compliance,
        // the overview's forecast: the demo's plan priced at the rate card
        inventoryFile,
        ...(metricsToken ? { metricsToken } : {}),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
        throw new UsageError(
          `--port ${options.port}: address already in use on ${options.host}; pick another with --port`,
        );
      throw error;
    }
  });
  return dashboard;
}

interface DemoMeteringInputs {
  dashboard: RunningDashboard;
  demoInventory: Inventory;
  local: InventoryHost;
  agent: DemoAgent;
  simulator: DemoSimulator;
  prometheusUrl: string | undefined;
}

/** Metering on a schedule (from Prometheus, or scraping the agent and the simulator), and its first tick. */
async function startDemoMetering(
  progress: DemoProgress,
  cleanups: Cleanups,
  inputs: DemoMeteringInputs,
): Promise<void> {
  const { dashboard, demoInventory, local, agent, simulator, prometheusUrl } = inputs;
  const fetcher: MetricsFetcher = async (host, timeoutMs) => {
    const url = host.name === local.name ? `${agent.url}/metrics` : simulator.metricsUrl(host.name);
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.text();
  };
  const metering = startMeteringSchedule({
    ledger: dashboard.ledger,
    loadInventory: () => demoInventory,
    ...(prometheusUrl ? { prometheusUrl } : { fetchers: { agent: fetcher } }),
    timeoutMs: 5000,
    maxCatchUpMs: 31 * 86_400_000,
  });
  // Metering stops before the dashboard closes the ledger it writes to.
  cleanups.push(() => metering.stop());
  await progress.step(
    prometheusUrl ? "metering the last week from Prometheus" : "metering: first scrape of every host",
    () => metering.tick(),
  );
}
