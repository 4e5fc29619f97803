// The metered shared-cost driver through the ledger (issue 18): metering records the digital counter's
// transactions per department and hour in both modes (embedded, scraping the real fleet simulator; PromQL,
// from a recorded query_range answer), a cost item with `driver: metered` is split by the month's
// quantities to the cent, and the master-data file refuses a metered item without its counter.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FleetModel } from "../../../agents/simulator/fleetModel.js";
import { digitalCounterProducts, transactionsAt } from "../../../agents/simulator/digitalCounter.js";
import { startSimulator } from "../../../agents/simulator/simulatorServer.js";
import type { Inventory, InventoryDepartment } from "../../../contracts/inventory.js";
import { serviceMetrics } from "../../../contracts/metrics.js";
import { chargeback } from "../../../dashboard/app/chargeback.js";
import { computePeriod } from "../../../dashboard/app/chargeback.js";
import { importMasterData } from "../../../dashboard/app/ledgerImport.js";
import { openLedger, type Ledger } from "../../../dashboard/data-access/database.js";
import { meteredQuantitiesFor } from "../../../dashboard/data-access/meteredUsage.js";
import { loadMasterData } from "../../../dashboard/data-access/masterData.js";
import { computeChargeback, UNRECOVERED } from "../../../dashboard/domain/chargebackEngine.js";
import { parseYamlFile, toYamlFile } from "../../../dashboard/domain/masterDataFile.js";
import { formatEuros, parseCents } from "../../../dashboard/domain/money.js";
import { addHours, hourStart } from "../../../dashboard/domain/period.js";
import { EmbeddedSource, scrapeInventory } from "../../../dashboard/metering/embeddedSource.js";
import { meter } from "../../../dashboard/metering/meter.js";
import { PromqlSource } from "../../../dashboard/metering/promqlSource.js";
import { demoTimeline, seedDemoLedger } from "../../../dashboard/demo/demoLedger.js";
import { hourKey } from "../../../dashboard/domain/period.js";
import { started } from "../../helpers/started.js";
import { backends, type TestBackend } from "../helpers/backends.js";
import { testDepartments, testHost, testInventory } from "../helpers/inventory.js";

const metric = serviceMetrics.digitalCounterTransactions.name;
const departments: InventoryDepartment[] = [
  ...testDepartments,
  { id: "economie-cultuur", name: "Economie, Cultuur en Sport", costCenter: "KP-4300", headcount: 10 },
];
const masterData = [
  "departments:",
  ...departments.map(
    (d) => `  - { id: ${d.id}, name: "${d.name}", costCenter: ${d.costCenter}, headcount: ${d.headcount} }`,
  ),
  "costItems:",
  "  - id: digital-counter",
  "    name: Digitaal loket",
  '    monthly: "3100.00"',
  "    driver: metered",
  `    metric: ${metric}`,
  "    from: 2026-11-01",
  "",
].join("\n");

const hour = "2026-11-10T09";
const inventoryOf = (hosts: string[]): Inventory =>
  testInventory(
    "metered",
    hosts.map((h) => testHost(h, "ict")),
    { departments },
  );

async function meteredLedger(backend: TestBackend): Promise<Ledger> {
  const ledger = await openLedger(await backend.createUrl(), { create: true });
  await importMasterData(ledger, masterData, { format: "yaml", source: "metered.yaml", actor: "anna" });
  return ledger;
}

/** The digital-counter lines of the month: owner → euros. */
const counterLines = (lines: { item: string; owner: string; amountCents: bigint }[]): Record<string, string> =>
  Object.fromEntries(
    lines.filter((l) => l.item === "digital-counter").map((l) => [l.owner, formatEuros(l.amountCents)]),
  );

describe.each(backends)("metered driver in the ledger, on $name", (backend) => {
  const ledgers: Ledger[] = [];
  afterAll(async () => {
    for (const l of ledgers) await started(l)?.close();
    await backend.cleanup();
  });

  it("records the transactions scraped from the fleet simulator per department and hour (embedded)", async () => {
    const ledger = await meteredLedger(backend);
    ledgers.push(ledger);
    const hosts = ["dc-web-01", "dc-web-02", "bz-app-01"];
    const inventory = inventoryOf(hosts);
    const model = new FleetModel({
      seed: 7,
      hosts: inventory.hosts,
      historyStartMs: hourStart(hour) - 86_400_000,
      nowMs: hourStart(hour),
      downNow: 0,
    });
    let now = hourStart(hour);
    const simulator = await startSimulator({ model, now: () => now });
    try {
      const fetchers = {
        agent: async (h: { name: string }) => (await fetch(simulator.metricsUrl(h.name))).text(),
      };
      // a scrape at the hour's start, in the middle and at its end (the next hour's start)
      for (const minute of [0, 30, 60]) {
        now = hourStart(hour) + minute * 60_000;
        await scrapeInventory(ledger, inventory.hosts, { timeoutMs: 2000, fetchers, now });
      }
    } finally {
      await simulator.close();
    }
    const source = new EmbeddedSource(ledger, () => "ict");
    const run = { inventory, source, from: hour, to: hour, maxCatchUpMs: 86_400_000, now: hourStart(hour) + 7.2e6 };
    expect((await meter(ledger, run)).hours).toBe(1);
    const expected = new Map<string, bigint>();
    for (const h of ["dc-web-01", "dc-web-02"])
      for (const p of digitalCounterProducts) {
        const count = transactionsAt(h, p, hourStart(hour) + 3_600_000) - transactionsAt(h, p, hourStart(hour));
        expected.set(p.chargeDepartment, (expected.get(p.chargeDepartment) ?? 0n) + BigInt(count) * 1000n);
      }
    const stored = await meteredQuantitiesFor(ledger.db, "2026-11");
    expect(stored.get(metric)).toEqual(expected);
    // metering the same hour again changes nothing
    await meter(ledger, run);
    expect((await meteredQuantitiesFor(ledger.db, "2026-11")).get(metric)).toEqual(expected);

    const month = await computePeriod(ledger.db, "2026-11", undefined, hourStart(hour) + 7.2e6);
    const split = counterLines(month.lines);
    expect(Object.keys(split).sort()).toEqual(["belastingen", "burgerzaken", "economie-cultuur"]);
    const total = month.lines.filter((l) => l.item === "digital-counter").reduce((a, l) => a + l.amountCents, 0n);
    expect(total).toBe(310_000n);
    expect(month.total).toBe(month.pools.total);
  });

  it("records the PromQL increase per department and hour from Prometheus' answer", async () => {
    const ledger = await meteredLedger(backend);
    ledgers.push(ledger);
    const end = (h: string): number => hourStart(h) / 1000 + 3600;
    // Recorded from Prometheus' /api/v1/query_range for sum by (charge_department) (increase(…[1h])), step 1h.
    const recorded = {
      status: "success",
      data: {
        resultType: "matrix",
        result: [
          {
            metric: { charge_department: "burgerzaken" },
            values: [
              [end(hour), "612.5"],
              [end(addHours(hour, 1)), "598"],
            ],
          },
          { metric: { charge_department: "belastingen" }, values: [[end(hour), "204.1666"]] },
          { metric: { charge_department: "stadsarchief" }, values: [[end(hour), "10"]] },
        ],
      },
    };
    const queries: string[] = [];
    const fakeFetch = (url: URL | Request | string): Promise<Response> => {
      const query = new URL(url instanceof Request ? url.url : String(url)).searchParams.get("query") ?? "";
      queries.push(query);
      const body = query.includes(metric)
        ? recorded
        : { status: "success", data: { resultType: "matrix", result: [] } };
      return Promise.resolve(new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } }));
    };
    const source = new PromqlSource("http://prometheus.test:9090", {
      timeoutMs: 1000,
      fetch: fakeFetch,
    });
    const inventory = inventoryOf(["dc-web-01"]);
    const now = hourStart(hour) + 3 * 3_600_000;
    await meter(ledger, { inventory, source, from: hour, to: addHours(hour, 1), maxCatchUpMs: 86_400_000, now });
    expect(queries).toContain(`sum by (charge_department) (increase(${metric}[1h]))`);
    const rows = await ledger.db
      .selectFrom("metered_hourly")
      .selectAll()
      .orderBy("hour")
      .orderBy("department")
      .execute();
    expect(rows.map((r) => [r.hour, r.department, BigInt(r.quantity_milli)])).toEqual([
      [hour, "belastingen", 204_167n],
      [hour, "burgerzaken", 612_500n],
      [hour, "stadsarchief", 10_000n],
      [addHours(hour, 1), "burgerzaken", 598_000n],
    ]);
    const month = await computePeriod(ledger.db, "2026-11", undefined, now);
    // 3100.00 × 204.167 / 1424.667 = 444.2566 and so on (the hour after adds 598 to burgerzaken); the
    // label that is no department is unrecovered, named
    expect(counterLines(month.lines)).toEqual({
      belastingen: "444.26",
      burgerzaken: "2633.98",
      [UNRECOVERED]: "21.76",
    });
    expect(month.lines.find((l) => l.item === "digital-counter" && l.owner === UNRECOVERED)?.description).toBe(
      "Digitaal loket: digital counter transactions of unknown departments",
    );
  });

  it("keeps the metered driver's counter through export and import of the master data", async () => {
    const ledger = ledgers[0]!;
    const exported = toYamlFile(await loadMasterData(ledger.db));
    expect(exported).toContain(`metric: ${metric}`);
    const parsed = parseYamlFile(exported);
    expect(parsed.problems).toEqual([]);
    expect(parsed.records.costItems?.[0]).toMatchObject({ driver: "metered", metric });
  });
});

describe("metered driver in the chargeback", () => {
  it("splits a month's cost by the measured quantities to the cent, largest remainders, unknown unrecovered", () => {
    const result = computeChargeback({
      period: "2026-11",
      departments: departments.map((d) => ({ ...d, annualBudgetCents: null })),
      rateVersions: [],
      usage: [],
      licenceProducts: [],
      licenceContracts: [],
      licenceAssignments: [],
      adjustments: [],
      costItems: [
        {
          ...{ id: "digital-counter", name: "Digitaal loket", monthlyCents: 310_000n, driver: "metered" },
          ...{ percentages: null, validFrom: "2026-11-01", validTo: null, metric },
        },
        {
          ...{ id: "kcc-callcentre", name: "Klantcontact", monthlyCents: 50_000n, driver: "metered" },
          ...{ percentages: null, validFrom: "2026-11-16", validTo: null, metric: "muniops_kcc_calls_total" },
        },
      ],
      metered: new Map([
        [
          metric,
          new Map([
            ["burgerzaken", 30_245_000n],
            ["belastingen", 10_117_000n],
            ["economie-cultuur", 1_789_000n],
            ["onbekend", 12_000n],
          ]),
        ],
      ]),
    });
    // exact shares 2223.7388…, 743.8441…, 131.5348…, 0.8823…: the two largest remainders get the 2 cents left
    expect(counterLines(result.lines)).toEqual({
      burgerzaken: "2223.74",
      belastingen: "743.84",
      "economie-cultuur": "131.54",
      [UNRECOVERED]: "0.88",
    });
    // a counter that measured nothing: its (prorated) cost is unrecovered, named
    expect(result.lines.filter((l) => l.item === "kcc-callcentre")).toMatchObject([
      { owner: UNRECOVERED, amountCents: 25_000n, description: "Klantcontact: no kcc calls measured, not recharged" },
    ]);
    expect(result.pools.shared).toBe(335_000n);
    expect(result.unrecovered.shared).toBe(25_088n);
    expect(result.total).toBe(result.pools.total);
  });
});

describe("metered driver in the master-data file", () => {
  it("names file, line and field of a metered item without its counter, and a counter on another driver", async () => {
    const text = [
      "costItems:",
      "  - { id: digital-counter, name: Digitaal loket, monthly: 3100.00, driver: metered, from: 2026-11-01 }",
      "  - { id: hub, name: Hub, monthly: 100.00, driver: even, metric: muniops_x_total, from: 2026-11-01 }",
      '  - { id: bad, name: Bad, monthly: 1.00, driver: metered, metric: "digital counter", from: 2026-11-01 }',
      "",
    ].join("\n");
    const dir = mkdtempSync(join(tmpdir(), "muniops-metered-file-"));
    const ledger = await openLedger(join(dir, "file.db"), { create: true });
    try {
      const error = await importMasterData(ledger, text, { format: "yaml", source: "costs.yaml", actor: "anna" }).catch(
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(Error);
      const message = (error as Error).message;
      expect(message).toMatch(/^costs\.yaml: 3 bad rows, nothing imported:/);
      expect(message).toContain(
        "costs.yaml:2: costItems[0].metric: driver metered needs the counter it splits by, with a charge_department " +
          "label (e.g. muniops_digital_counter_transactions_total)",
      );
      expect(message).toContain(
        "costs.yaml:3: costItems[1].metric: metric only applies to the metered driver, not even",
      );
      expect(message).toContain("costs.yaml:4: costItems[2].metric: a Prometheus metric name");
    } finally {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the demo's digital counter", () => {
  it("is split by its transactions in the months of the history, closed and open", { timeout: 120_000 }, async () => {
    const inventory = inventoryOf(["dc-web-01", "dc-web-02", "ict-app-01"]);
    const now = Date.parse("2026-11-18T14:20:00Z");
    const timeline = demoTimeline(now);
    const model = new FleetModel({
      seed: 3,
      hosts: inventory.hosts,
      historyStartMs: timeline.historyStartMs,
      nowMs: now,
      downNow: 0,
    });
    const backend = backends[0]!;
    const ledger = await openLedger(await backend.createUrl(), { create: true });
    try {
      await seedDemoLedger(ledger, model, inventory, timeline, hourKey(now));
      // the simulator's counters start on 2026-01-01: the months before measured nothing, so are unrecovered
      const before = (await chargeback(ledger, "2025-12")).lines.filter((l) => l.item === "digital-counter");
      expect(before.map((l) => [l.owner, l.amount])).toEqual([["unrecovered", "3100.00"]]);
      for (const period of ["2026-01", "2026-09", timeline.openPeriod]) {
        const doc = await chargeback(ledger, period);
        const lines = doc.lines.filter((l) => l.item === "digital-counter");
        expect(lines.map((l) => l.owner).sort(), period).toEqual(["belastingen", "burgerzaken", "economie-cultuur"]);
        expect(
          lines.reduce((a, l) => a + parseCents(l.amount, "amount"), 0n),
          period,
        ).toBe(310_000n);
        expect(lines[0]?.description).toBe(
          "Digitaal loket (Application Gateway en WAF) (split by digital counter transactions)",
        );
      }
    } finally {
      await ledger.close();
      await backend.cleanup();
    }
  });
});
