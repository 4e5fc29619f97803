// The rate card that would have recovered the cloud bill: from the last reconciled months, each metered
// cost type's actual cost is split over its meters in proportion to what each meter charged, and the
// rate becomes that cost plus a margin, divided by the quantity the meter charged. Pure; the use case
// (app/rateProposals.ts) reads the months and saves the result as a draft a service manager can adopt.
import { pricedMeters } from "./meters.js";
import { divRound, formatMicroEuros, formatRatio, parseBillAmount, parseCents, type BillAmount } from "./money.js";

export interface ProposalMonth {
  period: string;
  /** The bill's actual cost (EffectiveCost) per metered cost type. */
  actual: { compute: BillAmount; storage: BillAmount };
  /** The chargeback's lines of the month (any owner). */
  lines: readonly { costType: string; item: string; quantity: string; amount: string }[];
}

export interface ProposedMeterRate {
  rate: string;
  meter: string;
  unit: string;
  /** EUR per unit of the rate card in effect ("0.0123"), null when it has no price. */
  current: string | null;
  /** null when the window charged nothing on this meter: the current price stays. */
  proposed: string | null;
  quantity: string;
  charged: string;
  actualCost: string;
  /** charged / actual cost over the window. */
  recovery: string | null;
}

export interface RateProposal {
  months: string[];
  marginPercent: string;
  meters: ProposedMeterRate[];
  /** The draft version's prices: proposed where there is one, else the current price. */
  prices: Record<string, string>;
}

/** `marginBasisPoints`: 500 = 5 %. `current`: the prices in effect now, in millionths of a euro. */
export function proposeRates(
  months: readonly ProposalMonth[],
  current: Readonly<Record<string, bigint>>,
  marginBasisPoints: bigint,
): RateProposal {
  const charged = new Map<string, bigint>();
  const quantity = new Map<string, bigint>();
  for (const month of months)
    for (const line of month.lines) {
      if (line.costType !== "compute" && line.costType !== "storage") continue;
      charged.set(line.item, (charged.get(line.item) ?? 0n) + parseCents(line.amount, "amount"));
      quantity.set(line.item, (quantity.get(line.item) ?? 0n) + parseBillAmount(line.quantity, "quantity"));
    }
  const actual = { compute: 0n, storage: 0n };
  for (const m of months) {
    actual.compute += m.actual.compute;
    actual.storage += m.actual.storage;
  }
  const chargedOfType = (type: "compute" | "storage"): bigint =>
    pricedMeters.filter((m) => m.costType === type).reduce((a, m) => a + (charged.get(m.meter) ?? 0n), 0n);
  const meters = pricedMeters.map((m): ProposedMeterRate => {
    const chargedCents = charged.get(m.meter) ?? 0n;
    const units = quantity.get(m.meter) ?? 0n;
    const typeCharged = chargedOfType(m.costType);
    // The meter's share of its cost type's actual cost, in 10^-10 euros.
    const cost = typeCharged > 0n ? divRound(actual[m.costType] * chargedCents, typeCharged) : 0n;
    const price = current[m.rate];
    const proposed =
      units > 0n && chargedCents > 0n
        ? divRound(cost * 1_000_000n * (10_000n + marginBasisPoints), units * 10_000n)
        : null;
    return {
      rate: m.rate,
      meter: m.meter,
      unit: m.unit,
      current: price === undefined ? null : formatMicroEuros(price),
      proposed: proposed === null ? null : formatMicroEuros(proposed),
      quantity: formatScaled(units),
      charged: formatMicroEuros(chargedCents * 10_000n),
      actualCost: formatMicroEuros(divRound(cost, 10_000n)),
      recovery: formatRatio(chargedCents * 100_000_000n, cost),
    };
  });
  const prices = Object.fromEntries(
    meters.flatMap((m) => {
      const price = m.proposed ?? m.current;
      return price === null ? [] : [[m.rate, price]];
    }),
  );
  return {
    months: months.map((m) => m.period),
    marginPercent: formatRatio(marginBasisPoints, 100n, 2) ?? "0",
    meters,
    prices,
  };
}

function formatScaled(units: bigint): string {
  const whole = units / 10_000_000_000n;
  const fraction = (units % 10_000_000_000n).toString().padStart(10, "0").replace(/0+$/, "");
  return fraction === "" ? whole.toString() : `${whole}.${fraction}`;
}
