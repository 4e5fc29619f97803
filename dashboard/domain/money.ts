// Money is integer cents (bigint); rates are integer millionths of a euro. Never floating point: every
// division rounds once, explicitly, and what rounding loses or gains goes to a named line.
import { UsageError } from "../../errors.js";

export type Cents = bigint;

/** "1234.56" (no thousands separator: this is the API and CSV form). */
export function formatEuros(cents: Cents): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** Parse a decimal euro amount with at most `decimals` decimals into an integer of 10^-decimals euros. */
export function parseDecimal(text: string, decimals: number, what: string): bigint {
  const trimmed = text.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(trimmed);
  if (!match) throw new UsageError(`${what} must be a decimal amount in euros like 12.50, got "${text}"`);
  const fraction = match[3] ?? "";
  if (fraction.length > decimals) throw new UsageError(`${what} has more than ${decimals} decimals: "${text}"`);
  const value = BigInt(match[2] ?? "0") * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
  return match[1] === "-" ? -value : value;
}

export const parseCents = (text: string, what: string): Cents => parseDecimal(text, 2, what);
export const parseMicroEuros = (text: string, what: string): bigint => parseDecimal(text, 6, what);

export function formatMicroEuros(micro: bigint): string {
  const negative = micro < 0n;
  const abs = negative ? -micro : micro;
  const text = `${abs / 1_000_000n}.${(abs % 1_000_000n).toString().padStart(6, "0")}`.replace(
    /(\.\d{2}\d*?)0+$/,
    "$1",
  );
  return `${negative ? "-" : ""}${text}`;
}

/** numerator / denominator rounded half away from zero. */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new Error("denominator must be positive");
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const quotient = (abs * 2n + denominator) / (2n * denominator);
  return negative ? -quotient : quotient;
}

/**
 * Split `total` cents over `weights` in proportion, exactly: floor shares, then the leftover cents go to
 * the largest remainders (ties to the earlier entry, so the split is deterministic). Returns undefined
 * when every weight is zero (nobody to charge).
 */
export function allocate(total: Cents, weights: readonly bigint[]): Cents[] | undefined {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum <= 0n) return undefined;
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const shares = weights.map((w) => (abs * w) / sum);
  let leftover = abs - shares.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((w, i) => ({ i, remainder: (abs * w) % sum }))
    .sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
  for (const { i } of order) {
    if (leftover === 0n) break;
    shares[i] = (shares[i] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return negative ? shares.map((s) => -s) : shares;
}

/**
 * A cloud bill's amounts (FOCUS: decimals with up to 10 places) as integers of 10^-10 euros, summed exactly
 * and rounded to cents only at the end (`billToCents`).
 */
export type BillAmount = bigint;
export const billScale = 10;
const billUnit = 10n ** BigInt(billScale);

/**
 * Parse one FOCUS amount: plain decimals ("12.3456789012"), exponent notation as some writers print tiny
 * values ("1.2E-05"), or a number read from Parquet (its shortest decimal form). Digits past the tenth
 * decimal are rounded half away from zero. Empty means zero (FOCUS allows null costs on some rows).
 */
export function parseBillAmount(value: string | number | bigint | null | undefined, what: string): BillAmount {
  if (value === null || value === undefined) return 0n;
  if (typeof value === "bigint") return value * billUnit;
  const text = (typeof value === "number" ? String(value) : value).trim();
  if (text === "") return 0n;
  // the common form, "-12.3456789012" (at most ten decimals), without the general parse's arithmetic
  const plain = /^(-?)(\d+)(?:\.(\d{0,10}))?$/.exec(text);
  if (plain) {
    const units = BigInt(`${plain[2] ?? "0"}${(plain[3] ?? "").padEnd(billScale, "0")}`);
    return plain[1] === "-" ? -units : units;
  }
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match || (match[2] === "" && (match[3] ?? "") === ""))
    throw new UsageError(`${what} is not a number: "${text}"`);
  const digits = `${match[2] ?? ""}${match[3] ?? ""}`;
  // value = digits × 10^(exponent − decimals); bring it to 10^-billScale units.
  const shift = Number(match[4] ?? "0") - (match[3] ?? "").length + billScale;
  if (Math.abs(shift) > 400) throw new UsageError(`${what} is out of range: "${text}"`);
  const units = shift >= 0 ? BigInt(digits) * 10n ** BigInt(shift) : divRound(BigInt(digits), 10n ** BigInt(-shift));
  return match[1] === "-" ? -units : units;
}

/** A bill amount rounded half away from zero to cents: the one rounding a bill's sums get. */
export function billToCents(amount: BillAmount): Cents {
  return divRound(amount, billUnit / 100n);
}

/** A bill amount exactly, with all ten decimals ("12.3456789012"): how the ledger stores sums. */
export function formatBillAmount(amount: BillAmount): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  return `${negative ? "-" : ""}${abs / billUnit}.${(abs % billUnit).toString().padStart(billScale, "0")}`;
}

/** Whole cents as a bill amount (the demo prices its generated bill in cents). */
export function centsToBill(cents: Cents): BillAmount {
  return cents * (billUnit / 100n);
}

/**
 * `part / whole` as a decimal string with `decimals` places (half away from zero), or null when the whole
 * is zero: recovery ratios and shares, computed on the exact amounts.
 */
export function formatRatio(part: bigint, whole: bigint, decimals = 4): string | null {
  if (whole === 0n) return null;
  const scale = 10n ** BigInt(decimals);
  const negative = part < 0n !== whole < 0n && part !== 0n;
  const abs = divRound((part < 0n ? -part : part) * scale, whole < 0n ? -whole : whole);
  return `${negative ? "-" : ""}${abs / scale}.${(abs % scale).toString().padStart(decimals, "0")}`;
}

/**
 * Round the parts of a bill to cents so that they add up to the rounded whole: each part is floored to
 * the cent, and the cents the flooring lost go to the parts with the largest remainders (ties to the
 * earlier part). A reconciliation's departments + unallocated then equal its total, to the cent.
 */
export function billPartsToCents(parts: readonly BillAmount[]): Cents[] {
  const unit = billUnit / 100n;
  const floorDiv = (a: bigint): bigint => (a >= 0n ? a / unit : -((-a + unit - 1n) / unit));
  const floors = parts.map(floorDiv);
  const whole = billToCents(parts.reduce((a, b) => a + b, 0n));
  let leftover = whole - floors.reduce((a, b) => a + b, 0n);
  const order = parts
    .map((p, i) => ({ i, remainder: p - (floors[i] ?? 0n) * unit }))
    .sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
  const cents = [...floors];
  for (const { i } of order) {
    if (leftover <= 0n) break;
    cents[i] = (cents[i] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return cents;
}
