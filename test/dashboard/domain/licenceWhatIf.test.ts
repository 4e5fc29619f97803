// Pricing "N more (or fewer) seats" before asking for them, on the hand-computed month's licences: 100
// seats of Microsoft 365 E3 bought at € 20.00 a seat-month, 90 assigned (burgerzaken 50, belastingen 30,
// ict 10), so 10 free.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { licenceWhatIf } from "../../../dashboard/domain/licenceWhatIf.js";
import { parseYamlFile } from "../../../dashboard/domain/masterDataFile.js";
import { formatEuros } from "../../../dashboard/domain/money.js";
import { fixtureDir } from "../helpers/handMonth.js";

const records = parseYamlFile(readFileSync(join(fixtureDir, "hand-month.yaml"), "utf8")).records;
const master = {
  departments: records.departments ?? [],
  licenceProducts: records.licenceProducts ?? [],
  licenceContracts: records.licenceContracts ?? [],
  licenceAssignments: records.licenceAssignments ?? [],
};
const euros = (d: { before: bigint; after: bigint; delta: bigint }): string[] =>
  [d.before, d.after, d.delta].map(formatEuros);

describe("licence what-if", () => {
  it("takes more seats from free bought seats first and buys the rest at the latest contract's price", () => {
    const input = { department: "burgerzaken", product: "m365-e3", seats: 15, from: "2026-11", months: 2 };
    const r = licenceWhatIf(master, input);
    expect(r).toMatchObject({ seatsHeld: 50, freeSeatsUsed: 10, seatsToBuy: 5, newSeatPriceMicro: 20_000_000n });
    expect(r.to).toBe("2026-12");
    expect(r.months.map((m) => [m.period, euros(m.charged), euros(m.unrecovered), euros(m.purchased)])).toEqual([
      ["2026-11", ["1000.00", "1300.00", "300.00"], ["200.00", "0.00", "-200.00"], ["2000.00", "2100.00", "100.00"]],
      ["2026-12", ["1000.00", "1300.00", "300.00"], ["200.00", "0.00", "-200.00"], ["2000.00", "2100.00", "100.00"]],
    ]);
    // what the department pays more = what ICT buys more + what it no longer leaves unrecovered
    expect(r.total.charged.delta).toBe(r.total.purchased.delta - r.total.unrecovered.delta);
    expect(formatEuros(r.total.charged.delta)).toBe("600.00");
  });

  it("gives up seats from the first day of the month: the department saves, the seats stay bought", () => {
    const input = { department: "belastingen", product: "m365-e3", seats: -10, from: "2026-11", months: 1 };
    const r = licenceWhatIf(master, input);
    expect(r.seatsHeld).toBe(30);
    const [november] = r.months;
    expect(euros(november!.charged)).toEqual(["600.00", "400.00", "-200.00"]);
    expect(euros(november!.unrecovered)).toEqual(["200.00", "400.00", "200.00"]);
    expect(euros(november!.purchased)).toEqual(["2000.00", "2000.00", "0.00"]);
  });

  it("refuses what cannot be priced, naming why", () => {
    const base = { department: "belastingen", product: "m365-e3", from: "2026-11", months: 12 };
    expect(() => licenceWhatIf(master, { ...base, seats: -31 })).toThrow(
      "belastingen holds 30 seats of m365-e3 on 2026-11-01: it cannot give up 31",
    );
    expect(() => licenceWhatIf(master, { ...base, seats: 0 })).toThrow(/seats must be a whole number/);
    expect(() => licenceWhatIf(master, { ...base, seats: 1, product: "visio" })).toThrow('no licence product "visio"');
    expect(() => licenceWhatIf(master, { ...base, seats: 1, department: "griffie" })).toThrow(
      'no department "griffie"',
    );
    expect(() => licenceWhatIf(master, { ...base, seats: 1, months: 61 })).toThrow("months must be 1 to 60, got 61");
  });
});
