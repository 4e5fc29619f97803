// The dashboard under load: a ledger with 10,000 hosts and 30 departments, 100 concurrent connections
// (autocannon) on the overview page and on /api/v1/chargeback. Requests per second are compared with a
// bare node:http server sending the same bytes on the same machine (target ratio ≥ 0.5), p99 ≤ 100 ms.
// Computed months are cached until the ledger changes, so the figure is the steady state; the cold
// computation (the first request after an invalidation) is reported as its own metric. The load generator
// runs in this process, sharing the two cores with the server exactly as it does for the reference.
// A steady-state request to either route is answered before express (dashboard/server/hotRoutes.ts): the
// ledger change check (SQLite's `pragma data_version`, a few µs, kept so nothing is served stale), the
// session from its cache, the role, helmet's headers replayed from one recorded run, and the cached
// bytes. Express with one route and no middleware is measured too: it alone reaches about 0.55-0.6 of
// bare node:http here, so the dozen layers of the full app could not meet 0.5 (they measured 0.44-0.47).
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import express from "express";
import { openLedger, type Ledger } from "../dashboard/data-access/database.js";
import { applyMasterDataChanges } from "../dashboard/data-access/masterData.js";
import { recordHour, rollup, type UsageRow } from "../dashboard/data-access/usage.js";
import type { MasterData } from "../dashboard/domain/records.js";
import { addUser, prepareAuthTables } from "../dashboard/auth/userStore.js";
import { start } from "../dashboard/server/server.js";
import type { BenchResult, Benchmark } from "./benchmark.js";

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number; average: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const hosts = 10_000;
const departmentCount = 30;
const now = Date.parse("2026-11-15T12:00:00Z");
const password = "benchmark password 1";
const duration = Number(process.env.MUNIOPS_BENCH_DURATION ?? 10);
const rounds = Number(process.env.MUNIOPS_BENCH_ROUNDS ?? 3);

async function fill(ledger: Ledger): Promise<void> {
  const departments = Array.from({ length: departmentCount }, (_v, i) => ({
    id: `dept-${String(i).padStart(2, "0")}`,
    name: `Afdeling ${i}`,
    costCenter: `KP-${4000 + i}`,
    headcount: 20 + i * 3,
    annualBudgetCents: 5_000_000n + BigInt(i) * 100_000n,
  }));
  const master: Partial<MasterData> = {
    departments,
    hosts: Array.from({ length: hosts }, (_v, i) => ({
      name: `host-${i}`,
      department: i % 97 === 0 ? null : (departments[i % departmentCount]?.id ?? null),
      service: `svc-${i % 40}`,
      environment: i % 3 === 0 ? "test" : "prod",
      vcpus: 2 + (i % 4) * 2,
      memoryMib: 8192,
      existedFrom: "2026-01-01T00",
      existedTo: null,
    })),
    rateVersions: [
      {
        validFrom: "2026-01-01",
        note: "2026",
        prices: {
          "compute.vcpuHour": 10_000n,
          "compute.memoryGibHour": 5_000n,
          "storage.serverGbMonth": 100_000n,
          "storage.shareGbMonth": 50_000n,
        },
      },
    ],
    licenceProducts: [{ id: "m365-e3", name: "Microsoft 365 E3", licenceType: "per-user" }],
    licenceContracts: [
      {
        id: "c1",
        productId: "m365-e3",
        quantity: 2000,
        unitPriceMicroEur: 20_000_000n,
        startDate: "2026-01-01",
        endDate: null,
        supplier: "SoftwareONE",
        purchaseOrder: "PO-1",
      },
    ],
    licenceAssignments: departments.map((d, i) => ({
      id: `a-${d.id}`,
      productId: "m365-e3",
      department: d.id,
      seats: 40 + i,
      validFrom: "2026-01-01",
      validTo: null,
    })),
    costItems: [
      {
        id: "hub",
        name: "Hub network",
        monthlyCents: 1_000_000n,
        driver: "headcount",
        percentages: null,
        validFrom: "2026-01-01",
        validTo: null,
      },
    ],
  };
  await ledger.db.transaction().execute((trx) => applyMasterDataChanges(trx, master, {}, "bench"));
  // One measured hour per day of the month so far, through the ledger's own writer and rollup.
  const days: string[] = [];
  for (let day = 1; day <= 14; day++) {
    const hour = `2026-11-${String(day).padStart(2, "0")}T12`;
    const rows: UsageRow[] = [];
    for (const h of master.hosts ?? []) {
      rows.push(
        { subject: h.name, meter: "up_seconds", department: h.department, value: 3600n, status: "ok" },
        { subject: h.name, meter: "vcpus", department: h.department, value: BigInt(h.vcpus), status: "ok" },
        { subject: h.name, meter: "memory_bytes", department: h.department, value: 8n * 1024n ** 3n, status: "ok" },
        { subject: h.name, meter: "fs_used_bytes", department: h.department, value: 50_000_000_000n, status: "ok" },
      );
    }
    await recordHour(ledger.db, ledger.dialect, hour, rows);
    days.push(hour.slice(0, 10));
  }
  await rollup(ledger.db, days);
  await prepareAuthTables(ledger);
  await addUser(ledger, { username: "bench", password, role: "service-manager" }, "bench");
}

/** Create the benchmark ledger at `path`: also used to profile the dashboard outside the benchmark. */
export async function fillAt(path: string): Promise<void> {
  const ledger = await openLedger(path, { create: true });
  try {
    await fill(ledger);
  } finally {
    await ledger.close();
  }
}

async function loginCookie(base: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  const loginCookies = page.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: loginCookies, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: "bench", password, _csrf: token }).toString(),
  });
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith("muniops_session="))
    ?.split(";")[0];
  if (!cookie) throw new Error(`benchmark login failed: ${res.status}`);
  return cookie;
}

/** A server answering every request with the given bytes, listening on a free port. */
async function serving(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/**
 * The references: a bare node:http server sending the same bytes (the target's yardstick), and express
 * with one route and no middleware sending them too, to show what the framework alone costs here.
 */
function referenceServers(body: Buffer, contentType: string): Promise<{ url: string; server: Server }>[] {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.get("/", (_req, res) => {
    res.set("Content-Type", contentType).send(body);
  });
  return [
    serving((_req, res) => {
      res.writeHead(200, { "content-type": contentType, "content-length": body.length });
      res.end(body);
    }),
    serving(app),
  ];
}

interface Target {
  url: string;
  headers?: Record<string, string>;
}

interface LoadFigures {
  /** Requests per second over all rounds. */
  rps: number;
  /**
   * This process's CPU time (server and load generator) per request: unlike rps, barely moved by other load on the
   * machine.
   */
  cpuMicrosPerRequest: number;
  /** The median of the rounds' p99, and every round's, for the note. */
  p99: number;
  p99s: number[];
  failures: number;
  non2xx: number;
  errors: number;
}

/**
 * Measure the dashboard and the references in alternating rounds after a short warm-up, so a burst of
 * load from elsewhere on the machine hits all alike rather than whichever ran at that moment.
 */
async function interleaved(targets: readonly Target[]): Promise<LoadFigures[]> {
  const roundSeconds = Math.max(1, duration / rounds);
  const run = async (target: Target, seconds: number): Promise<Measured> => {
    const cpu = process.cpuUsage();
    const result = await autocannon({
      url: target.url,
      connections: 100,
      duration: seconds,
      ...(target.headers ? { headers: target.headers } : {}),
    });
    const used = process.cpuUsage(cpu);
    return { ...result, cpuMicros: used.user + used.system };
  };
  for (const target of targets) await run(target, 1);
  const runs = targets.map((): Measured[] => []);
  for (let round = 0; round < rounds; round++)
    for (const [i, target] of targets.entries()) runs[i]?.push(await run(target, roundSeconds));
  return runs.map(figures);
}

type Measured = AutocannonResult & { cpuMicros: number };

function figures(runs: readonly Measured[]): LoadFigures {
  const p99s = runs.map((r) => r.latency.p99);
  const sorted = [...p99s].sort((a, b) => a - b);
  const sum = (of: (r: Measured) => number) => runs.reduce((total, r) => total + of(r), 0);
  const non2xx = sum((r) => r.non2xx);
  const errors = sum((r) => r.errors);
  return {
    rps: sum((r) => r.requests.average) / runs.length,
    cpuMicrosPerRequest:
      sum((r) => r.cpuMicros) /
      Math.max(
        1,
        sum((r) => r.requests.total),
      ),
    p99: sorted[Math.floor(sorted.length / 2)] ?? NaN,
    p99s,
    failures: non2xx + errors,
    non2xx,
    errors,
  };
}

function loadResults(
  label: string,
  measured: LoadFigures,
  reference: LoadFigures,
  expressFloor: LoadFigures,
): BenchResult[] {
  const failures =
    measured.failures > 0 ? `${measured.non2xx} non-2xx, ${measured.errors} errors (timeouts) under load; ` : "";
  const ok = measured.failures === 0;
  return [
    {
      benchmark: "dashboard",
      metric: `${label}: requests/s (100 connections)`,
      value: Math.round(measured.rps),
      unit: "req/s",
      reference: Math.round(reference.rps),
      referenceName: "bare node:http, same bytes",
      target: "ratio ≥ 0.5",
      ok: ok && measured.rps / reference.rps >= 0.5,
      note: `${failures}${rounds} alternating rounds of ${Math.max(1, duration / rounds).toFixed(1)} s`,
    },
    {
      benchmark: "dashboard",
      metric: `${label}: CPU per request`,
      value: Math.round(measured.cpuMicrosPerRequest),
      unit: "µs",
      reference: Math.round(reference.cpuMicrosPerRequest),
      referenceName: "bare node:http",
      note:
        `server and load generator together; the rps ratio on an idle machine ≈ ` +
        (reference.cpuMicrosPerRequest / measured.cpuMicrosPerRequest).toFixed(2),
    },
    {
      benchmark: "dashboard",
      metric: `${label}: express alone (one route, no middleware)`,
      value: Math.round(expressFloor.rps),
      unit: "req/s",
      reference: Math.round(reference.rps),
      referenceName: "bare node:http, same bytes",
      note:
        `the framework's own cost on this machine (${Math.round(expressFloor.cpuMicrosPerRequest)} µs CPU per ` +
        `request); the dashboard answers this route before express (hotRoutes.ts)`,
    },
    {
      benchmark: "dashboard",
      metric: `${label}: p99 latency`,
      value: measured.p99,
      unit: "ms",
      reference: reference.p99,
      referenceName: "bare node:http",
      target: "≤ 100 ms",
      ok: ok && measured.p99 <= 100,
      note: `median of the rounds' p99: ${measured.p99s.join(", ")} ms (bare ${reference.p99s.join(", ")} ms)`,
    },
  ];
}

const benchmark: Benchmark = {
  name: "dashboard",
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(join(tmpdir(), "muniops-dashboard-bench-"));
    const path = join(dir, "ledger.db");
    const results: BenchResult[] = [];
    try {
      const fillStart = performance.now();
      await fillAt(path);
      console.error(
        `  ledger filled: ${hosts} hosts, ${departmentCount} departments in ` +
          `${((performance.now() - fillStart) / 1000).toFixed(1)} s`,
      );
      const dashboard = await start({
        databaseUrl: path,
        host: "127.0.0.1",
        port: 0,
        sessionTtlMs: 3_600_000,
        slaTarget: 99.8,
        trustProxy: false,
        loginAttempts: 100,
        now: () => now,
      });
      try {
        const cookie = await loginCookie(dashboard.url);
        for (const [label, route] of [
          ["overview", "/"],
          ["chargeback API", "/api/v1/chargeback?period=2026-11"],
        ] as const) {
          const url = `${dashboard.url}${route}`;
          dashboard.service.invalidate();
          const cold = performance.now();
          const first = await fetch(url, { headers: { cookie } });
          const body = Buffer.from(await first.arrayBuffer());
          const coldMs = performance.now() - cold;
          if (first.status !== 200) throw new Error(`${route} answered ${first.status}`);
          results.push({
            benchmark: "dashboard",
            metric: `${label}: cold (computed, uncached)`,
            value: Math.round(coldMs),
            unit: "ms",
            note: `${body.length} bytes`,
          });
          const references = await Promise.all(
            referenceServers(body, first.headers.get("content-type") ?? "text/html"),
          );
          try {
            const [measured, bare, expressFloor] = await interleaved([
              { url, headers: { cookie } },
              ...references.map((r) => ({ url: r.url })),
            ]);
            if (!measured || !bare || !expressFloor) throw new Error("a load run is missing");
            results.push(...loadResults(label, measured, bare, expressFloor));
          } finally {
            for (const r of references) r.server.close();
          }
        }
      } finally {
        await dashboard.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return results;
  },
};

export default benchmark;
