// A metered shared-cost driver: a shared cost item split by a measured quantity per department — the
// digital counter's cost by its transactions, each product's charged to the department that owns it. The
// split is exact (money.ts allocate: largest remainders, to the cent). What was measured for a label that
// is no department, and the whole cost when nothing was measured, is unrecovered and named, never spread
// over the others.
import { UNRECOVERED, type ChargebackLine } from "./chargebackEngine.js";
import { allocate, type Cents } from "./money.js";

export interface MeteredCostItem {
  id: string;
  name: string;
  /** The month's cost of the item. */
  cents: Cents;
  /** What it is split by, for the line's description (e.g. "digital counter transactions"). */
  measure: string;
}

const line = (owner: string, item: MeteredCostItem, description: string, amountCents: Cents): ChargebackLine => ({
  owner,
  costType: "shared",
  item: item.id,
  description,
  quantity: "1",
  unit: "item",
  rateVersion: null,
  amountCents,
});

/** What a counter measures, for a line's description: muniops_digital_counter_transactions_total →
 * "digital counter transactions". */
export function measureOf(metric: string): string {
  const words = metric
    .replace(/^muniops_/, "")
    .replace(/_total$/, "")
    .replace(/[_:]+/g, " ")
    .trim();
  return words === "" ? "measured units" : words;
}

/** The item's lines: one per department measured, plus unrecovered for unknown labels or no measurement. */
export function splitByMeasured(
  item: MeteredCostItem,
  quantities: ReadonlyMap<string, bigint>,
  departments: readonly string[],
): ChargebackLine[] {
  const known = new Set(departments);
  const owners = [...quantities.keys()].filter((d) => (quantities.get(d) ?? 0n) > 0n).sort();
  const weights = owners.map((d) => quantities.get(d) ?? 0n);
  const shares = allocate(item.cents, weights);
  if (!shares) return [line(UNRECOVERED, item, `${item.name}: no ${item.measure} measured, not recharged`, item.cents)];
  const lines: ChargebackLine[] = [];
  let unknown = 0n;
  owners.forEach((owner, i) => {
    const amount = shares[i] ?? 0n;
    if (known.has(owner)) lines.push(line(owner, item, `${item.name} (split by ${item.measure})`, amount));
    else unknown += amount;
  });
  if (unknown !== 0n)
    lines.push(line(UNRECOVERED, item, `${item.name}: ${item.measure} of unknown departments`, unknown));
  return lines;
}
