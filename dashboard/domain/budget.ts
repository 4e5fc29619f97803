// The budget rules, once, for the CLI (`muniops ledger forecast`), the API and the pages: how a month's
// charge is projected to the month's end, what a month's budget is, and when a department is warned or
// over. Exact cents throughout; each division rounds once (divRound).
import { divRound, type Cents } from "./money.js";
import { currentPeriod, daysInPeriod } from "./period.js";

export type BudgetState = "ok" | "warning" | "over" | "no-budget";

/** How far a month has run: 0 days for a month not begun, `days` for a finished one. */
export interface MonthProgress {
  daysElapsed: number;
  days: number;
}

/** The month's progress at `now` (epoch ms, UTC): today counts as an elapsed day. */
export function monthProgress(period: string, now: number): MonthProgress {
  const days = daysInPeriod(period);
  const current = currentPeriod(now);
  const daysElapsed = period < current ? days : period > current ? 0 : new Date(now).getUTCDate();
  return { daysElapsed, days };
}

/**
 * A department's charge projected to the month's end. Only usage (compute and storage) grows with the
 * days; licences, shared costs and adjustments are charged for the whole month from its first day, so
 * scaling them too would overstate every projection early in the month. A month not begun projects to
 * its forecast (when there is one), a finished month to what was charged.
 */
export function projectMonth(charge: { total: Cents; usage: Cents }, progress: MonthProgress, forecast?: Cents): Cents {
  if (progress.daysElapsed <= 0) return forecast ?? charge.total;
  if (progress.daysElapsed >= progress.days) return charge.total;
  const fixed = charge.total - charge.usage;
  return fixed + divRound(charge.usage * BigInt(progress.days), BigInt(progress.daysElapsed));
}

/** The month's share of an annual budget, rounded to the cent; null when there is no budget. */
export function monthlyBudget(annual: Cents | null | undefined): Cents | null {
  return annual === null || annual === undefined ? null : divRound(annual, 12n);
}

export interface BudgetPosition {
  state: BudgetState;
  /** The larger of actual and projected as a percentage of the budget, two decimals; null without a budget. */
  usedPercent: number | null;
}

/**
 * Over when the larger of actual and projected exceeds the budget (exactly at budget is within it, and
 * warned); warning from 80 %; no-budget when none is set (or it is zero: nothing to compare with).
 */
export function budgetState(actual: Cents, projected: Cents, budget: Cents | null): BudgetPosition {
  if (budget === null || budget <= 0n) return { state: "no-budget", usedPercent: null };
  const worst = actual > projected ? actual : projected;
  const usedPercent = Number(divRound(worst * 10_000n, budget)) / 100;
  if (worst > budget) return { state: "over", usedPercent };
  if (worst * 100n >= budget * 80n) return { state: "warning", usedPercent };
  return { state: "ok", usedPercent };
}
