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
