// The chargeback use case the CLI and the web API (issue 7) call: `chargeback(ledger, "2026-10")`.
// An open month is computed from the ledger; a closed month is read back from its frozen statement.
import type { Ledger, LedgerDb, LedgerTrx } from "../data-access/database.js";
import { loadPricingData, type PricingData } from "../data-access/masterData.js";
import { adjustmentsFor, closedPeriod, statementStatuses } from "../data-access/periods.js";
import { closeRecordOf } from "../data-access/ledgerChain.js";
import { usageAggregates } from "../data-access/usage.js";
import { meteredQuantitiesFor } from "../data-access/meteredUsage.js";
import { chargebackJson, type ChargebackJson } from "../domain/chargeback.js";
import { computeChargeback, type ChargebackInput, type ChargebackResult } from "../domain/chargebackEngine.js";
import { parsePeriod } from "../domain/period.js";
import { unmeteredHours, type Unmetered } from "./chargebackUnmetered.js";

/** A computed month with the hosts behind its unmetered hours (the close names them). */
export interface PeriodChargeback extends ChargebackResult {
  unmetered: Unmetered;
}

/**
 * Compute an open month from the ledger (inside `db`, which may be a transaction). A caller computing many
 * months may pass the master data it already loaded (all of it or just the pricing part). `now` bounds the
 * hours the current month is expected to have been metered.
 */
export async function computePeriod(
  db: LedgerDb | LedgerTrx,
  period: string,
  preloaded?: PricingData,
  now = Date.now(),
): Promise<PeriodChargeback> {
  const [input, unmetered] = await Promise.all([monthInput(db, period, preloaded), unmeteredHours(db, period, now)]);
  return { ...computeChargeback({ ...input, unmeteredHours: unmetered.hours }), unmetered };
}

/** What an open month's charges are computed from, read in parallel: prices and master data, usage, adjustments. */
async function monthInput(db: LedgerDb | LedgerTrx, period: string, preloaded?: PricingData): Promise<ChargebackInput> {
  const [pricing, usage, adjustments, metered] = await Promise.all([
    preloaded ?? loadPricingData(db),
    usageAggregates(db, period),
    adjustmentsFor(db, period),
    meteredQuantitiesFor(db, period),
  ]);
  return { period, ...pricing, usage, adjustments, metered };
}

/** The chargeback of a month: frozen if closed, computed from the ledger if open. */
export async function chargeback(
  ledger: Ledger,
  period: string,
  preloaded?: PricingData,
  now = Date.now(),
): Promise<ChargebackJson> {
  return (
    (await closedChargeback(ledger, period)) ??
    chargebackJson(await computePeriod(ledger.db, period, preloaded, now), "open")
  );
}

/**
 * A month's charges without counting its unmetered host-hours (`unmeteredHours` absent): for views that
 * show only totals, such as the overview's twelve-month trend, where that count is the costliest part of
 * an open month (one query per host) and is shown nowhere. Closed months are the same as `chargeback`'s.
 */
export async function chargebackTotals(
  ledger: Ledger,
  period: string,
  preloaded?: PricingData,
): Promise<ChargebackJson> {
  const closed = await closedChargeback(ledger, period);
  if (closed) return closed;
  const { unmeteredHours: _notCounted, ...totals } = chargebackJson(
    computeChargeback(await monthInput(ledger.db, period, preloaded)),
    "open",
  );
  return totals;
}

/** A closed month's frozen statement with its sign-offs, or undefined while the month is open. */
async function closedChargeback(ledger: Ledger, period: string): Promise<ChargebackJson | undefined> {
  parsePeriod(period, "period");
  const closed = await closedPeriod(ledger.db, period);
  if (!closed) return undefined;
  const statement = JSON.parse(closed.statement) as ChargebackJson;
  const signOff = await statementStatuses(ledger.db, period);
  const chain = await closeRecordOf(ledger.db, period);
  const closedBy = {
    at: closed.closedAt,
    by: closed.closedBy,
    hash: closed.hash,
    prevHash: closed.prevHash,
    ...(chain ? { chain } : {}),
  };
  return { ...statement, status: "closed", closed: closedBy, signOff };
}
