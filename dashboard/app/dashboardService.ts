// The dashboard's use cases over the ledger: what each page and API route reads and changes, scoped to
// the principal, with the computed reads cached. An open month is recomputed from the ledger (heavy with
// thousands of hosts), so computed months, the overview and their serialised bytes are kept until the
// ledger changes: every write through the dashboard calls `invalidate()`, and `syncWithLedger()` (run
// before each request) notices writes by any other connection or process (ledgerChanges.ts).
import { createHash } from "node:crypto";
import { loadMasterData } from "../data-access/masterData.js";
import { allClosedPeriods } from "../data-access/periods.js";
import type { Ledger } from "../data-access/database.js";
import type {
  CostItem,
  Department,
  LicenceAssignment,
  LicenceContract,
  MasterData,
  RateVersion,
} from "../domain/records.js";
import { type ChargebackJson, type DepartmentChargeJson } from "../domain/chargeback.js";
import { chargeback, chargebackTotals } from "./chargeback.js";
import type { ChargebackErrorJson } from "../domain/chargeback.js";
import { currentPeriod, lastDay, periodOf, previousPeriod } from "../domain/period.js";
import { budgetState, monthProgress, monthlyBudget, projectMonth, type BudgetState } from "../domain/budget.js";
import { licencePositionOn } from "../domain/licencePosition.js";
import { formatEuros, parseCents } from "../domain/money.js";
import { departmentScope, type Principal } from "../auth/roles.js";
import { watchLedgerChanges, type LedgerChangeWatch } from "../data-access/ledgerChanges.js";

interface Entry<T> {
  value: Promise<T>;
  expires: number;
}

/**
 * Computed reads by key. Concurrent requests for a key share one computation (a promise), and an entry
 * lives until `clear()`: invalidation is explicit. The lifetime is only a safety net.
 */
class ReadCache {
  private readonly entries = new Map<string, Entry<unknown>>();
  constructor(private readonly lifetimeMs: number) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key) as Entry<T> | undefined;
    if (hit && hit.expires > now) return hit.value;
    const value = compute();
    this.entries.set(key, { value, expires: now + this.lifetimeMs });
    value.catch(() => {
      // a failure is not remembered, but a newer entry for the key must survive it
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** A document's response bytes, encoded once, with a strong ETag so clients can revalidate for a 304. */
export interface SerialisedBody {
  bytes: Buffer;
  etag: string;
}

export function serialise(text: string): SerialisedBody {
  const bytes = Buffer.from(text, "utf8");
  return { bytes, etag: `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"` };
}

export interface ScopedChargeback extends Omit<ChargebackJson, "unallocated" | "unrecovered" | "total" | "breakdown"> {
  /** `all` for roles that see every department; `departments` when limited to the principal's own. */
  scope: "all" | "departments";
  unallocated?: string;
  unrecovered?: string;
  total: string;
  breakdown?: ChargebackJson["breakdown"];
}

export interface StatementState {
  period: string;
  department: string;
  status: "open" | "closed" | "signed-off" | "disputed";
  actor?: string;
  at?: string;
  comment?: string | null;
}

export interface LicencePosition {
  productId: string;
  productName: string;
  licenceType: string;
  purchased: number;
  assigned: number;
  /** Never below zero: seats assigned beyond those bought are `overAssigned`. */
  free: number;
  overAssigned: number;
  perDepartment: { department: string; seats: number }[];
  monthlyCost: string;
}

/** A controller's view of a licence product: their own departments' seats and charge, nothing else. */
export interface OwnLicencePosition {
  productId: string;
  productName: string;
  licenceType: string;
  seats: number;
  perDepartment: { department: string; seats: number }[];
  /** What the month `period` charges their departments for the product. */
  monthlyCost: string;
  period: string;
}

export type LicenceView =
  { scope: "all"; positions: LicencePosition[] } | { scope: "departments"; positions: OwnLicencePosition[] };

/** A controller's view of a shared-cost item: their departments' split and charge in `period`. */
export interface OwnCostItem {
  id: string;
  name: string;
  driver: CostItem["driver"];
  /** Basis points of their own departments in a fixed split; null for the other drivers. */
  percentages: Record<string, number> | null;
  validFrom: string;
  validTo: string | null;
  period: string;
  charged: string;
}

export interface OverviewData {
  currentPeriod: string;
  current: ScopedChargeback;
  lastClosed: ScopedChargeback | undefined;
  trend: { period: string; total: string; status: string }[];
  budget: {
    department: string;
    name: string;
    actual: string;
    projected: string;
    monthlyBudget: string | null;
    state: BudgetState;
  }[];
  changes: { department: string; name: string; previous: string; current: string; delta: string }[];
  /** Usage no rate-card version prices, in the months shown: the figures above leave it out. */
  errors: (ChargebackErrorJson & { period: string })[];
}

/** The ledger's own amount strings ("1234.56") to cents and back, by the one money module. */
const cents = (text: string): bigint => parseCents(text, "amount");
const euros = formatEuros;

export class DashboardService {
  private readonly cache = new ReadCache(300_000);
  private readonly serialised = new WeakMap<object, SerialisedBody>();
  private readonly pages = new WeakMap<object, Map<string, SerialisedBody>>();
  private readonly changes: LedgerChangeWatch;
  private ledgerVersion: string | undefined;
  private readonly ledgerChangeListeners: (() => void)[] = [];

  constructor(
    readonly ledger: Ledger,
    private readonly now: () => number = Date.now,
  ) {
    this.changes = watchLedgerChanges(ledger);
  }

  nowMs(): number {
    return this.now();
  }

  /** Forget every cached computation: called after each write through the dashboard. */
  invalidate(): void {
    this.cache.clear();
  }

  /**
   * Also run `listener` when `syncWithLedger` finds a change, whoever made it (e.g. to drop cached sessions
   * that `muniops users disable` ended in another process).
   */
  onLedgerChange(listener: () => void): void {
    this.ledgerChangeListeners.push(listener);
  }

  /**
   * Invalidate if the ledger changed since the last call, through any connection: metering in this
   * process, the CLI, other replicas. Cheap enough to run before every request; done on return where the
   * ledger answers synchronously (SQLite), else when the returned promise settles.
   */
  syncWithLedger(): Promise<void> | undefined {
    const version = this.changes.version();
    if (typeof version === "string") {
      this.noteLedgerVersion(version);
      return undefined;
    }
    return version.then((v) => {
      this.noteLedgerVersion(v);
    });
  }

  private noteLedgerVersion(version: string): void {
    if (version === this.ledgerVersion) return;
    const first = this.ledgerVersion === undefined;
    this.ledgerVersion = version;
    if (first) return;
    this.invalidate();
    for (const listener of this.ledgerChangeListeners) listener();
  }

  /** Stop watching the ledger (before closing it). */
  close(): void {
    this.changes.close();
  }

  masterData(): Promise<MasterData> {
    return this.cache.get("master", () => loadMasterData(this.ledger.db));
  }

  closedPeriods(): Promise<{ period: string; closedAt: string; closedBy: string; hash: string }[]> {
    return this.cache.get("closed", async () =>
      (await allClosedPeriods(this.ledger.db)).map((p) => ({
        period: p.period,
        closedAt: p.closedAt,
        closedBy: p.closedBy,
        hash: p.hash,
      })),
    );
  }

  /** The whole month, unscoped: for callers that scope it themselves. */
  fullChargeback(period: string): Promise<ChargebackJson> {
    // the overview computes twelve months: they share one load of the master data
    return this.cache.get(`chargeback:${period}`, async () =>
      chargeback(this.ledger, period, await this.masterData(), this.nowMs()),
    );
  }

  /** The month's charges without its unmetered-hours count (chargebackTotals), for the overview's trend. */
  private totals(principal: Principal, period: string): Promise<ScopedChargeback> {
    const full = this.cache.get(`totals:${period}`, async () =>
      chargebackTotals(this.ledger, period, await this.masterData()),
    );
    return this.cache.get(`scoped-totals:${period}:${scopeKey(principal)}`, async () =>
      scopeChargeback(await full, principal),
    );
  }

  /** The month as `principal` may see it; shared by every principal with the same scope. */
  chargeback(principal: Principal, period: string): Promise<ScopedChargeback> {
    return this.cache.get(`scoped:${period}:${scopeKey(principal)}`, async () =>
      scopeChargeback(await this.fullChargeback(period), principal),
    );
  }

  /** The JSON bytes of a cached document, serialised once (cached documents are never mutated). */
  json(value: object): SerialisedBody {
    let body = this.serialised.get(value);
    if (body === undefined) {
      body = serialise(JSON.stringify(value));
      this.serialised.set(value, body);
    }
    return body;
  }

  /**
   * A page's bytes for a cached document and one rendering `variant` of it (language, session, path),
   * rendered and encoded once: the same bytes until the document is replaced by a change.
   */
  page(data: object, variant: string, render: () => string): SerialisedBody {
    let variants = this.pages.get(data);
    if (!variants) {
      variants = new Map();
      this.pages.set(data, variants);
    }
    let body = variants.get(variant);
    if (!body) {
      // one variant per live session and language: bound the memory if sessions are many
      if (variants.size >= 1_000) variants.clear();
      body = serialise(render());
      variants.set(variant, body);
    }
    return body;
  }

  async departments(principal: Principal): Promise<Department[]> {
    const scope = departmentScope(principal);
    const all = (await this.masterData()).departments;
    return scope ? all.filter((d) => scope.includes(d.id)) : all;
  }

  async statementState(period: string, department: string): Promise<StatementState> {
    const doc = await this.fullChargeback(period);
    if (doc.status !== "closed") return { period, department, status: "open" };
    const sign = doc.signOff?.find((s) => s.department === department);
    if (!sign) return { period, department, status: "closed" };
    return {
      period,
      department,
      status: sign.status as "signed-off" | "disputed",
      actor: sign.actor,
      at: sign.at,
      comment: sign.comment,
    };
  }

  overview(principal: Principal): Promise<OverviewData> {
    // the projection to the month's end depends on the day
    const day = new Date(this.now()).toISOString().slice(0, 10);
    return this.cache.get(`overview:${day}:${scopeKey(principal)}`, () => this.computeOverview(principal));
  }

  private async computeOverview(principal: Principal): Promise<OverviewData> {
    const period = currentPeriod(this.now());
    const closed = await this.closedPeriods();
    const last = closed.at(-1)?.period;
    const months: string[] = [];
    for (let p = period, i = 0; i < 12; i++, p = previousPeriod(p)) months.unshift(p);
    const [current, lastClosed, trendDocs] = await Promise.all([
      this.chargeback(principal, period),
      last ? this.chargeback(principal, last) : Promise.resolve(undefined),
      // the current month is computed in full anyway; the others only for their totals
      Promise.all(months.map((m) => (m === period ? this.chargeback(principal, m) : this.totals(principal, m)))),
    ]);
    const previous = trendDocs.at(-2);
    const progress = monthProgress(period, this.now());
    const departments = await this.departments(principal);
    const budget = current.departments.map((d) => {
      const dep = departments.find((x) => x.id === d.id);
      const actual = cents(d.total);
      const projected = projectMonth({ total: actual, usage: cents(d.compute) + cents(d.storage) }, progress);
      const monthly = monthlyBudget(dep?.annualBudgetCents);
      const { state } = budgetState(actual, projected, monthly);
      return {
        department: d.id,
        name: d.name,
        actual: d.total,
        projected: euros(projected),
        monthlyBudget: monthly === null ? null : euros(monthly),
        state,
      };
    });
    const changes = previous
      ? current.departments
          .map((d) => {
            const before = previous.departments.find((p) => p.id === d.id)?.total ?? "0.00";
            return {
              department: d.id,
              name: d.name,
              previous: before,
              current: d.total,
              delta: euros(cents(d.total) - cents(before)),
            };
          })
          .sort((a, b) => {
            const da = cents(a.delta) < 0n ? -cents(a.delta) : cents(a.delta);
            const db = cents(b.delta) < 0n ? -cents(b.delta) : cents(b.delta);
            return da === db ? a.department.localeCompare(b.department) : da > db ? -1 : 1;
          })
          .slice(0, 5)
      : [];
    const errors = trendDocs.flatMap((d) => (d.errors ?? []).map((e) => ({ period: d.period, ...e })));
    const trend = trendDocs.map((d) => ({ period: d.period, total: d.total, status: d.status }));
    return { currentPeriod: period, current, lastClosed, trend, budget, changes, errors };
  }

  /**
   * Licence products as `principal` may see them on `day`: the organisation's position (purchased,
   * assigned, free, cost), or for a controller only their own departments' seats and charge.
   */
  async licences(principal: Principal, day: string): Promise<LicenceView> {
    const scope = departmentScope(principal);
    if (!scope) return { scope: "all", positions: await this.licencePositions(principal, day) };
    return { scope: "departments", positions: await this.ownLicencePositions(scope, day) };
  }

  /**
   * A controller's licence products: the seats assigned to their departments on `day` and what the
   * chargeback of that month charges them for the product (the same lines as their statement). The
   * organisation's purchases, free seats and total cost are not theirs to see: with their own figures,
   * those would give away the other departments' seats and charges.
   */
  private async ownLicencePositions(scope: readonly string[], day: string): Promise<OwnLicencePosition[]> {
    const master = await this.masterData();
    const doc = await this.fullChargeback(periodOf(day));
    const own = (department: string): boolean => scope.includes(department);
    return master.licenceProducts.flatMap((product) => {
      const item = `licence:${product.id}`;
      const assignments = master.licenceAssignments.filter(
        (a) => a.productId === product.id && own(a.department) && active(a.validFrom, a.validTo, day),
      );
      const lines = doc.lines.filter((l) => l.item === item && own(l.owner));
      const charged = lines.reduce((sum, l) => sum + cents(l.amount), 0n);
      const perDepartment = aggregateSeats(assignments);
      if (perDepartment.length === 0 && charged === 0n) return [];
      const seats = perDepartment.reduce((n, d) => n + d.seats, 0);
      const { id: productId, name: productName, licenceType } = product;
      const monthlyCost = euros(charged);
      return [{ productId, productName, licenceType, seats, perDepartment, monthlyCost, period: doc.period }];
    });
  }

  /** The organisation's licence positions (for roles that see every department). */
  async licencePositions(principal: Principal, day: string): Promise<LicencePosition[]> {
    const master = await this.masterData();
    const scope = departmentScope(principal);
    // Purchased, assigned, free and over-assigned come from the one domain rule the CLI uses too.
    const positions = new Map(licencePositionOn(master, day).map((p) => [p.product, p]));
    return master.licenceProducts.map((product) => {
      const contracts = master.licenceContracts.filter(
        (c) => c.productId === product.id && active(c.startDate, c.endDate, day),
      );
      const assignments = master.licenceAssignments.filter(
        (a) => a.productId === product.id && active(a.validFrom, a.validTo, day),
      );
      const position = positions.get(product.id);
      const perDepartment = aggregateSeats(assignments).filter((d) => !scope || scope.includes(d.department));
      return {
        productId: product.id,
        productName: product.name,
        licenceType: product.licenceType,
        purchased: position?.purchased ?? 0,
        assigned: position?.assigned ?? 0,
        free: position?.free ?? 0,
        overAssigned: position?.overAssigned ?? 0,
        perDepartment,
        monthlyCost: euros(monthlyCost(contracts)),
      };
    });
  }

  async licenceContracts(): Promise<LicenceContract[]> {
    return (await this.masterData()).licenceContracts;
  }

  async licenceAssignments(principal: Principal): Promise<LicenceAssignment[]> {
    const scope = departmentScope(principal);
    return (await this.masterData()).licenceAssignments.filter((a) => !scope || scope.includes(a.department));
  }

  async rateVersions(): Promise<RateVersion[]> {
    return (await this.masterData()).rateVersions;
  }

  async costItems(): Promise<CostItem[]> {
    return (await this.masterData()).costItems;
  }

  /**
   * Shared-cost items as a controller may see them: their own departments' percentages of a fixed split
   * and what the current month charges them for each item; never the item's total or another
   * department's share (with their own share, either would give the rest away).
   */
  async ownCostItems(scope: readonly string[]): Promise<OwnCostItem[]> {
    const doc = await this.fullChargeback(currentPeriod(this.now()));
    return (await this.costItems()).map((i) => {
      const ownSplit = i.percentages && Object.entries(i.percentages).filter(([d]) => scope.includes(d));
      const lines = doc.lines.filter((l) => l.item === i.id && scope.includes(l.owner));
      const charged = euros(lines.reduce((sum, l) => sum + cents(l.amount), 0n));
      const { id, name, driver, validFrom, validTo } = i;
      const percentages = ownSplit ? Object.fromEntries(ownSplit) : null;
      return { id, name, driver, percentages, validFrom, validTo, period: doc.period, charged };
    });
  }

  periodEnd(period: string): string {
    return lastDay(period);
  }
}

/** Principals with the same scope see the same data: the cache key of their view. */
function scopeKey(principal: Principal): string {
  const scope = departmentScope(principal);
  return scope ? `departments:${[...scope].sort().join(",")}` : "all";
}

function active(from: string, to: string | null, day: string): boolean {
  return from <= day && (to === null || to >= day);
}

function aggregateSeats(assignments: readonly LicenceAssignment[]): { department: string; seats: number }[] {
  const seats = new Map<string, number>();
  for (const a of assignments) seats.set(a.department, (seats.get(a.department) ?? 0) + a.seats);
  return [...seats]
    .map(([department, n]) => ({ department, seats: n }))
    .sort((a, b) => a.department.localeCompare(b.department));
}

function monthlyCost(contracts: readonly LicenceContract[]): bigint {
  // unit prices are micro-euros; round the month's total to the cent once.
  const micro = contracts.reduce((sum, c) => sum + c.unitPriceMicroEur * BigInt(c.quantity), 0n);
  return (micro + 5_000n) / 10_000n;
}

/**
 * A controller sees only their own departments: the other departments, their lines and the
 * organisation-wide remainders (which would reveal others' totals by subtraction) are removed.
 */
export function scopeChargeback(doc: ChargebackJson, principal: Principal): ScopedChargeback {
  const scope = departmentScope(principal);
  if (!scope) return { ...doc, scope: "all" };
  const departments: DepartmentChargeJson[] = doc.departments.filter((d) => scope.includes(d.id));
  const total = departments.reduce((sum, d) => sum + cents(d.total), 0n);
  const { unallocated: _u, unrecovered: _r, breakdown: _b, ...rest } = doc;
  return {
    ...rest,
    scope: "departments",
    departments,
    total: euros(total),
    lines: doc.lines.filter((l) => scope.includes(l.owner)),
    ...(doc.signOff ? { signOff: doc.signOff.filter((s) => scope.includes(s.department)) } : {}),
    // unpriced usage of other owners (other departments, unallocated hosts) is theirs to know
    ...(doc.errors ? { errors: doc.errors.filter((e) => scope.includes(e.owner)) } : {}),
  };
}
