// What makes a rate-card version usable: a price for every meter the chargeback prices, and nothing
// else. One function, called by the rates form, POST /api/v1/rates and `muniops ledger import`, so a
// version that would leave usage unpriced from its start date on never reaches the ledger.
import { rateKeys } from "./meters.js";

export interface RateCardProblem {
  /** The rate key at fault (e.g. `compute.vcpuHour`): callers name the field `prices.<key>`. */
  key: string;
  message: string;
}

/**
 * Every problem with a version's price keys: unknown keys (a typo would price nothing) and missing keys
 * (the usage of that meter would be unpriced). Values are checked by the caller's own schema.
 */
export function rateCardProblems(prices: Readonly<Record<string, unknown>>): RateCardProblem[] {
  const given = Object.keys(prices);
  const unknown = given.filter((key) => !rateKeys.includes(key));
  const missing = rateKeys.filter((key) => !given.includes(key) || isBlank(prices[key]));
  const meters = rateKeys.join(", ");
  return [
    ...unknown.map((key) => ({ key, message: `no meter "${key}": a rate card prices ${meters}` })),
    ...missing.map((key) => ({ key, message: `a price is required: a rate card prices every meter (${meters})` })),
  ];
}

/**
 * Whether a stored version may be replaced under its own date: one not yet in effect on `today` (nothing
 * was priced with it), or one missing prices (the usage it should price is unpriced: completing it is the
 * repair). Any other change is a new version with a new date; closed months stay protected by the ledger.
 */
export function correctableRateVersion(
  version: { validFrom: string; prices: Readonly<Record<string, unknown>> },
  today: string,
): boolean {
  return version.validFrom > today || rateCardProblems(version.prices).length > 0;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}
