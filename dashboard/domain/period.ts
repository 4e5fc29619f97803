// Months, days and hours as the ledger keys them: UTC, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDTHH`.
import { UsageError } from "../../errors.js";

const periodPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Validate a `YYYY-MM` period given by a user (flag or query parameter). */
export function parsePeriod(text: string, source = "--period"): string {
  if (!periodPattern.test(text))
    throw new UsageError(`${source} must be a month as YYYY-MM (e.g. 2026-10), got "${text}"`);
  return text;
}

export function daysInPeriod(period: string): number {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function hoursInPeriod(period: string): number {
  return daysInPeriod(period) * 24;
}

export function daysOf(period: string): string[] {
  return Array.from({ length: daysInPeriod(period) }, (_v, i) => `${period}-${String(i + 1).padStart(2, "0")}`);
}

export function firstDay(period: string): string {
  return `${period}-01`;
}

export function lastDay(period: string): string {
  return `${period}-${String(daysInPeriod(period)).padStart(2, "0")}`;
}

export function periodOf(dayOrHour: string): string {
  return dayOrHour.slice(0, 7);
}

export function nextPeriod(period: string): string {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, "0")}`;
}

export function previousPeriod(period: string): string {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, "0")}`;
}

/** The hour containing `date`, as `YYYY-MM-DDTHH`. */
export function hourKey(date: Date | number): string {
  return new Date(date).toISOString().slice(0, 13);
}

/** Epoch milliseconds of the start of an hour key. */
export function hourStart(key: string): number {
  return Date.parse(`${key}:00:00Z`);
}

export function addHours(key: string, hours: number): string {
  return hourKey(hourStart(key) + hours * 3_600_000);
}

/** Every hour key from `from` to `to`, both inclusive. */
export function hoursBetween(from: string, to: string): string[] {
  const result: string[] = [];
  for (let t = hourStart(from); t <= hourStart(to); t += 3_600_000) result.push(hourKey(t));
  return result;
}

export function isDay(text: string): boolean {
  return (
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(text) &&
    !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) &&
    new Date(`${text}T00:00:00Z`).toISOString().startsWith(text)
  );
}

export function currentPeriod(now: number = Date.now()): string {
  return new Date(now).toISOString().slice(0, 7);
}
