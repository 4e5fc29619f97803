// The hand-computed month on both backends: every department line, the remainders, the named rounding
// lines and the pools equal the hand calculation in test/fixtures/dashboard/hand-month.expected.json.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ledger } from "../../dashboard/data-access/database.js";
import { type ChargebackJson } from "../../dashboard/domain/chargeback.js";
import { chargeback } from "../../dashboard/app/chargeback.js";
import { backends, freshLedger } from "./helpers/backends.js";
import { fixtureDir, seedHandMonth } from "./helpers/handMonth.js";
import { started } from "../helpers/started.js";

interface Expected {
  departments: Record<string, Record<string, string>>;
  unallocated: string;
  unallocatedBreakdown: Record<string, string>;
  unrecovered: string;
  unrecoveredBreakdown: Record<string, string>;
  roundingLines: Record<string, string>;
  pools: Record<string, string>;
  total: string;
  rateVersions: string[];
}
const expected = JSON.parse(readFileSync(join(fixtureDir, "hand-month.expected.json"), "utf8")) as Expected;
const cents = (s: string): bigint => BigInt(s.replace(".", ""));

const results: Record<string, ChargebackJson> = {};

describe.each(backends)("chargeback of the hand-computed month on $name", (backend) => {
  let ledger: Ledger;
  let result: ChargebackJson;
  beforeAll(async () => {
    ledger = await freshLedger(backend);
    await seedHandMonth(ledger);
    result = await chargeback(ledger, "2026-10");
    results[backend.name] = result;
  }, 120_000);
  afterAll(async () => {
    await started(ledger)?.close();
    await backend.cleanup();
  });

  it("charges every department exactly its hand-computed lines", () => {
    expect(result.status).toBe("open");
    expect(result.currency).toBe("EUR");
    expect(result.departments.map((d) => d.id)).toEqual(Object.keys(expected.departments).sort());
    for (const d of result.departments) {
      const { id, name: _name, costCenter: _cc, ...amounts } = d;
      expect(amounts, id).toEqual(expected.departments[id]);
    }
    expect(result.departments.find((d) => d.id === "burgerzaken")?.costCenter).toBe("KP-4100");
  });

  it("shows the host without a department as unallocated and the unassigned seats as unrecovered", () => {
    expect(result.unallocated).toBe(expected.unallocated);
    expect(result.breakdown.unallocated).toEqual(expected.unallocatedBreakdown);
    expect(result.unrecovered).toBe(expected.unrecovered);
    expect(result.breakdown.unrecovered).toEqual(expected.unrecoveredBreakdown);
    const unassigned = result.lines.find((l) => l.owner === "unrecovered" && l.item === "licence:m365-e3");
    expect(unassigned?.amount).toBe("296.77");
    expect(result.lines.filter((l) => l.owner === "unallocated").every((l) => l.item !== "licence:m365-e3")).toBe(true);
  });

  it("puts the rounding residue on named lines", () => {
    const rounding = Object.fromEntries(
      result.lines.filter((l) => l.costType === "rounding").map((l) => [l.item, l.amount]),
    );
    expect(rounding).toEqual(expected.roundingLines);
  });

  it("prices each day at the rate valid that day, and lists the versions used", () => {
    expect(result.rateVersions).toEqual(expected.rateVersions);
    const bzVcpu = result.lines.filter((l) => l.owner === "burgerzaken" && l.item === "vcpus");
    expect(bzVcpu.map((l) => [l.rateVersion, l.quantity, l.amount])).toEqual([
      ["2026-01-01", "1440.000", "14.40"],
      ["2026-10-16", "1536.000", "30.72"],
    ]);
  });

  it("conserves to the cent: departments + unallocated + unrecovered = pools", () => {
    expect(result.breakdown.pools).toEqual(expected.pools);
    const departments = result.departments.reduce((a, d) => a + cents(d.total), 0n);
    expect(departments + cents(result.unallocated) + cents(result.unrecovered)).toBe(
      cents(result.breakdown.pools.total),
    );
    expect(result.total).toBe(expected.total);
    for (const d of result.departments)
      expect(cents(d.compute) + cents(d.storage) + cents(d.licences) + cents(d.shared) + cents(d.adjustments)).toBe(
        cents(d.total),
      );
  });
});

describe("both backends", () => {
  it("give identical chargebacks", () => {
    expect(results.sqlite).toBeDefined();
    expect(results.postgres).toEqual(results.sqlite);
  });
});
