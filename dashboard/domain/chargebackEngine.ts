// The chargeback calculation for one month, pure: master data and usage in, statement lines out.
// Every line is rounded to the cent once; what rounding gains or loses is the named `rounding` line of
// `unrecovered`, so departments + unallocated + unrecovered = the cost pools, to the cent.
import type {
  Adjustment,
  CostItem,
  Department,
  LicenceAssignment,
  LicenceContract,
  LicenceProduct,
  RateVersion,
  UsageAggregate,
} from "./records.js";
import { allocate, divRound, formatMicroEuros, type Cents } from "./money.js";
import { pricedMeters, type PricedMeter } from "./meters.js";
import { daysInPeriod, daysOf, firstDay, lastDay } from "./period.js";
import { measureOf, splitByMeasured } from "./meteredDriver.js";

export const costTypes = ["compute", "storage", "licences", "shared", "adjustments"] as const;
export type CostType = (typeof costTypes)[number];

export const UNALLOCATED = "unallocated";
export const UNRECOVERED = "unrecovered";

export interface ChargebackLine {
  /** A department id, `unallocated` or `unrecovered`. */
  owner: string;
  costType: CostType | "rounding";
  item: string;
  description: string;
  quantity: string;
  unit: string;
  rateVersion: string | null;
  amountCents: Cents;
}

export interface ChargebackInput {
  period: string;
  departments: readonly Department[];
  rateVersions: readonly RateVersion[];
  usage: readonly UsageAggregate[];
  licenceProducts: readonly LicenceProduct[];
  licenceContracts: readonly LicenceContract[];
  licenceAssignments: readonly LicenceAssignment[];
  costItems: readonly CostItem[];
  adjustments: readonly Adjustment[];
  /** Host-hours the ledger has no row for (the caller compares it with the inventory); 0 if not compared. */
  unmeteredHours?: number;
  /**
   * The month's measured quantity per counter and department label (thousandths of a unit), for cost items
   * with the metered driver; a counter absent here measured nothing (its items are unrecovered).
   */
  metered?: ReadonlyMap<string, ReadonlyMap<string, bigint>>;
}

export interface DepartmentCharge {
  id: string;
  name: string;
  costCenter: string;
  compute: Cents;
  storage: Cents;
  licences: Cents;
  shared: Cents;
  adjustments: Cents;
  total: Cents;
}

export interface ChargebackResult {
  period: string;
  currency: "EUR";
  departments: DepartmentCharge[];
  unallocated: { compute: Cents; storage: Cents; total: Cents };
  unrecovered: { licences: Cents; shared: Cents; rounding: Cents; total: Cents };
  pools: Record<CostType, Cents> & { total: Cents };
  total: Cents;
  lines: ChargebackLine[];
  rateVersionsUsed: string[];
  gapHours: number;
  /** Host-hours of hosts in the inventory that were never metered: unbilled, like gaps. */
  unmeteredHours: number;
  /** Usage no rate-card version prices (a version missing a meter, or none valid yet): not charged. */
  unpriced: UnpricedUsage[];
}

/**
 * Usage the rate card has no price for, per owner, meter and version: shown as an error of its pool
 * instead of failing the whole month, so every other figure stays available (and a close refuses it).
 */
export interface UnpricedUsage {
  owner: string;
  costType: "compute" | "storage";
  meter: string;
  /** The rate key that has no price. */
  rate: string;
  /** The version in effect without that price, or null when no version is valid yet. */
  rateVersion: string | null;
  from: string;
  to: string;
  quantity: string;
  unit: string;
}

/** Which rate-card version applies on `day`: the latest whose validFrom is on or before it. */
export function rateVersionOn(versions: readonly RateVersion[], day: string): RateVersion | undefined {
  let best: RateVersion | undefined;
  for (const v of versions) if (v.validFrom <= day && (!best || v.validFrom > best.validFrom)) best = v;
  return best;
}

function decimal(numerator: bigint, denominator: bigint, decimals = 3): string {
  const scale = 10n ** BigInt(decimals);
  const scaled = divRound(numerator * scale, denominator);
  const sign = scaled < 0n ? "-" : "";
  const abs = scaled < 0n ? -scaled : scaled;
  return `${sign}${abs / scale}.${(abs % scale).toString().padStart(decimals, "0")}`;
}

interface Accumulator {
  owner: string;
  costType: CostType;
  item: string;
  description: string;
  unit: string;
  rateVersion: string | null;
  quantity: bigint;
  quantityDivisor: bigint;
  /** Exact amount = amountNumerator / amountDenominator cents. */
  amountNumerator: bigint;
  amountDenominator: bigint;
  /** The pool group this line belongs to: its residue is computed per group. */
  group: string;
}

export function computeChargeback(input: ChargebackInput): ChargebackResult {
  const { period } = input;
  const departmentIds = new Set(input.departments.map((d) => d.id));
  const ownerOf = (department: string | null): string =>
    department !== null && departmentIds.has(department) ? department : UNALLOCATED;
  const accumulators = new Map<string, Accumulator>();
  const add = (
    a: Omit<Accumulator, "quantity" | "amountNumerator">,
    quantity: bigint,
    amountNumerator: bigint,
  ): void => {
    const key = `${a.owner}\u0000${a.costType}\u0000${a.item}\u0000${a.rateVersion ?? ""}`;
    const existing = accumulators.get(key);
    if (existing) {
      existing.quantity += quantity;
      existing.amountNumerator += amountNumerator;
    } else accumulators.set(key, { ...a, quantity, amountNumerator });
  };
  const versionsUsed = new Set<string>();
  const unpriced = new Map<string, { usage: UnpricedUsage; quantity: bigint; divisor: bigint }>();
  const noPrice = (meter: PricedMeter, version: string | null, owner: string, day: string, quantity: bigint): void => {
    const key = `${owner}\u0000${meter.meter}\u0000${version ?? ""}`;
    const known = unpriced.get(key);
    if (known) {
      known.quantity += quantity;
      if (day < known.usage.from) known.usage.from = day;
      if (day > known.usage.to) known.usage.to = day;
      return;
    }
    const { costType, rate, unit } = meter;
    const usage = { owner, costType, meter: meter.meter, rate, rateVersion: version, from: day, to: day, unit };
    unpriced.set(key, { usage: { ...usage, quantity: "" }, quantity, divisor: meter.divisor(period) });
  };
  let gapHours = 0;

  // Metered usage, priced at the rate valid on each day. A month has thousands of rows but only a few
  // meters and days: each meter-day's rate and line description is worked out once.
  const meterByName = new Map(pricedMeters.map((m) => [m.meter as string, m]));
  type MeterDayLine = Omit<Accumulator, "owner" | "quantity" | "amountNumerator">;
  /** A meter-day's line and price, or the version in effect that has no price for it. */
  type Priced = { line: MeterDayLine; price: bigint } | { version: string | null };
  const meterDays = new Map<string, Priced>();
  const pricedOn = (meter: PricedMeter, day: string): Priced => {
    const key = `${meter.meter}\u0000${day}`;
    const known = meterDays.get(key);
    if (known) return known;
    const version = rateVersionOn(input.rateVersions, day);
    const price = version?.prices[meter.rate];
    if (!version || price === undefined) {
      const missing = { version: version?.validFrom ?? null };
      meterDays.set(key, missing);
      return missing;
    }
    versionsUsed.add(version.validFrom);
    const divisor = meter.divisor(period);
    const line = {
      costType: meter.costType,
      item: meter.meter,
      description: `${meter.unit} at € ${formatMicroEuros(price)} (rates of ${version.validFrom})`,
      unit: meter.unit,
      rateVersion: version.validFrom,
      quantityDivisor: divisor,
      amountDenominator: divisor * 10_000n,
      group: `${meter.meter}@${version.validFrom}`,
    };
    meterDays.set(key, { line, price });
    return { line, price };
  };
  for (const u of input.usage) {
    // Host-hours the source had no data for: not billed, and a close refuses them unless accepted.
    if (u.meter === "fs_used_bytes" || u.meter === "share_used_bytes") gapHours += u.hoursGap;
    const meter = meterByName.get(u.meter);
    if (!meter || u.valueHours === 0n) continue;
    const priced = pricedOn(meter, u.day);
    const owner = ownerOf(u.department);
    if ("line" in priced) add({ ...priced.line, owner }, u.valueHours, u.valueHours * priced.price);
    else noPrice(meter, priced.version, owner, u.day, u.valueHours);
  }
  const unpricedUsage = [...unpriced.values()]
    .map(({ usage, quantity, divisor }) => ({ ...usage, quantity: decimal(quantity, divisor) }))
    .sort((a, b) => a.owner.localeCompare(b.owner) || a.meter.localeCompare(b.meter) || a.from.localeCompare(b.from));

  priceLicences(input, add);
  // Pools are totalled from the inputs, apart from the lines, so conservation is a real check.
  const pools = { compute: 0n, storage: 0n, licences: 0n, shared: 0n, adjustments: 0n, total: 0n };
  const lines = roundLines(accumulators, pools);

  // Shared costs come after the direct costs: the direct-cost driver is weighted by them.
  const direct = new Map<string, bigint>();
  for (const line of lines)
    if (departmentIds.has(line.owner)) direct.set(line.owner, (direct.get(line.owner) ?? 0n) + line.amountCents);
  lines.push(...allocateSharedCosts(input, direct, pools));

  for (const adj of input.adjustments) {
    lines.push({
      owner: adj.department,
      costType: "adjustments",
      item: `adjustment-${adj.id}`,
      description: adj.refersToPeriod ? `${adj.reason} (correction of ${adj.refersToPeriod})` : adj.reason,
      quantity: "1",
      unit: "item",
      rateVersion: null,
      amountCents: adj.amountCents,
    });
    pools.adjustments += adj.amountCents;
  }
  pools.total = pools.compute + pools.storage + pools.licences + pools.shared + pools.adjustments;
  return { ...summarise(input, lines, pools, [...versionsUsed].sort(), gapHours), unpriced: unpricedUsage };
}

type AddLine = (
  a: Omit<Accumulator, "quantity" | "amountNumerator">,
  quantity: bigint,
  amountNumerator: bigint,
) => void;

function activeOn(day: string, from: string, to: string | null): boolean {
  return from <= day && (to === null || day <= to);
}

/** The records of each key, in their input order. */
function groupBy<T>(records: readonly T[], keyOf: (record: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const r of records) {
    const group = groups.get(keyOf(r));
    if (group) group.push(r);
    else groups.set(keyOf(r), [r]);
  }
  return groups;
}

/**
 * The month's days cut into runs over which none of `ranges` starts or ends: every day of a run has the
 * same records active (`activeOn`), so a run is priced once and counted `length` times.
 */
function constantRuns(
  days: readonly string[],
  ranges: readonly { from: string; to: string | null }[],
): { day: string; length: number }[] {
  const runs: { day: string; length: number }[] = [];
  let previous: string | undefined;
  for (const day of days) {
    const before = previous;
    previous = day;
    const run = runs.at(-1);
    const changes =
      before === undefined ||
      ranges.some((r) => (before < r.from && r.from <= day) || (r.to !== null && before <= r.to && r.to < day));
    if (run && !changes) run.length++;
    else runs.push({ day, length: 1 });
  }
  return runs;
}

/**
 * Seats are charged per day at the price of the contracts that supply them, oldest contract first;
 * purchased seats nobody is assigned are unrecovered. Site licences have no seats: their cost is split by
 * headcount.
 */
function priceLicences(input: ChargebackInput, add: AddLine): void {
  const days = daysOf(input.period);
  const perDay = BigInt(daysInPeriod(input.period)) * 10_000n;
  const contractsOf = groupBy(input.licenceContracts, (c) => c.productId);
  const assignmentsOf = groupBy(input.licenceAssignments, (a) => a.productId);
  for (const product of [...input.licenceProducts].sort((a, b) => a.id.localeCompare(b.id))) {
    if (product.licenceType === "site") continue; // allocated with the shared costs, by headcount
    const contracts = (contractsOf.get(product.id) ?? []).sort(
      (a, b) => a.startDate.localeCompare(b.startDate) || a.id.localeCompare(b.id),
    );
    const assignments = (assignmentsOf.get(product.id) ?? []).sort(
      (a, b) => a.department.localeCompare(b.department) || a.id.localeCompare(b.id),
    );
    const base = {
      costType: "licences" as const,
      rateVersion: null,
      quantityDivisor: BigInt(days.length),
      amountDenominator: perDay,
      group: `licence:${product.id}`,
      item: `licence:${product.id}`,
      unit: "seat-months",
    };
    // Seat-days per owner and contract, counted as plain integers; priced once per pair after the loop.
    const seatDays = new Map<string, { owner: string; price: bigint; days: number }>();
    const bump = (owner: string, contract: number, price: bigint, n: number): void => {
      const key = `${owner}\u0000${contract}`;
      const entry = seatDays.get(key);
      if (entry) entry.days += n;
      else seatDays.set(key, { owner, price, days: n });
    };
    const ranges = [
      ...contracts.map((c) => ({ from: c.startDate, to: c.endDate })),
      ...assignments.map((a) => ({ from: a.validFrom, to: a.validTo })),
    ];
    for (const { day, length } of constantRuns(days, ranges)) {
      const supply = contracts.map((c, i) => ({
        i,
        left: activeOn(day, c.startDate, c.endDate) ? c.quantity : 0,
        price: c.unitPriceMicroEur,
      }));
      for (const assignment of assignments) {
        if (!activeOn(day, assignment.validFrom, assignment.validTo)) continue;
        let wanted = assignment.seats;
        for (const s of supply) {
          if (wanted === 0) break;
          const take = Math.min(wanted, s.left);
          if (take === 0) continue;
          s.left -= take;
          wanted -= take;
          bump(assignment.department, s.i, s.price, take * length);
        }
        // Seats assigned beyond what was bought are not charged: there is no cost behind them.
      }
      for (const s of supply) if (s.left > 0) bump(UNRECOVERED, s.i, s.price, s.left * length);
    }
    for (const { owner, price, days: n } of seatDays.values()) {
      add(
        {
          ...base,
          owner,
          description: `${product.name}: ${owner === UNRECOVERED ? "unassigned seat-months" : "seat-months"}`,
        },
        BigInt(n),
        BigInt(n) * price,
      );
    }
  }
}

type Pools = Record<CostType, Cents> & { total: Cents };

function roundLines(accumulators: Map<string, Accumulator>, pools: Pools): ChargebackLine[] {
  const lines: ChargebackLine[] = [];
  const groups = new Map<string, { numerator: bigint; denominator: bigint; rounded: bigint; costType: CostType }>();
  for (const a of accumulators.values()) {
    const amountCents = divRound(a.amountNumerator, a.amountDenominator);
    lines.push({
      owner: a.owner,
      costType: a.costType,
      item: a.item,
      description: a.description,
      quantity: decimal(a.quantity, a.quantityDivisor),
      unit: a.unit,
      rateVersion: a.rateVersion,
      amountCents,
    });
    const g = groups.get(a.group) ?? {
      numerator: 0n,
      denominator: a.amountDenominator,
      rounded: 0n,
      costType: a.costType,
    };
    g.numerator += a.amountNumerator;
    g.rounded += amountCents;
    groups.set(a.group, g);
  }
  // The pool of a group is its exact total rounded once; the difference to the rounded lines is residue.
  for (const [group, g] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const pool = divRound(g.numerator, g.denominator);
    pools[g.costType] += pool;
    const residue = pool - g.rounded;
    if (residue !== 0n)
      lines.push({
        owner: UNRECOVERED,
        costType: "rounding",
        item: `rounding:${group}`,
        description: `rounding residue of ${group} (${g.costType})`,
        quantity: "1",
        unit: "item",
        rateVersion: null,
        amountCents: residue,
      });
  }
  return lines;
}

function activeDays(period: string, from: string, to: string | null): number {
  const start = from > firstDay(period) ? from : firstDay(period);
  const end = to !== null && to < lastDay(period) ? to : lastDay(period);
  if (start > end) return 0;
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000) + 1;
}

/** A month's amount of one shared-cost item or site licence, to be split over the departments by its driver. */
interface SharedPool {
  item: string;
  name: string;
  cents: bigint;
  driver: CostItem["driver"] | "headcount";
  percentages: Record<string, number> | null;
  costType: "shared" | "licences";
  metric?: string | null;
}

type ChargedDepartment = ChargebackInput["departments"][number];
/** The drivers that split by weights (a metered pool is split by its measured quantities instead). */
type SplitDriver = Exclude<SharedPool["driver"], "metered">;

function allocateSharedCosts(input: ChargebackInput, direct: Map<string, bigint>, totals: Pools): ChargebackLine[] {
  const departments = [...input.departments].sort((a, b) => a.id.localeCompare(b.id));
  const lines: ChargebackLine[] = [];
  for (const pool of sharedPools(input).sort((a, b) => a.item.localeCompare(b.item))) {
    totals[pool.costType] += pool.cents;
    if (pool.driver === "metered") {
      // By the month's measured quantities: largest remainders to the cent; unknown labels unrecovered.
      const measure = measureOf(pool.metric ?? "");
      const quantities = input.metered?.get(pool.metric ?? "") ?? new Map<string, bigint>();
      const split = { id: pool.item, name: pool.name, cents: pool.cents, measure };
      lines.push(
        ...splitByMeasured(
          split,
          quantities,
          departments.map((d) => d.id),
        ),
      );
      continue;
    }
    lines.push(...splitPool(pool, pool.driver, departments, direct));
  }
  return lines;
}

/** The month's pools: every cost item active in it (prorated by day) and every site licence with contracts. */
function sharedPools(input: ChargebackInput): SharedPool[] {
  const { period } = input;
  const days = daysInPeriod(period);
  const pools: SharedPool[] = [];
  for (const item of input.costItems) {
    const active = activeDays(period, item.validFrom, item.validTo);
    if (active > 0)
      pools.push({
        item: item.id,
        name: item.name,
        cents: divRound(item.monthlyCents * BigInt(active), BigInt(days)),
        driver: item.driver,
        percentages: item.percentages,
        costType: "shared",
        metric: item.metric ?? null,
      });
  }
  for (const product of input.licenceProducts.filter((p) => p.licenceType === "site")) {
    let numerator = 0n;
    for (const c of input.licenceContracts.filter((c) => c.productId === product.id))
      numerator += BigInt(c.quantity) * c.unitPriceMicroEur * BigInt(activeDays(period, c.startDate, c.endDate));
    if (numerator !== 0n)
      pools.push({
        item: `licence:${product.id}`,
        name: `${product.name} (site licence)`,
        cents: divRound(numerator, BigInt(days) * 10_000n),
        driver: "headcount",
        percentages: null,
        costType: "licences",
      });
  }
  return pools;
}

/** Each department's weight under the pool's driver (not metered); undefined for "none". */
function poolWeights(
  pool: SharedPool,
  driver: SplitDriver,
  departments: readonly ChargedDepartment[],
  direct: Map<string, bigint>,
): bigint[] | undefined {
  let weights: bigint[] | undefined;
  switch (driver) {
    case "even":
      weights = departments.map(() => 1n);
      break;
    case "headcount":
      weights = departments.map((d) => BigInt(d.headcount));
      break;
    case "direct-cost":
      weights = departments.map((d) => {
        const cost = direct.get(d.id) ?? 0n;
        return cost > 0n ? cost : 0n;
      });
      break;
    case "fixed":
      weights = departments.map((d) => BigInt(pool.percentages?.[d.id] ?? 0));
      break;
    case "none":
      weights = undefined;
  }
  return weights;
}

/** A pool's lines: its split by the driver, what a fixed split leaves uncovered, or all of it unrecovered. */
function splitPool(
  pool: SharedPool,
  driver: SplitDriver,
  departments: readonly ChargedDepartment[],
  direct: Map<string, bigint>,
): ChargebackLine[] {
  const lines: ChargebackLine[] = [];
  const weights = poolWeights(pool, driver, departments, direct);
  const shares = weights ? allocate(pool.cents, weights) : undefined;
  const label = pool.driver === "none" ? "idle capacity" : `split by ${pool.driver}`;
  if (!shares) {
    lines.push({
      owner: UNRECOVERED,
      costType: pool.costType === "licences" ? "licences" : "shared",
      item: pool.item,
      description:
        `${pool.name}: ` +
        (pool.driver === "none" ? "idle capacity, not recharged" : `nobody to charge by ${pool.driver}`),
      quantity: "1",
      unit: "item",
      rateVersion: null,
      amountCents: pool.cents,
    });
    return lines;
  }
  // A fixed split that covers less than 100 % leaves the rest unrecovered, named.
  const covered = shares.reduce((a, b) => a + b, 0n);
  departments.forEach((d, i) => {
    const amount = shares[i] ?? 0n;
    if (amount !== 0n)
      lines.push({
        owner: d.id,
        costType: pool.costType,
        item: pool.item,
        description: `${pool.name} (${label})`,
        quantity: "1",
        unit: "item",
        rateVersion: null,
        amountCents: amount,
      });
  });
  if (covered !== pool.cents)
    lines.push({
      owner: UNRECOVERED,
      costType: pool.costType,
      item: pool.item,
      description: `${pool.name}: not covered by the split`,
      quantity: "1",
      unit: "item",
      rateVersion: null,
      amountCents: pool.cents - covered,
    });
  return lines;
}

function summarise(
  input: ChargebackInput,
  lines: ChargebackLine[],
  pools: Pools,
  rateVersionsUsed: string[],
  gapHours: number,
): Omit<ChargebackResult, "unpriced"> {
  // One pass over the lines (thousands at 200 licence products): the total of each owner and cost type.
  const totals = new Map<string, bigint>();
  for (const l of lines) {
    const key = `${l.owner}\u0000${l.costType}`;
    totals.set(key, (totals.get(key) ?? 0n) + l.amountCents);
  }
  const sum = (owner: string, costType: ChargebackLine["costType"]): bigint =>
    totals.get(`${owner}\u0000${costType}`) ?? 0n;
  const departments: DepartmentCharge[] = [...input.departments]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((d) => {
      const charge = {
        compute: sum(d.id, "compute"),
        storage: sum(d.id, "storage"),
        licences: sum(d.id, "licences"),
        shared: sum(d.id, "shared"),
        adjustments: sum(d.id, "adjustments"),
      };
      return {
        id: d.id,
        name: d.name,
        costCenter: d.costCenter,
        ...charge,
        total: charge.compute + charge.storage + charge.licences + charge.shared + charge.adjustments,
      };
    });
  const unallocated = { compute: sum(UNALLOCATED, "compute"), storage: sum(UNALLOCATED, "storage"), total: 0n };
  unallocated.total = unallocated.compute + unallocated.storage;
  const unrecovered = {
    licences: sum(UNRECOVERED, "licences"),
    shared: sum(UNRECOVERED, "shared"),
    rounding: sum(UNRECOVERED, "rounding"),
    total: 0n,
  };
  unrecovered.total = unrecovered.licences + unrecovered.shared + unrecovered.rounding;
  const total = departments.reduce((a, d) => a + d.total, 0n) + unallocated.total + unrecovered.total;
  return {
    period: input.period,
    currency: "EUR",
    departments,
    unallocated,
    unrecovered,
    pools,
    total,
    lines,
    rateVersionsUsed,
    gapHours,
    unmeteredHours: input.unmeteredHours ?? 0,
  };
}
