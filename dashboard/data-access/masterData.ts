// Departments, hosts, shares, rate cards, licences and shared-cost items: read them all, and apply a set
// of changes in one transaction, each change audited with its before and after. A change that would alter
// what a closed month saw is refused.
import type { LedgerDb, LedgerTrx } from "./database.js";
import { writeAudit } from "./auditLog.js";
import { PeriodClosedError, latestClosedPeriod } from "./periods.js";
import { big } from "./schema.js";
import type {
  CostDriver,
  CostItem,
  Department,
  Host,
  LicenceAssignment,
  LicenceContract,
  LicenceProduct,
  LicenceType,
  MasterData,
  RateVersion,
  Share,
} from "../domain/records.js";
import { entityKinds, type EntityKind } from "../domain/records.js";

export async function loadMasterData(db: LedgerDb | LedgerTrx): Promise<MasterData> {
  const [pricing, hosts, shares] = await Promise.all([
    loadPricingData(db),
    db.selectFrom("hosts").selectAll().orderBy("name").execute(),
    db.selectFrom("shares").selectAll().orderBy("name").execute(),
  ]);
  return {
    departments: pricing.departments,
    hosts: hosts.map((r) => ({
      name: r.name,
      department: r.department,
      service: r.service,
      environment: r.environment,
      vcpus: r.vcpus,
      memoryMib: r.memory_mib,
      existedFrom: r.existed_from,
      existedTo: r.existed_to,
    })),
    shares: shares.map((r) => ({
      name: r.name,
      department: r.department,
      quotaGib: r.quota_gib,
      tier: r.tier,
      existedFrom: r.existed_from,
      existedTo: r.existed_to,
    })),
    rateVersions: pricing.rateVersions,
    licenceProducts: pricing.licenceProducts,
    licenceContracts: pricing.licenceContracts,
    licenceAssignments: pricing.licenceAssignments,
    costItems: pricing.costItems,
  };
}

/** The master data a month's chargeback prices with: everything but the inventory (hosts and shares). */
export type PricingData = Omit<MasterData, "hosts" | "shares">;

/**
 * The master data without hosts and shares. Usage is metered per host but priced per department, so a
 * chargeback needs no inventory: reading 10,000 hosts for it would cost more than the month's usage.
 */
export async function loadPricingData(db: LedgerDb | LedgerTrx): Promise<PricingData> {
  const [departments, versions, prices, products, contracts, assignments, items] = await Promise.all([
    db.selectFrom("departments").selectAll().orderBy("id").execute(),
    db.selectFrom("rate_versions").selectAll().orderBy("valid_from").execute(),
    db.selectFrom("rate_prices").selectAll().orderBy("meter").execute(),
    db.selectFrom("licence_products").selectAll().orderBy("id").execute(),
    db.selectFrom("licence_contracts").selectAll().orderBy("id").execute(),
    db.selectFrom("licence_assignments").selectAll().orderBy("id").execute(),
    db.selectFrom("cost_items").selectAll().orderBy("id").execute(),
  ]);
  return {
    departments: departments.map((r) => ({
      id: r.id,
      name: r.name,
      costCenter: r.cost_center,
      headcount: r.headcount,
      annualBudgetCents: r.annual_budget_cents === null ? null : big(r.annual_budget_cents),
    })),
    rateVersions: versions.map((v) => ({
      validFrom: v.valid_from,
      note: v.note,
      prices: Object.fromEntries(
        prices.filter((p) => p.valid_from === v.valid_from).map((p) => [p.meter, big(p.micro_eur)]),
      ),
    })),
    licenceProducts: products.map((r) => ({ id: r.id, name: r.name, licenceType: r.licence_type as LicenceType })),
    licenceContracts: contracts.map((r) => ({
      id: r.id,
      productId: r.product_id,
      quantity: r.quantity,
      unitPriceMicroEur: big(r.unit_price_micro_eur),
      startDate: r.start_date,
      endDate: r.end_date,
      supplier: r.supplier,
      purchaseOrder: r.purchase_order,
    })),
    licenceAssignments: assignments.map((r) => ({
      id: r.id,
      productId: r.product_id,
      department: r.department,
      seats: r.seats,
      validFrom: r.valid_from,
      validTo: r.valid_to,
    })),
    costItems: items.map((r) => ({
      id: r.id,
      name: r.name,
      monthlyCents: big(r.monthly_cents),
      driver: r.driver as CostDriver,
      percentages: r.percentages === null ? null : (JSON.parse(r.percentages) as Record<string, number>),
      validFrom: r.valid_from,
      validTo: r.valid_to,
      ...(r.metric !== null ? { metric: r.metric } : {}),
    })),
  };
}

interface KindSpec<T> {
  table: string;
  idOf(record: T): string;
  /** The record's effective date range, when it has one: changes inside a closed month are refused. */
  range?(record: T): { from: string; to: string | null };
  write(trx: LedgerTrx, record: T): Promise<void>;
  remove(trx: LedgerTrx, id: string): Promise<void>;
}

const specs: { [K in EntityKind]: KindSpec<MasterData[K][number]> } = {
  departments: {
    table: "departments",
    idOf: (d: Department) => d.id,
    write: async (trx, d: Department) => {
      const row = {
        id: d.id,
        name: d.name,
        cost_center: d.costCenter,
        headcount: d.headcount,
        annual_budget_cents: d.annualBudgetCents === null ? null : d.annualBudgetCents.toString(),
      };
      await trx
        .insertInto("departments")
        .values(row)
        .onConflict((oc) => oc.column("id").doUpdateSet(row))
        .execute();
    },
    remove: async (trx, id) => {
      await trx.deleteFrom("departments").where("id", "=", id).execute();
    },
  },
  hosts: {
    table: "hosts",
    idOf: (h: Host) => h.name,
    write: async (trx, h: Host) => {
      const row = {
        name: h.name,
        department: h.department,
        service: h.service,
        environment: h.environment,
        vcpus: h.vcpus,
        memory_mib: h.memoryMib,
        existed_from: h.existedFrom,
        existed_to: h.existedTo,
      };
      await trx
        .insertInto("hosts")
        .values(row)
        .onConflict((oc) => oc.column("name").doUpdateSet(row))
        .execute();
    },
    remove: async (trx, id) => {
      await trx.deleteFrom("hosts").where("name", "=", id).execute();
    },
  },
  shares: {
    table: "shares",
    idOf: (s: Share) => s.name,
    write: async (trx, s: Share) => {
      const row = {
        name: s.name,
        department: s.department,
        quota_gib: s.quotaGib,
        tier: s.tier,
        existed_from: s.existedFrom,
        existed_to: s.existedTo,
      };
      await trx
        .insertInto("shares")
        .values(row)
        .onConflict((oc) => oc.column("name").doUpdateSet(row))
        .execute();
    },
    remove: async (trx, id) => {
      await trx.deleteFrom("shares").where("name", "=", id).execute();
    },
  },
  rateVersions: {
    table: "rate_versions",
    idOf: (v: RateVersion) => v.validFrom,
    range: (v: RateVersion) => ({ from: v.validFrom, to: null }),
    write: async (trx, v: RateVersion) => {
      await trx.deleteFrom("rate_prices").where("valid_from", "=", v.validFrom).execute();
      await trx
        .insertInto("rate_versions")
        .values({ valid_from: v.validFrom, note: v.note })
        .onConflict((oc) => oc.column("valid_from").doUpdateSet({ note: v.note }))
        .execute();
      const prices = Object.entries(v.prices).map(([meter, micro]) => ({
        valid_from: v.validFrom,
        meter,
        micro_eur: micro.toString(),
      }));
      if (prices.length > 0) await trx.insertInto("rate_prices").values(prices).execute();
    },
    remove: async (trx, id) => {
      await trx.deleteFrom("rate_versions").where("valid_from", "=", id).execute();
    },
  },
  licenceProducts: {
    table: "licence_products",
    idOf: (p: LicenceProduct) => p.id,
    write: async (trx, p: LicenceProduct) => {
      const row = { id: p.id, name: p.name, licence_type: p.licenceType };
      await trx
        .insertInto("licence_products")
        .values(row)
        .onConflict((oc) => oc.column("id").doUpdateSet(row))
        .execute();
    },
    remove: async (trx, id) => {
      await trx.deleteFrom("licence_products").where("id", "=", id).execute();
    },
  },
  licenceContracts: {
    table: "licence_contracts",
    idOf: (c: LicenceContract) => c.id,
    range: (c: LicenceContract) => ({ from: c.startDate, to: c.endDate }),
    write: async (trx, c: LicenceContract) => {
      const row = {
        id: c.id,
        product_id: c.productId,
        quantity: c.quantity,
        unit_price_micro_eur: c.unitPriceMicroEur.toString(),
        start_date: c.startDate,
        end_date: c.endDate,
        supplier: c.supplier,
        purchase_order: c.purchaseOrder,
      };
      await trx
        .insertInto("licence_contracts")
        .values(row)
        .onConflict((oc) => oc.column("id").doUpdateSet(row))
        .execute();
    },
    remove: async (trx, id) => {
      await trx.deleteFrom("licence_contracts").where("id", "=", id).execute();
    },
  },
  licenceAssignments: {
    table: "licence_assignments",
    idOf: (a: LicenceAssignment) => a.id,
    range: (a: LicenceAssignment) => ({ from: a.validFrom, to: a.validTo }),
    write: async (trx, a: LicenceAssignment) => {
      const row = {
        id: a.id,
        product_id: a.productId,
        department: a.department,
        seats: a.seats,
        valid_from: a.validFrom,
        valid_to: a.validTo,
      };
      await trx
        .insertInto("licence_assignments")
        .values(row)
        .onConflict((oc) => oc.column("id").doUpdateSet(row))
        .execute();
    },
    remove: async (trx, id) => {
      await trx.deleteFrom("licence_assignments").where("id", "=", id).execute();
    },
  },
  costItems: {
    table: "cost_items",
    idOf: (i: CostItem) => i.id,
    range: (i: CostItem) => ({ from: i.validFrom, to: i.validTo }),
    write: async (trx, i: CostItem) => {
      const row = {
        id: i.id,
        name: i.name,
        monthly_cents: i.monthlyCents.toString(),
        driver: i.driver,
        percentages: i.percentages === null ? null : JSON.stringify(i.percentages),
        valid_from: i.validFrom,
        valid_to: i.validTo,
        metric: i.metric ?? null,
      };
      await trx
        .insertInto("cost_items")
        .values(row)
        .onConflict((oc) => oc.column("id").doUpdateSet(row))
        .execute();
    },
    remove: async (trx, id) => {
      await trx.deleteFrom("cost_items").where("id", "=", id).execute();
    },
  },
};

/**
 * A record as JSON for comparison: bigints as decimal strings, and every object's keys sorted, so a record
 * (or a fixed split's departments) written in another order is the same record, not a change.
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/**
 * Whether a change leaves every closed day as it was: a record whose only change is a date range that
 * differs after the closed days is fine (ending a contract next month); anything else touching a closed
 * day is not.
 */
function changesClosedDays<T>(
  spec: KindSpec<T>,
  before: T | undefined,
  after: T | undefined,
  closedUntil: string,
): boolean {
  if (!spec.range) return false;
  const clip = (record: T | undefined): string => {
    if (record === undefined) return "none";
    const { from, to } = spec.range?.(record) ?? { from: "", to: null };
    if (from > closedUntil) return "none";
    const { validFrom: _vf, validTo: _vt, startDate: _sd, endDate: _ed, ...rest } = record as Record<string, unknown>;
    return canonicalJson({ from, to: to === null || to > closedUntil ? closedUntil : to, rest });
  };
  return clip(before) !== clip(after);
}

export interface ChangeSummary {
  kind: EntityKind;
  id: string;
  action: "create" | "update" | "delete";
}

/**
 * Apply creates/updates (records given) and deletes (ids given) inside `trx`, auditing each one. Unchanged
 * records are skipped and not audited. Throws PeriodClosedError before writing anything closed.
 */
export async function applyMasterDataChanges(
  trx: LedgerTrx,
  changes: Partial<MasterData>,
  deletes: Partial<Record<EntityKind, string[]>>,
  actor: string,
): Promise<ChangeSummary[]> {
  const existing = await loadMasterData(trx);
  const latest = await latestClosedPeriod(trx);
  const closedUntil = latest ? `${latest.period}-31` : "";
  const at = new Date().toISOString();
  const summary: ChangeSummary[] = [];
  for (const kind of entityKinds) {
    const spec = specs[kind] as KindSpec<unknown>;
    const current = new Map((existing[kind] as unknown[]).map((r) => [spec.idOf(r), r]));
    for (const record of (changes[kind] ?? []) as unknown[]) {
      const id = spec.idOf(record);
      const before = current.get(id);
      if (before !== undefined && canonicalJson(before) === canonicalJson(record)) continue;
      if (latest && changesClosedDays(spec, before, record, closedUntil))
        throw new PeriodClosedError(latest.period, `changing ${kind} ${id}`);
      await spec.write(trx, record);
      const action = before === undefined ? "create" : "update";
      await writeAudit(trx, { actor, action, entity: kind, entityId: id, before: before ?? null, after: record, at });
      summary.push({ kind, id, action });
    }
  }
  for (const kind of [...entityKinds].reverse()) {
    const spec = specs[kind] as KindSpec<unknown>;
    const current = new Map((existing[kind] as unknown[]).map((r) => [spec.idOf(r), r]));
    for (const id of deletes[kind] ?? []) {
      const before = current.get(id);
      if (before === undefined) continue;
      if (latest && changesClosedDays(spec, before, undefined, closedUntil))
        throw new PeriodClosedError(latest.period, `deleting ${kind} ${id}`);
      await spec.remove(trx, id);
      await writeAudit(trx, { actor, action: "delete", entity: kind, entityId: id, before, after: null, at });
      summary.push({ kind, id, action: "delete" });
    }
  }
  return summary;
}
