// Host-hours nobody metered: every host of the inventory is expected for each hour it existed in the
// month (up to now for the current month); the hours the ledger has no row for — metering was not
// running, or a host was added but never scraped — would otherwise bill as nothing, silently.
import type { LedgerDb, LedgerTrx } from "../data-access/database.js";
import { hostsRecordedHours, type HostRecordedHours } from "../data-access/usage.js";
import { currentPeriod, hourKey, hourStart, nextPeriod } from "../domain/period.js";

export interface UnmeteredHost {
  host: string;
  hours: number;
  /** The hours the host was expected in the month, as hour keys [from, to). */
  from: string;
  to: string;
}

export interface Unmetered {
  hours: number;
  /** Per host, by name. */
  hosts: UnmeteredHost[];
}

const hourMs = 3_600_000;

/** Expected (existence within [from, until)) minus recorded host-hours, per host. */
export function findUnmetered(hosts: readonly HostRecordedHours[], from: string, until: string): Unmetered {
  const result: Unmetered = { hours: 0, hosts: [] };
  for (const host of hosts) {
    const start = host.existedFrom > from ? host.existedFrom : from;
    const end = host.existedTo !== null && host.existedTo < until ? host.existedTo : until;
    const expected = Math.max(0, hourStart(end) - hourStart(start)) / hourMs;
    const missing = expected - host.recorded;
    if (missing <= 0) continue;
    result.hosts.push({ host: host.name, hours: missing, from: start, to: end });
    result.hours += missing;
  }
  return result;
}

/** The unmetered host-hours of a month, from one query. */
export async function unmeteredHours(db: LedgerDb | LedgerTrx, period: string, now: number): Promise<Unmetered> {
  if (period > currentPeriod(now)) return { hours: 0, hosts: [] };
  const from = `${period}-01T00`;
  // The hour in progress is not metered yet: the current month is expected up to its start.
  const until = period === currentPeriod(now) ? hourKey(now) : `${nextPeriod(period)}-01T00`;
  return findUnmetered(await hostsRecordedHours(db, period, from, until), from, until);
}

/** "bz-app-01 (744 h unmetered of 2026-10-01 to 2026-10-31), …": the first few hosts, for a one-line message. */
export function describeUnmetered(unmetered: Unmetered, shown = 3): string {
  const lastDay = (to: string): string => hourKey(hourStart(to) - hourMs).slice(0, 10);
  const named = unmetered.hosts.slice(0, shown).map((h) => {
    const first = h.from.slice(0, 10);
    const last = lastDay(h.to);
    return `${h.host} ${h.hours} h of ${first === last ? first : `${first} to ${last}`}`;
  });
  const more = unmetered.hosts.length - named.length;
  return more > 0 ? `${named.join(", ")} and ${more} more host${more === 1 ? "" : "s"}` : named.join(", ");
}
