// One metering run (`muniops meter`, and the dashboard's schedule): sync hosts and shares from the
// inventory, ask the source for every hour not yet measured (catching up after downtime, retrying gaps),
// and write each hour in its own transaction, so a killed run leaves whole hours only.
import { logger } from "../../logger.js";
import type { Inventory } from "../../contracts/inventory.js";
import type { Ledger } from "../data-access/database.js";
import { applyMasterDataChanges, loadMasterData } from "../data-access/masterData.js";
import { PeriodClosedError, latestClosedPeriod } from "../data-access/periods.js";
import type { Department, Host, Share } from "../domain/records.js";
import { meteringProgress, recordHour, rollup, type UsageRow } from "../data-access/usage.js";
import { addHours, hourKey, hoursBetween } from "../domain/period.js";
import {
  SourceUnavailableError,
  type HostHour,
  type Measurements,
  type MeteredHours,
  type UsageSource,
} from "./source.js";
import { meteredMetricsInUse, recordMeteredQuantities, type MeteredRow } from "../data-access/meteredUsage.js";

export interface MeterOptions {
  inventory: Inventory;
  source: UsageSource;
  actor?: string;
  now?: number;
  /** Explicit window (hour keys, inclusive); otherwise from where the ledger left off to the last full hour. */
  from?: string;
  to?: string;
  maxCatchUpMs: number;
  retries?: number;
  retryDelayMs?: number;
}

export interface MeterResult {
  from: string | null;
  to: string | null;
  hours: number;
  measuredHostHours: number;
  gapHostHours: number;
  skippedClosed: number;
  sourceError?: string;
}

const MiB = 1024n * 1024n;
const bigintReplacer = (_k: string, v: unknown): unknown => (typeof v === "bigint" ? v.toString() : v);

/** The hours a run covers: resume after the last metered hour, or at the earliest gap still worth retrying. */
export async function meteringWindow(
  ledger: Ledger,
  options: Pick<MeterOptions, "from" | "to" | "now" | "maxCatchUpMs">,
): Promise<{ from: string; to: string } | undefined> {
  const now = options.now ?? Date.now();
  const to = options.to ?? hourKey(now - 3_600_000);
  const earliest = hourKey(now - options.maxCatchUpMs);
  if (options.from) return options.from <= to ? { from: options.from, to } : undefined;
  const progress = await meteringProgress(ledger.db, earliest);
  let from = progress.lastHour ? addHours(progress.lastHour, 1) : earliest;
  if (progress.firstGap && progress.firstGap < from) from = progress.firstGap;
  if (from < earliest) from = earliest;
  return from <= to ? { from, to } : undefined;
}

async function measureWithRetry(
  source: UsageSource,
  from: string,
  to: string,
  retries: number,
  delayMs: number,
): Promise<Measurements> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await source.measure(from, to);
    } catch (error) {
      if (!(error instanceof SourceUnavailableError) || attempt >= retries) throw error;
      logger().warn(
        { source: source.name, attempt: attempt + 1, err: error.message },
        "metering source unavailable, retrying",
      );
      await new Promise((r) => setTimeout(r, delayMs * 2 ** attempt));
    }
  }
}

const existsAt = (r: { existedFrom: string; existedTo: string | null }, hour: string): boolean =>
  r.existedFrom <= hour && (r.existedTo === null || hour < r.existedTo);

/** Bring the ledger's hosts and shares in line with the inventory; new hosts exist from their first measured hour. */
async function syncInventory(
  ledger: Ledger,
  inventory: Inventory,
  measurements: Measurements,
  nowHour: string,
  actor: string,
): Promise<{ hosts: Host[]; shares: Share[] }> {
  const master = await loadMasterData(ledger.db);
  const firstMeasured = new Map<string, string>();
  for (const [hour, hosts] of [...measurements].sort(([a], [b]) => a.localeCompare(b))) {
    for (const [host, m] of hosts) if (m.up !== null && !firstMeasured.has(host)) firstMeasured.set(host, hour);
  }
  // Departments come from the inventory; a budget set in the ledger survives an inventory without one.
  const changedDepartments: Department[] = [];
  const departments = new Map(master.departments.map((d) => [d.id, d]));
  for (const d of inventory.departments) {
    const current = departments.get(d.id);
    const budget =
      d.annualBudgetEur !== undefined
        ? BigInt(Math.round(d.annualBudgetEur * 100))
        : (current?.annualBudgetCents ?? null);
    const next: Department = {
      id: d.id,
      name: d.name,
      costCenter: d.costCenter,
      headcount: d.headcount,
      annualBudgetCents: budget,
    };
    if (!current || JSON.stringify(next, bigintReplacer) !== JSON.stringify(current, bigintReplacer))
      changedDepartments.push(next);
  }
  const knownDepartments = new Set([...master.departments.map((d) => d.id), ...inventory.departments.map((d) => d.id)]);
  const departmentOf = (id: string): string | null => (knownDepartments.has(id) ? id : null);
  const hosts = new Map(master.hosts.map((h) => [h.name, h]));
  const shares = new Map(master.shares.map((s) => [s.name, s]));
  const changedHosts: Host[] = [];
  const changedShares: Share[] = [];
  for (const h of inventory.hosts) {
    const current = hosts.get(h.name);
    const next: Host = {
      name: h.name,
      department: departmentOf(h.department),
      service: h.service,
      environment: h.environment,
      vcpus: h.vcpus,
      memoryMib: Math.round(h.memoryGiB * 1024),
      existedFrom: current && current.existedTo === null ? current.existedFrom : (firstMeasured.get(h.name) ?? nowHour),
      existedTo: null,
    };
    if (!current || JSON.stringify(current) !== JSON.stringify(next)) changedHosts.push(next);
  }
  const inInventory = new Set(inventory.hosts.map((h) => h.name));
  for (const h of master.hosts)
    if (h.existedTo === null && !inInventory.has(h.name)) changedHosts.push({ ...h, existedTo: nowHour });
  for (const s of inventory.shares) {
    const current = shares.get(s.name);
    const next: Share = {
      name: s.name,
      department: departmentOf(s.department),
      quotaGib: s.quotaGiB,
      tier: s.tier,
      existedFrom: current && current.existedTo === null ? current.existedFrom : nowHour,
      existedTo: null,
    };
    if (!current || JSON.stringify(current) !== JSON.stringify(next)) changedShares.push(next);
  }
  const shareNames = new Set(inventory.shares.map((s) => s.name));
  for (const s of master.shares)
    if (s.existedTo === null && !shareNames.has(s.name)) changedShares.push({ ...s, existedTo: nowHour });
  if (changedDepartments.length + changedHosts.length + changedShares.length > 0) {
    await ledger.db
      .transaction()
      .execute((trx) =>
        applyMasterDataChanges(
          trx,
          { departments: changedDepartments, hosts: changedHosts, shares: changedShares },
          {},
          actor,
        ),
      );
  }
  const after = await loadMasterData(ledger.db);
  return { hosts: after.hosts, shares: after.shares };
}

export function hourRows(
  hour: string,
  hosts: readonly Host[],
  shares: readonly Share[],
  measured: Map<string, HostHour> | undefined,
): UsageRow[] {
  const rows: UsageRow[] = [];
  const listed = new Set<string>();
  for (const h of hosts) {
    listed.add(h.name);
    if (!existsAt(h, hour)) continue;
    const m = measured?.get(h.name);
    const department = h.department;
    rows.push(
      m?.up != null
        ? { subject: h.name, meter: "up_seconds", department, value: BigInt(Math.round(m.up * 3600)), status: "ok" }
        : { subject: h.name, meter: "up_seconds", department, value: null, status: "gap" },
      // Provisioned capacity is known from the inventory whether or not the host answered: compute is billed by
      // existence.
      { subject: h.name, meter: "vcpus", department, value: BigInt(h.vcpus), status: "ok" },
      { subject: h.name, meter: "memory_bytes", department, value: BigInt(h.memoryMib) * MiB, status: "ok" },
      m?.fsUsedBytes != null
        ? { subject: h.name, meter: "fs_used_bytes", department, value: m.fsUsedBytes, status: "ok" }
        : { subject: h.name, meter: "fs_used_bytes", department, value: null, status: "gap" },
    );
  }
  // Hosts the source knows but the inventory doesn't: metered under the label they carry (unallocated if none).
  for (const m of measured?.values() ?? []) {
    if (listed.has(m.host)) continue;
    const department = m.department;
    if (m.up !== null)
      rows.push({
        subject: m.host,
        meter: "up_seconds",
        department,
        value: BigInt(Math.round(m.up * 3600)),
        status: "ok",
      });
    if (m.vcpus !== null)
      rows.push({ subject: m.host, meter: "vcpus", department, value: BigInt(m.vcpus), status: "ok" });
    if (m.memoryBytes !== null)
      rows.push({ subject: m.host, meter: "memory_bytes", department, value: m.memoryBytes, status: "ok" });
    if (m.fsUsedBytes !== null)
      rows.push({ subject: m.host, meter: "fs_used_bytes", department, value: m.fsUsedBytes, status: "ok" });
  }
  // File shares: their quota, the capacity reserved for the department (no usage metric in the agent contract).
  for (const s of shares)
    if (existsAt(s, hour))
      rows.push({
        subject: s.name,
        meter: "share_used_bytes",
        department: s.department,
        value: BigInt(s.quotaGib) * 1024n ** 3n,
        status: "ok",
      });
  return rows;
}

/**
 * The metered drivers' hourly quantities over the window, for the counters cost items split by. A source
 * that can't answer leaves them unmeasured (the hours' usage is recorded all the same); never retried.
 */
async function measureMetered(ledger: Ledger, source: UsageSource, from: string, to: string): Promise<MeteredHours> {
  const metrics = await meteredMetricsInUse(ledger.db);
  if (metrics.length === 0 || !source.measureMetered) return new Map();
  try {
    return await source.measureMetered(metrics, from, to);
  } catch (error) {
    if (!(error instanceof SourceUnavailableError)) throw error;
    logger().warn({ source: source.name, err: error.message }, "metered quantities unavailable: left unmeasured");
    return new Map();
  }
}

/** An hour's measured quantities as ledger rows: positive quantities only. */
function meteredRows(hour: string, measured: MeteredHours): MeteredRow[] {
  const rows: MeteredRow[] = [];
  for (const [metric, quantities] of measured.get(hour) ?? [])
    for (const [department, quantityMilli] of quantities)
      if (quantityMilli > 0n) rows.push({ metric, hour, department, quantityMilli });
  return rows;
}

export async function meter(ledger: Ledger, options: MeterOptions): Promise<MeterResult> {
  const now = options.now ?? Date.now();
  const window = await meteringWindow(ledger, options);
  const result: MeterResult = {
    from: window?.from ?? null,
    to: window?.to ?? null,
    hours: 0,
    measuredHostHours: 0,
    gapHostHours: 0,
    skippedClosed: 0,
  };
  let measurements: Measurements = new Map();
  if (window) {
    try {
      measurements = await measureWithRetry(
        options.source,
        window.from,
        window.to,
        options.retries ?? 2,
        options.retryDelayMs ?? 1000,
      );
    } catch (error) {
      if (!(error instanceof SourceUnavailableError)) throw error;
      // Record the hours as gaps (never as zero usage); the next run retries them.
      result.sourceError = error.message;
      logger().error(
        { source: options.source.name, err: error.message },
        "metering source unavailable: hours recorded as gaps, retried on the next run",
      );
    }
  }
  const { hosts, shares } = await syncInventory(
    ledger,
    options.inventory,
    measurements,
    hourKey(now),
    options.actor ?? "metering",
  );
  if (!window) return result;
  const metered: MeteredHours =
    result.sourceError === undefined
      ? await measureMetered(ledger, options.source, window.from, window.to)
      : new Map<string, Map<string, Map<string, bigint>>>();
  const latestClosed = (await latestClosedPeriod(ledger.db))?.period;
  const progress = await meteringProgress(ledger.db, window.from);
  const days = new Set<string>(progress.lastHour ? [progress.lastHour.slice(0, 10)] : []);
  for (const hour of hoursBetween(window.from, window.to)) {
    if (latestClosed && hour.slice(0, 7) <= latestClosed) {
      result.skippedClosed++;
      continue;
    }
    const rows = hourRows(hour, hosts, shares, measurements.get(hour));
    try {
      await recordHour(ledger.db, ledger.dialect, hour, rows);
      await recordMeteredQuantities(ledger.db, ledger.dialect, meteredRows(hour, metered));
    } catch (error) {
      if (error instanceof PeriodClosedError) {
        result.skippedClosed++;
        continue;
      }
      throw error;
    }
    days.add(hour.slice(0, 10));
    result.hours++;
    for (const r of rows) {
      if (r.meter !== "up_seconds") continue;
      if (r.status === "ok") result.measuredHostHours++;
      else result.gapHostHours++;
    }
  }
  await rollup(ledger.db, days);
  return result;
}
