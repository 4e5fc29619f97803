// The dashboard under load: a ledger with 10,000 hosts and 30 departments, 100 concurrent connections
// (autocannon) on the overview page and on /api/v1/chargeback. Requests per second are compared with a
// bare node:http server sending the same bytes on the same machine (target ratio ≥ 0.5), p99 ≤ 100 ms.
// Open months are computed from the ledger and cached for 30 s, so the figure is the steady state; the
// cold computation (the first request after the cache expires) is reported as its own metric.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { openLedger, type Ledger } from "../dashboard/data-access/database.js";
import { applyMasterDataChanges } from "../dashboard/data-access/masterData.js";
import { recordHour, rollup, type UsageRow } from "../dashboard/data-access/usage.js";
import type { MasterData } from "../dashboard/data-access/records.js";
import { addUser, prepareAuthTables } from "../dashboard/auth/userStore.js";
import { start } from "../dashboard/api/server.js";
import type { BenchResult, Benchmark } from "./benchmark.js";

interface AutocannonResult {
  requests: { average: number };
  latency: { p99: number; average: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number; headers?: Record<string, string> }) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const hosts = 10_000;
const departmentCount = 30;
const now = Date.parse("2026-11-15T12:00:00Z");
const password = "benchmark password 1";
const duration = Number(process.env.MUNIOPS_BENCH_DURATION ?? 10);

async function fill(ledger: Ledger): Promise<void> {
  const departments = Array.from({ length: departmentCount }, (_v, i) => ({ id: `dept-${String(i).padStart(2, "0")}`, name: `Afdeling ${i}`, costCenter: `KP-${4000 + i}`, headcount: 20 + i * 3, annualBudgetCents: 5_000_000n + BigInt(i) * 100_000n }));
  const master: Partial<MasterData> = {
    departments,
    hosts: Array.from({ length: hosts }, (_v, i) => ({ name: `host-${i}`, department: i % 97 === 0 ? null : (departments[i % departmentCount]?.id ?? null), service: `svc-${i % 40}`, environment: i % 3 === 0 ? "test" : "prod", vcpus: 2 + (i % 4) * 2, memoryMib: 8192, existedFrom: "2026-01-01T00", existedTo: null })),
    rateVersions: [{ validFrom: "2026-01-01", note: "2026", prices: { "compute.vcpuHour": 10_000n, "compute.memoryGibHour": 5_000n, "storage.serverGbMonth": 100_000n, "storage.shareGbMonth": 50_000n } }],
    licenceProducts: [{ id: "m365-e3", name: "Microsoft 365 E3", licenceType: "per-user" }],
    licenceContracts: [{ id: "c1", productId: "m365-e3", quantity: 2000, unitPriceMicroEur: 20_000_000n, startDate: "2026-01-01", endDate: null, supplier: "SoftwareONE", purchaseOrder: "PO-1" }],
    licenceAssignments: departments.map((d, i) => ({ id: `a-${d.id}`, productId: "m365-e3", department: d.id, seats: 40 + i, validFrom: "2026-01-01", validTo: null })),
    costItems: [{ id: "hub", name: "Hub network", monthlyCents: 1_000_000n, driver: "headcount", percentages: null, validFrom: "2026-01-01", validTo: null }],
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

async function loginCookie(base: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  const loginCookies = page.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
  const res = await fetch(`${base}/login`, { method: "POST", redirect: "manual", headers: { cookie: loginCookies, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ username: "bench", password, _csrf: token }).toString() });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("muniops_session="))?.split(";")[0];
  if (!cookie) throw new Error(`benchmark login failed: ${res.status}`);
  return cookie;
}

/** A bare node:http server answering every request with the given bytes. */
async function bareServer(body: Buffer, contentType: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": contentType, "content-length": body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

const benchmark: Benchmark = {
  name: "dashboard",
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(join(tmpdir(), "muniops-dashboard-bench-"));
    const path = join(dir, "ledger.db");
    const results: BenchResult[] = [];
    try {
      const fillStart = performance.now();
      const ledger = await openLedger(path);
      await fill(ledger);
      await ledger.close();
      console.error(`  ledger filled: ${hosts} hosts, ${departmentCount} departments in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);
      const dashboard = await start({ databaseUrl: path, host: "127.0.0.1", port: 0, sessionTtlMs: 3_600_000, slaTarget: 99.8, trustProxy: false, loginAttempts: 100, now: () => now });
      try {
        const cookie = await loginCookie(dashboard.url);
        for (const [label, route] of [
          ["overview", "/"],
          ["chargeback API", "/api/v1/chargeback?period=2026-11"],
        ] as const) {
          dashboard.service.invalidate();
          const cold = performance.now();
          const first = await fetch(`${dashboard.url}${route}`, { headers: { cookie } });
          const body = Buffer.from(await first.arrayBuffer());
          const coldMs = performance.now() - cold;
          if (first.status !== 200) throw new Error(`${route} answered ${first.status}`);
          results.push({ benchmark: "dashboard", metric: `${label}: cold (computed, uncached)`, value: Math.round(coldMs), unit: "ms", note: `${body.length} bytes` });
          const measured = await autocannon({ url: `${dashboard.url}${route}`, connections: 100, duration, headers: { cookie } });
          const bare = await bareServer(body, first.headers.get("content-type") ?? "text/html");
          let reference: AutocannonResult;
          try {
            reference = await autocannon({ url: bare.url, connections: 100, duration });
          } finally {
            bare.server.close();
          }
          const failures = measured.non2xx + measured.errors;
          const note = failures > 0 ? `${measured.non2xx} non-2xx, ${measured.errors} errors (timeouts) under load` : undefined;
          results.push({ benchmark: "dashboard", metric: `${label}: requests/s (100 connections)`, value: Math.round(measured.requests.average), unit: "req/s", reference: Math.round(reference.requests.average), referenceName: "bare node:http, same bytes", target: "ratio ≥ 0.5", ok: failures === 0 && measured.requests.average / reference.requests.average >= 0.5, ...(note ? { note } : {}) });
          results.push({ benchmark: "dashboard", metric: `${label}: p99 latency`, value: measured.latency.p99, unit: "ms", reference: reference.latency.p99, referenceName: "bare node:http", target: "≤ 100 ms", ok: failures === 0 && measured.latency.p99 <= 100 });
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
