// What a month's chargeback reads from the ledger, on both backends. A cheap guard for the department-month
// benchmark (no timing): the queries are a fixed few, none per host, and the rows they return do not grow
// with the fleet. And the usage totals come back exact beyond 2^53 (a department's byte-hours of a day pass
// it at ~375 TB), so a statement's cents are the same on SQLite as on PostgreSQL.
import { afterAll, describe, expect, it } from "vitest";
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from "kysely";
import type { Ledger } from "../../dashboard/data-access/database.js";
import { applyMasterDataChanges } from "../../dashboard/data-access/masterData.js";
import type { MasterData } from "../../dashboard/domain/records.js";
import { recordHour, rollup, type UsageRow } from "../../dashboard/data-access/usage.js";
import { chargeback } from "../../dashboard/app/chargeback.js";
import { hoursBetween } from "../../dashboard/domain/period.js";
import { backends, freshLedger } from "./helpers/backends.js";

const period = "2026-10";
const departments = ["archief", "burgerzaken", "ruimte"];

/** Every query the ledger runs, with the rows it returned. */
class QueryLog implements KyselyPlugin {
  readonly queries: { sql: string; rows: number }[] = [];
  private readonly pending = new Map<unknown, string>();
  constructor(
    private readonly compile: (node: RootOperationNode, queryId: PluginTransformQueryArgs["queryId"]) => string,
  ) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.pending.set(args.queryId, this.compile(args.node, args.queryId));
    return args.node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.queries.push({ sql: this.pending.get(args.queryId) ?? "?", rows: args.result.rows.length });
    return Promise.resolve(args.result);
  }
}

async function logged<T>(
  ledger: Ledger,
  fn: (l: Ledger) => Promise<T>,
): Promise<{ result: T; queries: QueryLog["queries"] }> {
  const log = new QueryLog((node, queryId) => ledger.db.getExecutor().compileQuery(node, queryId).sql);
  const result = await fn({ ...ledger, db: ledger.db.withPlugin(log) });
  return { result, queries: log.queries };
}

function masterData(): Partial<MasterData> {
  return {
    departments: departments.map((id, i) => ({
      id,
      name: id,
      costCenter: `KP-${4100 + i}`,
      headcount: 10 + i,
      annualBudgetCents: null,
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
    ],
    licenceProducts: [{ id: "m365", name: "M365", licenceType: "per-user" }],
    licenceContracts: [
      {
        id: "c1",
        productId: "m365",
        quantity: 50,
        unitPriceMicroEur: 30_000_000n,
        startDate: "2026-01-01",
        endDate: null,
        supplier: "s",
        purchaseOrder: "PO-1",
      },
    ],
    licenceAssignments: departments.map((d, i) => ({
      id: `a${i}`,
      productId: "m365",
      department: d,
      seats: 5 + i,
      validFrom: "2026-01-01",
      validTo: null,
    })),
    costItems: [
      {
        id: "hub",
        name: "Hub",
        monthlyCents: 1_000_000n,
        driver: "headcount",
        percentages: null,
        validFrom: "2026-01-01",
        validTo: null,
      },
    ],
  };
}

/** `hostsPerDepartment` hosts in each department, metered for the hours of one day. */
async function seedDay(
  ledger: Ledger,
  hostsPerDepartment: number,
  day: string,
  fsUsedBytes: (hour: number) => bigint,
): Promise<void> {
  await ledger.db.transaction().execute((trx) => applyMasterDataChanges(trx, masterData(), {}, "test"));
  const hours = hoursBetween(`${day}T00`, `${day}T23`);
  for (const [h, hour] of hours.entries()) {
    const rows = departments.flatMap((department) =>
      Array.from({ length: hostsPerDepartment }, (_v, i): UsageRow[] => {
        const subject = `${department}-${i}`;
        return [
          { subject, meter: "vcpus", department, value: 4n, status: "ok" },
          { subject, meter: "memory_bytes", department, value: 16n * 1024n ** 3n, status: "ok" },
          { subject, meter: "fs_used_bytes", department, value: fsUsedBytes(h), status: "ok" },
        ];
      }).flat(),
    );
    await recordHour(ledger.db, ledger.dialect, hour, rows);
  }
  await rollup(ledger.db, [day]);
}

describe.each(backends)("what a month's chargeback reads on $name", (backend) => {
  afterAll(() => backend.cleanup());

  it("runs a fixed few queries, none on per-host tables, returning as many rows for 60 hosts as for 3", async () => {
    const reads: { queries: { sql: string; rows: number }[]; total: string }[] = [];
    for (const hostsPerDepartment of [1, 20]) {
      const ledger = await freshLedger(backend);
      try {
        await seedDay(ledger, hostsPerDepartment, "2026-10-05", () => 50_000_000_000n);
        const { result, queries } = await logged(ledger, (l) => chargeback(l, period));
        reads.push({ queries, total: result.total });
      } finally {
        await ledger.close();
      }
    }
    const [small, large] = reads as [(typeof reads)[number], (typeof reads)[number]];
    expect(large.total).not.toBe(small.total); // the larger fleet is charged more: the reads are real
    // The closed-period check, the pricing master data (7 tables), the usage, the adjustments, the month's
    // measured quantities of metered cost items (one aggregate of metered_hourly), and the unmetered-hours
    // check: one aggregate over hosts and the daily rollup that returns only the hosts short of hours (none
    // here: these hosts are not in the inventory; chargebackUnmetered.test has them).
    expect(small.queries).toHaveLength(12);
    expect(small.queries.filter((q) => q.sql.includes('"metered_hourly"'))).toHaveLength(1);
    const unmetered = small.queries.filter((q) => q.sql.includes('"hosts"'));
    expect(unmetered.map((q) => q.rows)).toEqual([0]);
    for (const q of small.queries.filter((x) => !unmetered.includes(x)))
      expect(q.sql, q.sql).not.toMatch(/"(hosts|shares|usage_daily|usage_hourly|scrape_samples)"/);
    const usage = small.queries.find((q) => q.sql.includes('"usage_department_daily"'));
    expect(usage?.rows).toBe(departments.length * 3); // per department and meter of the one day
    // PostgreSQL answers the parallel reads in any order.
    const readsOf = (r: typeof small): string[] => r.queries.map((q) => `${q.sql} -> ${String(q.rows)}`).sort();
    expect(readsOf(large)).toEqual(readsOf(small));
  }, 120_000);

  it("prices usage beyond 2^53 byte-hours exactly: the cent rounds as the exact amount does", async () => {
    // One department storing ~375 TB for a day: 9,007,273,199,999,999 byte-hours (odd, above 2^53, so a
    // double cannot hold it), one short of exactly 121,065.5 cents at € 0.10 per GB-month in October
    // (744 hours): the exact amount rounds down to € 1,210.65; read as a double it becomes the even
    // neighbour one above and rounds up to € 1,210.66.
    const byteHours = 9_007_273_199_999_999n;
    expect(byteHours > 2n ** 53n && BigInt(Number(byteHours)) !== byteHours).toBe(true);
    const ledger = await freshLedger(backend);
    try {
      const perHour = byteHours / 24n;
      await seedDay(ledger, 1, "2026-10-05", (h) => (h === 0 ? byteHours - perHour * 23n : perHour));
      const doc = await chargeback(ledger, period);
      const storage = doc.lines.filter((l) => l.item === "fs_used_bytes").map((l) => [l.owner, l.quantity, l.amount]);
      // Every department stores the same that day: each one's line.
      expect(storage).toEqual(departments.map((d) => [d, "12106.550", "1210.65"]));
    } finally {
      await ledger.close();
    }
  }, 120_000);
});
