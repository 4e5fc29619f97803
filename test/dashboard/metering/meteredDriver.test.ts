// The metered shared-cost driver end to end without the ledger: the fleet simulator's digital-counter
// family scraped at both ends of an hour (embedded mode), or the PromQL vector Prometheus returns, gives
// transactions per department; the digital counter's cost is split by them to the cent.
import { describe, expect, it } from "vitest";
import { FleetModel } from "../../../agents/simulator/fleetModel.js";
import { startSimulator } from "../../../agents/simulator/simulatorServer.js";
import type { InventoryHost } from "../../../contracts/inventory.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { chargeDepartmentLabel, serviceMetrics } from "../../../contracts/metrics.js";
import {
  digitalCounterFamily,
  digitalCounterProducts,
  transactionsAt,
} from "../../../agents/simulator/digitalCounter.js";
import { parseExposition } from "../../../dashboard/metering/exposition.js";
import { meteredFromScrapes, meteredFromVector, meteredPromql } from "../../../dashboard/metering/meteredQuantity.js";
import { splitByMeasured } from "../../../dashboard/domain/meteredDriver.js";
import { formatEuros } from "../../../dashboard/domain/money.js";
import { repoRoot } from "../../helpers/cli.js";

const metric = serviceMetrics.digitalCounterTransactions.name;
const hour = Date.parse("2026-11-10T09:00:00Z");
const item = { id: "digital-counter", name: "Digitale balie", cents: 100_000n, measure: "transactions" };

describe("metered shared-cost driver", () => {
  it("charges each product's transactions to a department of leiden-prod", () => {
    const config = parse(readFileSync(join(repoRoot, "Pulumi.leiden-prod.yaml"), "utf8")) as {
      config: { "muniops:departments": { id: string }[] };
    };
    const ids = config.config["muniops:departments"].map((d) => d.id);
    for (const p of digitalCounterProducts) expect(ids).toContain(p.chargeDepartment);
  });

  it("splits the counter's cost by the transactions scraped in an hour (embedded mode)", () => {
    const hosts = ["dc-web-01", "dc-web-02"];
    // the embedded scraper tells the targets apart by their instance label
    const scrape = (at: number) =>
      hosts.flatMap((h) =>
        parseExposition(digitalCounterFamily(h, at)).map((s) => ({ ...s, labels: { ...s.labels, instance: h } })),
      );
    const before = scrape(hour);
    const after = scrape(hour + 3_600_000);
    expect(after.filter((s) => s.name === metric)).toHaveLength(8);
    const quantities = meteredFromScrapes(before, after, metric);
    expect([...quantities.keys()].sort()).toEqual(["belastingen", "burgerzaken", "economie-cultuur"]);
    // exactly what the simulator counted between the two scrapes
    const expected = (department: string): bigint =>
      hosts
        .flatMap((h) =>
          digitalCounterProducts.filter((p) => p.chargeDepartment === department).map((p) => [h, p] as const),
        )
        .reduce(
          (sum, [h, p]) => sum + BigInt(transactionsAt(h, p, hour + 3_600_000) - transactionsAt(h, p, hour)) * 1000n,
          0n,
        );
    for (const [department, q] of quantities) expect(q).toBe(expected(department));

    const lines = splitByMeasured(item, quantities, ["burgerzaken", "belastingen", "economie-cultuur", "ict"]);
    expect(lines.reduce((a, l) => a + l.amountCents, 0n)).toBe(100_000n);
    const byOwner = Object.fromEntries(lines.map((l) => [l.owner, l.amountCents]));
    expect(byOwner.burgerzaken! > byOwner.belastingen!).toBe(true);
    expect(byOwner.belastingen! > byOwner["economie-cultuur"]!).toBe(true);
    expect(byOwner.ict).toBeUndefined();
  });

  it("takes a counter reset as a count from zero", () => {
    const sample = (value: number) => ({ name: metric, labels: { [chargeDepartmentLabel]: "belastingen" }, value });
    expect(meteredFromScrapes([sample(500)], [sample(20)], metric).get("belastingen")).toBe(20_000n);
  });

  it("asks Prometheus for the same increase, and reads its vector", () => {
    expect(meteredPromql(metric)).toBe(
      "sum by (charge_department) (increase(muniops_digital_counter_transactions_total[1h]))",
    );
    const quantities = meteredFromVector([
      { metric: { charge_department: "burgerzaken" }, value: [1_700_000_000, "612.5"] },
      { metric: { charge_department: "belastingen" }, value: [1_700_000_000, "204.1666"] },
      { metric: { charge_department: "stadsarchief" }, value: [1_700_000_000, "10"] },
    ]);
    expect(quantities.get("belastingen")).toBe(204_167n);
    // 1000.00 × 612.5 / 826.6667 = 740.93 and so on; a label naming no department is unrecovered, not spread
    const lines = splitByMeasured(item, quantities, ["burgerzaken", "belastingen"]);
    expect(lines.map((l) => [l.owner, formatEuros(l.amountCents), l.description])).toEqual([
      ["belastingen", "246.97", "Digitale balie (split by transactions)"],
      ["burgerzaken", "740.93", "Digitale balie (split by transactions)"],
      ["unrecovered", "12.10", "Digitale balie: transactions of unknown departments"],
    ]);
    expect(splitByMeasured(item, new Map(), ["burgerzaken"])).toMatchObject([
      {
        owner: "unrecovered",
        amountCents: 100_000n,
        description: "Digitale balie: no transactions measured, not recharged",
      },
    ]);
  });

  it("is served by the fleet simulator for the digital counter's web servers only", async () => {
    const host = (name: string, department: string): InventoryHost => ({
      ...{ name, address: "10.30.1.4", agentPort: 9110, department, service: "digitale-balie", role: "web" },
      ...{ environment: "prod", os: "linux", vmSize: "Standard_D4s_v5", vcpus: 4, memoryGiB: 16, disks: [] },
    });
    const hosts = [host("dc-web-01", "dienstverlening"), host("bz-app-01", "burgerzaken")];
    const model = new FleetModel({ seed: 7, hosts, historyStartMs: hour - 86_400_000, nowMs: hour, downNow: 0 });
    let now = hour;
    const simulator = await startSimulator({ model, now: () => now });
    try {
      const scrape = async (name: string) => parseExposition(await (await fetch(simulator.metricsUrl(name))).text());
      expect((await scrape("bz-app-01")).some((s) => s.name === metric)).toBe(false);
      const before = await scrape("dc-web-01");
      now = hour + 3_600_000;
      const after = await scrape("dc-web-01");
      const quantities = meteredFromScrapes(before, after, metric);
      const extracts = digitalCounterProducts.filter((p) => p.chargeDepartment === "burgerzaken");
      const expected = extracts.reduce(
        (sum, p) => sum + BigInt(transactionsAt("dc-web-01", p, now) - transactionsAt("dc-web-01", p, hour)),
        0n,
      );
      expect(quantities.get("burgerzaken")).toBe(expected * 1000n);
      const lines = splitByMeasured(item, quantities, ["burgerzaken", "belastingen", "economie-cultuur"]);
      expect(lines.reduce((a, l) => a + l.amountCents, 0n)).toBe(item.cents);
    } finally {
      await simulator.close();
    }
  });
});
