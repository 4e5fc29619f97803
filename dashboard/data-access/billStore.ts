// The imported cloud bill in the ledger (tables of migration 0009, focusMigration.ts): its groups, the
// billing periods with their totals and files, and the imported files by hash. Every SQL statement
// about the bill is here.
import type { Kysely } from "kysely";
import type { BillGroup, BillingPeriodTotals } from "../domain/billGroups.js";
import type { AllocationMethod } from "../domain/focus.js";
import { formatBillAmount, parseBillAmount } from "../domain/money.js";
import type { LedgerDb, LedgerTrx } from "./database.js";
import type { LedgerSchema } from "./schema.js";

// A type alias, not an interface: kysely's withTables needs an index-compatible record type.
export type BillSchema = {
  bill_groups: {
    billing_period: string;
    charge_period: string;
    invoice_id: string;
    department: string;
    method: string;
    service_category: string;
    service_name: string;
    charge_category: string;
    billed_cost: string;
    effective_cost: string;
    row_count: number;
  };
  bill_periods: {
    billing_period: string;
    currency: string;
    row_count: number;
    billed_cost: string;
    effective_cost: string;
    files: string;
    imported_at: string;
    imported_by: string;
  };
  bill_files: { sha256: string; name: string; row_count: number; billing_periods: string; imported_at: string };
  rate_proposals: { id: string; created_at: string; created_by: string; proposal: string; adopted_from: string | null };
};

type BillDb = Kysely<LedgerSchema & BillSchema>;
const bill = (db: LedgerDb | LedgerTrx): BillDb => db.withTables<BillSchema>();

export interface StoredBillFile {
  sha256: string;
  name: string;
  rows: number;
  billingPeriods: string[];
}

export async function knownBillFiles(db: LedgerDb | LedgerTrx, hashes: readonly string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await bill(db).selectFrom("bill_files").select("sha256").where("sha256", "in", hashes).execute();
  return new Set(rows.map((r) => r.sha256));
}

export interface StoredBillingPeriod extends BillingPeriodTotals {
  files: { name: string; sha256: string }[];
  importedAt: string;
  importedBy: string;
}

export async function billingPeriod(
  db: LedgerDb | LedgerTrx,
  period: string,
): Promise<StoredBillingPeriod | undefined> {
  const row = await bill(db)
    .selectFrom("bill_periods")
    .selectAll()
    .where("billing_period", "=", period)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    billingPeriod: row.billing_period,
    currency: row.currency,
    rows: row.row_count,
    billedCost: parseBillAmount(row.billed_cost, "billed_cost"),
    effectiveCost: parseBillAmount(row.effective_cost, "effective_cost"),
    files: JSON.parse(row.files) as { name: string; sha256: string }[],
    importedAt: row.imported_at,
    importedBy: row.imported_by,
  };
}

/** Every billing period imported, oldest first. */
export async function billingPeriods(db: LedgerDb | LedgerTrx): Promise<string[]> {
  const rows = await bill(db).selectFrom("bill_periods").select("billing_period").orderBy("billing_period").execute();
  return rows.map((r) => r.billing_period);
}

/**
 * Replace one billing period's groups and totals (inside the caller's transaction): a re-export of the
 * same period supersedes the earlier import as a whole.
 */
export async function replaceBillingPeriod(
  trx: LedgerTrx,
  period: StoredBillingPeriod,
  groups: readonly BillGroup[],
): Promise<void> {
  const db = bill(trx);
  await db.deleteFrom("bill_groups").where("billing_period", "=", period.billingPeriod).execute();
  await db.deleteFrom("bill_periods").where("billing_period", "=", period.billingPeriod).execute();
  await db
    .insertInto("bill_periods")
    .values({
      billing_period: period.billingPeriod,
      currency: period.currency,
      row_count: period.rows,
      billed_cost: formatBillAmount(period.billedCost),
      effective_cost: formatBillAmount(period.effectiveCost),
      files: JSON.stringify(period.files),
      imported_at: period.importedAt,
      imported_by: period.importedBy,
    })
    .execute();
  const values = groups.map((g) => ({
    billing_period: g.billingPeriod,
    charge_period: g.chargePeriod,
    invoice_id: g.invoiceId,
    department: g.department,
    method: g.method,
    service_category: g.serviceCategory,
    service_name: g.serviceName,
    charge_category: g.chargeCategory,
    billed_cost: formatBillAmount(g.billedCost),
    effective_cost: formatBillAmount(g.effectiveCost),
    row_count: g.rows,
  }));
  // 11 parameters a row: batches stay under SQLite's 32,766 and PostgreSQL's 65,535 bind parameters.
  for (let i = 0; i < values.length; i += 500)
    await db
      .insertInto("bill_groups")
      .values(values.slice(i, i + 500))
      .execute();
}

export async function recordBillFiles(trx: LedgerTrx, files: readonly StoredBillFile[], at: string): Promise<void> {
  const db = bill(trx);
  for (const f of files) {
    await db.deleteFrom("bill_files").where("sha256", "=", f.sha256).execute();
    await db
      .insertInto("bill_files")
      .values({
        sha256: f.sha256,
        name: f.name,
        row_count: f.rows,
        billing_periods: JSON.stringify(f.billingPeriods),
        imported_at: at,
      })
      .execute();
  }
}

/** The groups of a bill: those incurred in a month (`chargePeriod`) or billed in one (`billingPeriod`). */
export async function billGroups(
  db: LedgerDb | LedgerTrx,
  where: { chargePeriod?: string; billingPeriod?: string; from?: string; to?: string },
): Promise<BillGroup[]> {
  let query = bill(db).selectFrom("bill_groups").selectAll();
  if (where.chargePeriod !== undefined) query = query.where("charge_period", "=", where.chargePeriod);
  if (where.billingPeriod !== undefined) query = query.where("billing_period", "=", where.billingPeriod);
  if (where.from !== undefined) query = query.where("charge_period", ">=", where.from);
  if (where.to !== undefined) query = query.where("charge_period", "<=", where.to);
  const rows = await query.execute();
  return rows.map((r) => ({
    billingPeriod: r.billing_period,
    chargePeriod: r.charge_period,
    invoiceId: r.invoice_id,
    department: r.department,
    method: r.method as AllocationMethod,
    serviceCategory: r.service_category,
    serviceName: r.service_name,
    chargeCategory: r.charge_category,
    billedCost: parseBillAmount(r.billed_cost, "billed_cost"),
    effectiveCost: parseBillAmount(r.effective_cost, "effective_cost"),
    rows: r.row_count,
  }));
}

export interface StoredRateProposal {
  id: string;
  createdAt: string;
  createdBy: string;
  proposal: unknown;
  adoptedFrom: string | null;
}

export async function saveRateProposal(db: LedgerDb | LedgerTrx, p: StoredRateProposal): Promise<void> {
  await bill(db)
    .insertInto("rate_proposals")
    .values({
      id: p.id,
      created_at: p.createdAt,
      created_by: p.createdBy,
      proposal: JSON.stringify(p.proposal),
      adopted_from: p.adoptedFrom,
    })
    .execute();
}

export async function rateProposal(db: LedgerDb | LedgerTrx, id: string): Promise<StoredRateProposal | undefined> {
  const row = await bill(db).selectFrom("rate_proposals").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toProposal(row);
}

export async function latestRateProposal(db: LedgerDb | LedgerTrx): Promise<StoredRateProposal | undefined> {
  const row = await bill(db)
    .selectFrom("rate_proposals")
    .selectAll()
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row && toProposal(row);
}

export async function markProposalAdopted(db: LedgerDb | LedgerTrx, id: string, validFrom: string): Promise<void> {
  await bill(db).updateTable("rate_proposals").set({ adopted_from: validFrom }).where("id", "=", id).execute();
}

function toProposal(row: BillSchema["rate_proposals"]): StoredRateProposal {
  return {
    id: row.id,
    createdAt: row.created_at,
    createdBy: row.created_by,
    proposal: JSON.parse(row.proposal) as unknown,
    adoptedFrom: row.adopted_from,
  };
}
