// Ledger benchmarks, SQLite and PostgreSQL side by side in one run:
// - ingest one hour for 10,000 hosts (40,000 rows; target ≤ 0.5 s on SQLite), against a bare
//   better-sqlite3 insert of the same rows into the same table shape (the floor on this machine);
// - close a month for 10,000 hosts, 30 departments and 200 licence products (target ≤ 3 s);
// - one department-month chargeback answered from the ledger vs the same usage computed by PromQL from
//   a real Prometheus holding the month (ratio; the ledger should be the faster).
// PostgreSQL rows are compared with the SQLite figure of the same run.
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import { openLedger, type Ledger } from "../dashboard/data-access/database.js";
import { applyMasterDataChanges } from "../dashboard/data-access/masterData.js";
import type { MasterData } from "../dashboard/domain/records.js";
import { recordHour, refreshDepartmentDays, type UsageRow } from "../dashboard/data-access/usage.js";
import { chargeback } from "../dashboard/app/chargeback.js";
import { closePeriod } from "../dashboard/app/close.js";
import { daysOf, hourStart } from "../dashboard/domain/period.js";
import type { BenchResult, Benchmark } from "./benchmark.js";

const hostCount = 10_000;
const departmentCount = 30;
const productCount = 200;
const period = "2026-10";
const adminUrl = process.env.MUNIOPS_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const run = promisify(execFile);
const promHosts = 5;
const promStep = 900;

const departments = Array.from({ length: departmentCount }, (_v, i) => `dept-${String(i).padStart(2, "0")}`);

export function masterData(): Partial<MasterData> {
  return {
    departments: departments.map((id, i) => ({
      id,
      name: `Department ${i}`,
      costCenter: `KP-${4000 + i}`,
      headcount: 10 + i * 7,
      annualBudgetCents: 100_000_00n,
    })),
    rateVersions: [
      {
        validFrom: "2026-01-01",
        note: null,
        prices: {
          "compute.vcpuHour": 10_000n,
          "compute.memoryGibHour": 5_000n,
          "storage.serverGbMonth": 100_000n,
          "storage.shareGbMonth": 50_000n,
        },
      },
      {
        validFrom: "2026-10-16",
        note: null,
        prices: {
          "compute.vcpuHour": 20_000n,
          "compute.memoryGibHour": 5_000n,
          "storage.serverGbMonth": 120_000n,
          "storage.shareGbMonth": 50_000n,
        },
      },
    ],
    licenceProducts: Array.from({ length: productCount }, (_v, i) => ({
      id: `p${i}`,
      name: `Product ${i}`,
      licenceType: i % 10 === 0 ? ("site" as const) : ("per-user" as const),
    })),
    licenceContracts: Array.from({ length: productCount }, (_v, i) => ({
      id: `c${i}`,
      productId: `p${i}`,
      quantity: 100 + i,
      unitPriceMicroEur: BigInt(1_000_000 + i * 12_345),
      startDate: "2026-01-01",
      endDate: null,
      supplier: "s",
      purchaseOrder: `PO-${i}`,
    })),
    licenceAssignments: Array.from({ length: productCount * 3 }, (_v, i) => ({
      id: `a${i}`,
      productId: `p${i % productCount}`,
      department: departments[i % departmentCount]!,
      seats: 10 + (i % 30),
      validFrom: i % 7 === 0 ? "2026-10-10" : "2026-01-01",
      validTo: null,
    })),
    costItems: [
      {
        id: "hub",
        name: "Hub network",
        monthlyCents: 2_500_000n,
        driver: "headcount",
        percentages: null,
        validFrom: "2026-01-01",
        validTo: null,
      },
      {
        id: "msp",
        name: "Managed services",
        monthlyCents: 9_000_000n,
        driver: "direct-cost",
        percentages: null,
        validFrom: "2026-01-01",
        validTo: null,
      },
      {
        id: "soc",
        name: "SOC",
        monthlyCents: 1_200_000n,
        driver: "even",
        percentages: null,
        validFrom: "2026-01-01",
        validTo: null,
      },
    ],
  };
}

export async function postgresUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `muniops_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = async (q: string): Promise<void> => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export function hourRows(): UsageRow[] {
  const rows: UsageRow[] = [];
  for (let i = 0; i < hostCount; i++) {
    const department = departments[i % departmentCount]!;
    const subject = `host-${String(i).padStart(5, "0")}`;
    rows.push(
      { subject, meter: "up_seconds", department, value: 3600n, status: "ok" },
      { subject, meter: "vcpus", department, value: 4n, status: "ok" },
      { subject, meter: "memory_bytes", department, value: 16n * 1024n ** 3n, status: "ok" },
      { subject, meter: "fs_used_bytes", department, value: BigInt(50e9 + i * 1e6), status: "ok" },
    );
  }
  return rows;
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

async function ingest(ledger: Ledger): Promise<number> {
  const rows = hourRows();
  await recordHour(ledger.db, ledger.dialect, "2026-11-01T00", rows); // warm-up: statement caches, file growth
  return timeIt(() => recordHour(ledger.db, ledger.dialect, "2026-11-01T01", rows));
}

function bareSqliteInsert(dir: string): number {
  const db = new Database(join(dir, "bare.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(
    "create table usage_hourly (subject text not null, meter text not null, hour text not null, department text, " +
      "value bigint, status text not null, primary key (subject, meter, hour)); " +
      "create index usage_hourly_hour on usage_hourly (hour, status)",
  );
  const insert = db.prepare("insert into usage_hourly values (?, ?, ?, ?, ?, ?)");
  const rows = hourRows();
  const write = (hour: string): void => {
    db.transaction(() => {
      for (const r of rows) insert.run(r.subject, r.meter, hour, r.department, r.value, r.status);
    })();
  };
  write("2026-11-01T00");
  const start = performance.now();
  write("2026-11-01T01");
  const seconds = (performance.now() - start) / 1000;
  db.close();
  return seconds;
}

/** A month of daily rows for every host, written by the database itself (the state after rollup and purge). */
export async function seedMonth(ledger: Ledger, hosts: number): Promise<void> {
  await ledger.db.transaction().execute((trx) => applyMasterDataChanges(trx, masterData(), {}, "bench"));
  const first = daysOf(period)[0]!;
  const days = daysOf(period).length;
  if (ledger.dialect === "postgres") {
    await sql`insert into usage_daily (subject, meter, day, department, value_hours, hours_ok, hours_gap)
      select 'host-' || h, m.meter, to_char(cast(${first} as date) + d, 'YYYY-MM-DD'),
             'dept-' || lpad((h % ${departmentCount})::text, 2, '0'),
             case m.meter when 'vcpus' then 96 when 'memory_bytes' then 24 * 17179869184
                          else 24 * (50000000000 + h::bigint * 1000000) end, 24, 0
      from generate_series(0, ${hosts - 1}) h, generate_series(0, ${days - 1}) d,
           (values ('vcpus'), ('memory_bytes'), ('fs_used_bytes')) m(meter)`.execute(ledger.db);
  } else {
    await sql`with recursive h(n) as (select 0 union all select n + 1 from h where n < ${hosts - 1}),
      d(n) as (select 0 union all select n + 1 from d where n < ${days - 1}),
      m(meter) as (values ('vcpus'), ('memory_bytes'), ('fs_used_bytes'))
      insert into usage_daily (subject, meter, day, department, value_hours, hours_ok, hours_gap)
      select 'host-' || h.n, m.meter, date(${first}, '+' || d.n || ' days'),
             'dept-' || substr('0' || (h.n % ${departmentCount}), -2),
             case m.meter when 'vcpus' then 96 when 'memory_bytes' then 24 * 17179869184
                          else 24 * (50000000000 + h.n * 1000000) end, 24, 0
      from h, d, m`.execute(ledger.db);
  }
  // What the hourly rollup does as metering goes: per-department totals of each day.
  await ledger.db.transaction().execute((trx) => refreshDepartmentDays(trx, daysOf(period)));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => {
        resolve(typeof a === "object" && a ? a.port : 0);
      });
    });
  });
}

/** Prometheus holding one department's month (5 hosts, 15-minute samples), and the PromQL that prices it. */
async function promqlDepartmentMonth(dir: string): Promise<number> {
  const data = join(dir, "prom");
  mkdirSync(data);
  const lines: string[] = [];
  const start = hourStart(`${period}-01T00`) / 1000;
  const end = hourStart(`${period}-31T23`) / 1000 + 3600;
  for (const [name, value] of [
    ["up", () => 1],
    ["muniops_filesystem_size_bytes", (h: number) => 100e9 + h],
    ["muniops_filesystem_free_bytes", () => 50e9],
  ] as const) {
    lines.push(`# TYPE ${name} gauge`);
    for (let h = 0; h < promHosts; h++) {
      const labels = `host="host-${h}",department="dept-00",device="/dev/sda1",fstype="ext4",mountpoint="/"`;
      for (let t = start + 30; t < end; t += promStep) lines.push(`${name}{${labels}} ${value(h)} ${t}`);
    }
  }
  lines.push("# EOF");
  writeFileSync(join(dir, "month.om"), lines.join("\n") + "\n");
  try {
    await run("/usr/bin/promtool", ["tsdb", "create-blocks-from", "openmetrics", join(dir, "month.om"), data], {
      timeout: 300_000,
    });
  } catch (error) {
    throw new Error(`promtool backfill failed: ${(error as { stderr?: string }).stderr ?? String(error)}`, {
      cause: error,
    });
  }
  const port = await freePort();
  writeFileSync(join(dir, "prometheus.yml"), "global: {}\n");
  const child = spawn(
    "/usr/bin/prometheus",
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${data}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--storage.tsdb.retention.time=10y",
    ],
    { stdio: "ignore" },
  );
  try {
    for (let i = 0; i < 150; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // What the ledger stores as daily rows, PromQL computes at question time: up-hours and byte-hours per day.
    const queries = [
      `sum(sum_over_time(up{department="dept-00"}[1d])) * ${promStep} / 3600`,
      `sum(sum_over_time(muniops_filesystem_size_bytes{department="dept-00"}[1d]) - ` +
        `sum_over_time(muniops_filesystem_free_bytes{department="dept-00"}[1d])) * ${promStep} / 3600`,
    ];
    const ask = (): Promise<unknown[]> =>
      Promise.all(
        queries.map((q) =>
          fetch(
            `http://127.0.0.1:${port}/api/v1/query_range?` +
              new URLSearchParams({
                query: q,
                start: String(start + 86400),
                end: String(end),
                step: "86400",
              }).toString(),
          ).then((r) => r.json()),
        ),
      );
    await ask();
    return await timeIt(ask);
  } finally {
    child.kill("SIGTERM");
  }
}

type Backend = "sqlite" | "postgres";

/** What the sections of one run share: the scratch directory, the rows so far and the databases to drop. */
interface LedgerRun {
  dir: string;
  results: BenchResult[];
  pgDbs: { drop(): Promise<void> }[];
  /** The bare better-sqlite3 insert of the same hour: the floor for ingest on this machine. */
  bare: number;
  /**
   * PostgreSQL rows take the SQLite figure of the same run as their reference: the ratio is the price of the
   * server database.
   */
  sqliteSeconds: { ingest?: number; close?: number };
}

/** Runs one measurement; a failure becomes an error row, so the other sections still report. */
async function section(ctx: LedgerRun, name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    console.error(`  ${name} failed: ${(error as Error).message}`);
    ctx.results.push({ benchmark: "ledger", metric: `${name}: error`, value: NaN, unit: "", note: String(error) });
  }
}

function versusSqlite(seconds: number | undefined): Partial<BenchResult> {
  return seconds === undefined ? {} : { reference: seconds, referenceName: "SQLite, same run" };
}

/** A fresh ledger for one section: a file for SQLite, a new database (dropped at the end) for PostgreSQL. */
async function ledgerUrl(ctx: LedgerRun, backend: Backend, name: string): Promise<string> {
  if (backend === "sqlite") return join(ctx.dir, `${name}.db`);
  const created = await postgresUrl();
  ctx.pgDbs.push(created);
  return created.url;
}

async function measureIngest(ctx: LedgerRun, backend: Backend): Promise<void> {
  const ingestLedger = await openLedger(await ledgerUrl(ctx, backend, "ingest"), { create: true });
  try {
    const seconds = await ingest(ingestLedger);
    const metric = `ingest 1 hour × ${hostCount} hosts (${backend})`;
    if (backend === "sqlite") {
      ctx.sqliteSeconds.ingest = seconds;
      ctx.results.push({
        benchmark: "ledger",
        metric,
        value: seconds,
        unit: "s",
        reference: ctx.bare,
        referenceName: "bare better-sqlite3",
        target: "≤ 0.5 s",
        ok: seconds <= 0.5,
      });
    } else {
      ctx.results.push({
        benchmark: "ledger",
        metric,
        value: seconds,
        unit: "s",
        ...versusSqlite(ctx.sqliteSeconds.ingest),
        target: "(reported)",
        note: `bare better-sqlite3: ${ctx.bare.toFixed(3)} s`,
      });
    }
  } finally {
    await ingestLedger.close();
  }
}

async function measureClose(ctx: LedgerRun, backend: Backend): Promise<void> {
  const closeLedger = await openLedger(await ledgerUrl(ctx, backend, "close"), { create: true });
  try {
    await seedMonth(closeLedger, hostCount);
    const seconds = await timeIt(() =>
      closePeriod(closeLedger, period, { actor: "bench", now: Date.parse("2026-11-15T00:00:00Z") }),
    );
    if (backend === "sqlite") ctx.sqliteSeconds.close = seconds;
    ctx.results.push({
      benchmark: "ledger",
      metric: `close ${period}: ${hostCount} hosts, ${departmentCount} depts, ${productCount} products (${backend})`,
      value: seconds,
      unit: "s",
      ...(backend === "postgres" ? versusSqlite(ctx.sqliteSeconds.close) : {}),
      target: "≤ 3 s",
      ok: seconds <= 3,
    });
  } finally {
    await closeLedger.close();
  }
}

/** One department's month: from the ledger (5 hosts per department) vs PromQL over the same month. */
async function measureDepartmentMonth(ctx: LedgerRun): Promise<void> {
  const small = await openLedger(join(ctx.dir, "department.db"), { create: true });
  try {
    await seedMonth(small, promHosts * departmentCount);
    // One warm-up only: the figure must not depend on whether another benchmark has already run
    // chargebacks in this process (the dashboard's did when benchmarks ran alphabetically).
    await chargeback(small, period);
    const fromLedger = await timeIt(async () =>
      (await chargeback(small, period)).departments.find((d) => d.id === "dept-00"),
    );
    const fromPromql = await promqlDepartmentMonth(ctx.dir);
    ctx.results.push({
      benchmark: "ledger",
      metric: "department-month chargeback: ledger vs PromQL",
      value: fromLedger,
      unit: "s",
      reference: fromPromql,
      referenceName: "PromQL on Prometheus 2.42",
      target: "ratio ≤ 1",
      ok: fromLedger <= fromPromql,
      note: "one call after one warm-up: the engine's JIT is still cold, as in a CLI run",
    });
  } finally {
    await small.close();
  }
}

const benchmark: Benchmark = {
  name: "ledger",
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(join(tmpdir(), "muniops-bench-ledger-"));
    const results: BenchResult[] = [];
    const pgDbs: { drop(): Promise<void> }[] = [];
    try {
      const ctx: LedgerRun = { dir, results, pgDbs, bare: bareSqliteInsert(dir), sqliteSeconds: {} };
      for (const backend of ["sqlite", "postgres"] as const) {
        await section(ctx, `ingest (${backend})`, () => measureIngest(ctx, backend));
        await section(ctx, `close (${backend})`, () => measureClose(ctx, backend));
      }
      await section(ctx, "department-month", () => measureDepartmentMonth(ctx));
    } finally {
      for (const d of pgDbs) await d.drop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
    return results;
  },
};

export default benchmark;
