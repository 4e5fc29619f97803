// The yearly figures of the patch rule for the BIO2 8.08.01 evidence, month by month, from the daily patch
// snapshots: the share of server-days within the rule (a waived breach counts as within, an unknown day not),
// the servers in breach and those mitigated by a waiver, and the mean time to patch. Pure: the snapshots and
// waivers come in, the judging is domain/patchCompliance.ts's.
//
// Time to patch: a server's pending security updates are patched between its last reading with one pending
// and the next reading with none pending (or a younger oldest one). The time counted is the age of the
// oldest update at that next reading (its last age plus the time between the readings): with daily
// snapshots it may overstate by up to a day, never understate.
import type { WaiverSet } from "../../policies/waivers.js";
import { hostPatchCompliance, type PatchState } from "./patchCompliance.js";

export interface PatchEvidenceMonth {
  month: string;
  /** Server-days with a snapshot, and distinct servers among them. */
  serverDays: number;
  servers: number;
  /** (within + mitigated) / all server-days, unknown ones included; null without snapshots. */
  shareWithinRule: number | null;
  /** Distinct servers in breach (unmitigated) on at least one day, and the breach server-days. */
  serversInBreach: number;
  breachDays: number;
  /** Distinct servers whose breach was mitigated by a waiver on at least one day, and the waivers used. */
  serversMitigated: number;
  waivers: string[];
  unknownDays: number;
  /** Pending security updates patched in the month, and their mean age when patched (days); null when none. */
  patched: number;
  meanTimeToPatchDays: number | null;
}

export interface PatchEvidence {
  year: number;
  months: PatchEvidenceMonth[];
  /** The year as a whole: server-day share, distinct servers, and the mean time to patch over every patch. */
  wholeYear: Omit<PatchEvidenceMonth, "month">;
}

const daySeconds = 86_400;

interface Tally {
  days: number;
  within: number;
  unknown: number;
  breachDays: number;
  servers: Set<string>;
  breached: Set<string>;
  mitigated: Set<string>;
  waivers: Set<string>;
  patchAges: number[];
}

const emptyTally = (): Tally => ({
  days: 0,
  within: 0,
  unknown: 0,
  breachDays: 0,
  servers: new Set(),
  breached: new Set(),
  mitigated: new Set(),
  waivers: new Set(),
  patchAges: [],
});

function summary(t: Tally): Omit<PatchEvidenceMonth, "month"> {
  return {
    serverDays: t.days,
    servers: t.servers.size,
    shareWithinRule: t.days === 0 ? null : t.within / t.days,
    serversInBreach: t.breached.size,
    breachDays: t.breachDays,
    serversMitigated: t.mitigated.size,
    waivers: [...t.waivers].sort(),
    unknownDays: t.unknown,
    patched: t.patchAges.length,
    meanTimeToPatchDays:
      t.patchAges.length === 0 ? null : t.patchAges.reduce((a, b) => a + b, 0) / t.patchAges.length / daySeconds,
  };
}

/** The age of the oldest security update when it was patched, if `next` shows `previous`'s pending ones gone. */
export function patchedAge(previous: PatchState, next: PatchState): number | null {
  if (!previous.securityPending || previous.securityOldestAgeSeconds === null) return null;
  if (next.securityPending === null || next.securityOldestAgeSeconds === null) return null;
  const elapsed = (Date.parse(next.at) - Date.parse(previous.at)) / 1000;
  const gone = next.securityPending === 0 || next.securityOldestAgeSeconds < previous.securityOldestAgeSeconds;
  return gone ? previous.securityOldestAgeSeconds + Math.max(0, elapsed) : null;
}

/** The year's figures; `snapshots` may hold other years (and the last day before, for a patch on 1 January). */
export function patchEvidence(year: number, snapshots: readonly PatchState[], waivers: WaiverSet): PatchEvidence {
  const months = new Map(
    Array.from({ length: 12 }, (_, i) => [`${year}-${String(i + 1).padStart(2, "0")}`, emptyTally()]),
  );
  const whole = emptyTally();
  const previous = new Map<string, PatchState>();
  const sorted = [...snapshots].sort((a, b) => a.at.localeCompare(b.at) || a.host.localeCompare(b.host));
  for (const s of sorted) {
    const before = previous.get(s.host);
    if (s.securityPending !== null && s.securityOldestAgeSeconds !== null) previous.set(s.host, s);
    const month = months.get(s.at.slice(0, 7));
    if (!month) continue;
    const h = hostPatchCompliance(s, waivers, s.at.slice(0, 10));
    const age = before ? patchedAge(before, s) : null;
    for (const t of [month, whole]) {
      t.days++;
      t.servers.add(s.host);
      if (h.verdict === "within" || h.verdict === "mitigated") t.within++;
      if (h.verdict === "unknown") t.unknown++;
      if (h.verdict === "breach") {
        t.breachDays++;
        t.breached.add(s.host);
      }
      if (h.mitigation) {
        t.mitigated.add(s.host);
        t.waivers.add(h.mitigation.waiverId);
      }
      if (age !== null) t.patchAges.push(age);
    }
  }
  return { year, months: [...months].map(([month, t]) => ({ month, ...summary(t) })), wholeYear: summary(whole) };
}
