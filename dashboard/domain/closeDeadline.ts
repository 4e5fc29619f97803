// When a month should be closed: by the end of the 10th of the following month (UTC), so finance books the
// chargeback with the month after. The dashboard's metrics count the months past that and still open.
import { nextPeriod, periodOf } from "./period.js";

export const closeDeadlineDay = 10;

/** The moment after which `period` (YYYY-MM) counts as overdue while open: the 11th of the next month, 00:00 UTC. */
export function closeDeadline(period: string): number {
  return Date.parse(`${nextPeriod(period)}-${String(closeDeadlineDay + 1).padStart(2, "0")}T00:00:00Z`);
}

/**
 * The open months past their deadline: every month from the first metered hour's (or the one after the
 * latest closed month, whichever is later) whose deadline has passed at `now`.
 */
export function overdueOpenPeriods(
  now: number,
  firstHour: string | undefined,
  latestClosed: string | undefined,
): string[] {
  if (!firstHour) return [];
  let period = periodOf(firstHour);
  if (latestClosed && latestClosed >= period) period = nextPeriod(latestClosed);
  const overdue: string[] = [];
  for (; closeDeadline(period) <= now; period = nextPeriod(period)) overdue.push(period);
  return overdue;
}
