// "What would N more seats of product X cost us?" (or N fewer): a department's licence charge for the
// coming months with and without the change, priced by the chargeback engine itself, so the answer is
// what the statements will say. More seats come out of free bought seats first (the engine assigns the
// oldest contract's seats first); what free seats cannot cover is bought at the unit price of the most
// recent contract. Fewer seats shorten the department's assignments; the seats stay bought (and become
// unrecovered) until a contract is changed, which the result shows beside the department's saving.
import { UsageError } from "../../errors.js";
import { computeChargeback, UNRECOVERED } from "./chargebackEngine.js";
import { licencePositionOn } from "./licencePosition.js";
import { firstDay, lastDay, nextPeriod } from "./period.js";
import type { Cents } from "./money.js";
import type { LicenceAssignment, LicenceContract, MasterData } from "./records.js";

export interface LicenceWhatIfInput {
  department: string;
  product: string;
  /** Seats to add (positive) or give up (negative). */
  seats: number;
  /** The first month of the change (YYYY-MM). */
  from: string;
  months: number;
}

export interface Delta {
  before: Cents;
  after: Cents;
  delta: Cents;
}

export interface LicenceWhatIfMonth {
  period: string;
  /** The department's charge for the product. */
  charged: Delta;
  /** Bought seats nobody is charged for: central ICT's loss. */
  unrecovered: Delta;
  /** What central ICT pays its suppliers for the product. */
  purchased: Delta;
}

export interface LicenceWhatIf {
  department: string;
  product: string;
  productName: string;
  seats: number;
  from: string;
  to: string;
  /** Seats the department holds on the first day, before the change. */
  seatsHeld: number;
  /** For more seats: how many come from free bought seats, and how many must be bought. */
  freeSeatsUsed: number;
  seatsToBuy: number;
  /** EUR millionths per seat-month of the seats to buy (the most recent contract's price). */
  newSeatPriceMicro: bigint | null;
  months: LicenceWhatIfMonth[];
  total: { charged: Delta; unrecovered: Delta; purchased: Delta };
}

type LicenceMaster = Pick<MasterData, "departments" | "licenceProducts" | "licenceContracts" | "licenceAssignments">;

const whatIfId = "what-if";

function check(master: LicenceMaster, input: LicenceWhatIfInput): void {
  if (!master.departments.some((d) => d.id === input.department))
    throw new UsageError(`no department "${input.department}"`);
  const product = master.licenceProducts.find((p) => p.id === input.product);
  if (!product) throw new UsageError(`no licence product "${input.product}"`);
  if (product.licenceType === "site")
    throw new UsageError(`${product.id} is a site licence: it is split by headcount, not charged per seat`);
  if (!Number.isInteger(input.seats) || input.seats === 0 || Math.abs(input.seats) > 100_000)
    throw new UsageError(`seats must be a whole number of seats to add (+N) or give up (-N), got ${input.seats}`);
  if (!Number.isInteger(input.months) || input.months < 1 || input.months > 60)
    throw new UsageError(`months must be 1 to 60, got ${input.months}`);
}

function lastPeriodOf(from: string, months: number): string {
  let period = from;
  for (let i = 1; i < months; i++) period = nextPeriod(period);
  return period;
}

/** The department's assignments of the product, `seats` fewer from `start` on (latest assignments first). */
function fewer(
  assignments: readonly LicenceAssignment[],
  input: LicenceWhatIfInput,
  start: string,
): LicenceAssignment[] {
  const dayBefore = new Date(Date.parse(`${start}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  let left = -input.seats;
  const affected = assignments
    .filter((a) => a.productId === input.product && a.department === input.department)
    .filter((a) => a.validFrom <= start && (a.validTo === null || a.validTo >= start))
    .sort((a, b) => b.validFrom.localeCompare(a.validFrom) || b.id.localeCompare(a.id));
  const changed = new Map<string, LicenceAssignment[]>();
  for (const a of affected) {
    if (left === 0) break;
    const take = Math.min(left, a.seats);
    left -= take;
    const kept = a.validFrom < start ? [{ ...a, validTo: dayBefore }] : [];
    const rest =
      a.seats - take > 0 ? [{ ...a, id: `${a.id}-${whatIfId}`, validFrom: start, seats: a.seats - take }] : [];
    changed.set(a.id, [...kept, ...rest]);
  }
  return assignments.flatMap((a) => changed.get(a.id) ?? [a]);
}

interface Scenario {
  contracts: LicenceContract[];
  assignments: LicenceAssignment[];
  freeSeatsUsed: number;
  seatsToBuy: number;
  newSeatPriceMicro: bigint | null;
}

function scenario(master: LicenceMaster, input: LicenceWhatIfInput, start: string, end: string): Scenario {
  const contracts = master.licenceContracts.filter((c) => c.productId === input.product);
  const assignments = master.licenceAssignments.filter((a) => a.productId === input.product);
  if (input.seats < 0) {
    const reduced = fewer(assignments, input, start);
    return { contracts, assignments: reduced, freeSeatsUsed: 0, seatsToBuy: 0, newSeatPriceMicro: null };
  }
  const products = master.licenceProducts.filter((p) => p.id === input.product);
  const position = licencePositionOn(
    { licenceProducts: products, licenceContracts: contracts, licenceAssignments: assignments },
    start,
  )[0];
  const free = position?.free ?? 0;
  const freeSeatsUsed = Math.min(free, input.seats);
  const seatsToBuy = input.seats - freeSeatsUsed;
  const latest = [...contracts].sort((a, b) => b.startDate.localeCompare(a.startDate) || b.id.localeCompare(a.id))[0];
  if (seatsToBuy > 0 && !latest)
    throw new UsageError(`${input.product} has no contract to price ${seatsToBuy} new seats by: record one first`);
  const bought: LicenceContract[] =
    seatsToBuy > 0 && latest
      ? [{ ...latest, id: whatIfId, quantity: seatsToBuy, startDate: start, endDate: end, purchaseOrder: whatIfId }]
      : [];
  const added: LicenceAssignment = {
    id: whatIfId,
    productId: input.product,
    department: input.department,
    seats: input.seats,
    validFrom: start,
    validTo: end,
  };
  return {
    contracts: [...contracts, ...bought],
    assignments: [...assignments, added],
    freeSeatsUsed,
    seatsToBuy,
    newSeatPriceMicro: seatsToBuy > 0 && latest ? latest.unitPriceMicroEur : null,
  };
}

const delta = (before: Cents, after: Cents): Delta => ({ before, after, delta: after - before });

export function licenceWhatIf(master: LicenceMaster, input: LicenceWhatIfInput): LicenceWhatIf {
  check(master, input);
  const to = lastPeriodOf(input.from, input.months);
  const start = firstDay(input.from);
  const product = master.licenceProducts.filter((p) => p.id === input.product);
  const baseContracts = master.licenceContracts.filter((c) => c.productId === input.product);
  const baseAssignments = master.licenceAssignments.filter((a) => a.productId === input.product);
  const held =
    licencePositionOn(
      { licenceProducts: product, licenceContracts: baseContracts, licenceAssignments: baseAssignments },
      start,
    )[0]?.byDepartment[input.department] ?? 0;
  if (input.seats < 0 && -input.seats > held)
    throw new UsageError(
      `${input.department} holds ${held} seats of ${input.product} on ${start}: it cannot give up ${-input.seats}`,
    );
  const plan = scenario(master, input, start, lastDay(to));
  const item = `licence:${input.product}`;
  const month = (period: string, contracts: LicenceContract[], assignments: LicenceAssignment[]) => {
    const result = computeChargeback({
      period,
      departments: master.departments,
      rateVersions: [],
      usage: [],
      licenceProducts: product,
      licenceContracts: contracts,
      licenceAssignments: assignments,
      costItems: [],
      adjustments: [],
    });
    const sum = (owner: string): Cents =>
      result.lines.filter((l) => l.item === item && l.owner === owner).reduce((a, l) => a + l.amountCents, 0n);
    return { charged: sum(input.department), unrecovered: sum(UNRECOVERED), purchased: result.pools.licences };
  };
  const months: LicenceWhatIfMonth[] = [];
  for (let period = input.from, i = 0; i < input.months; i++, period = nextPeriod(period)) {
    const before = month(period, baseContracts, baseAssignments);
    const after = month(period, plan.contracts, plan.assignments);
    months.push({
      period,
      charged: delta(before.charged, after.charged),
      unrecovered: delta(before.unrecovered, after.unrecovered),
      purchased: delta(before.purchased, after.purchased),
    });
  }
  const total = (pick: (m: LicenceWhatIfMonth) => Delta): Delta =>
    delta(
      months.reduce((a, m) => a + pick(m).before, 0n),
      months.reduce((a, m) => a + pick(m).after, 0n),
    );
  return {
    department: input.department,
    product: input.product,
    productName: product[0]?.name ?? input.product,
    seats: input.seats,
    from: input.from,
    to,
    seatsHeld: held,
    freeSeatsUsed: plan.freeSeatsUsed,
    seatsToBuy: plan.seatsToBuy,
    newSeatPriceMicro: plan.newSeatPriceMicro,
    months,
    total: {
      charged: total((m) => m.charged),
      unrecovered: total((m) => m.unrecovered),
      purchased: total((m) => m.purchased),
    },
  };
}
