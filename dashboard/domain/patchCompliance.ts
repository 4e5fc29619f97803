// The patch rule (BIO2 measure 8.08.01: high-risk vulnerabilities mitigated within a week), in one place:
// every surface (the page, the API, the daily snapshot, the yearly evidence) calls these functions.
//
// Per server: a security update pending for MORE than 7 days is a breach (exactly 7 days is still within);
// a breach is mitigated while a waiver names the server or its department, carries a risk-analysis
// reference, is valid and has not expired. A server whose agent reports no patch state is "unknown": it
// is not counted as within the rule, since nothing evidences it. A pending reboot is its own backlog
// (installed updates are not active until the restart), reported with its age but not a breach.
import type { WaiverSet } from "../../policies/waivers.js";
import { patchRuleCheckId } from "../../policies/hostChecks.js";

/** BIO2 8.08.01: the week. */
export const patchRuleDays = 7;
const daySeconds = 86_400;
export const patchRuleSeconds = patchRuleDays * daySeconds;

/** What an agent's `updates` collector says about one server at one time. */
export interface PatchState {
  host: string;
  department: string | null;
  /** When the state was read (ISO time). */
  at: string;
  /** Pending security updates; null when the agent reports no patch state. */
  securityPending: number | null;
  otherPending: number | null;
  /** Seconds the oldest pending security update has waited (0 when none is pending). */
  securityOldestAgeSeconds: number | null;
  rebootRequired: boolean | null;
  /** Seconds since a reboot became required (0 when none is). */
  rebootRequiredAgeSeconds: number | null;
}

export type PatchVerdict = "within" | "breach" | "mitigated" | "unknown";

export interface PatchMitigation {
  waiverId: string;
  riskAnalysis: string;
  expiresOn: string;
  /** Whether the waiver names the server itself or its whole department. */
  scope: "host" | "department";
}

export interface HostPatchCompliance extends PatchState {
  verdict: PatchVerdict;
  /** The waiver that mitigates a breach; null unless the verdict is "mitigated". */
  mitigation: PatchMitigation | null;
  /** Whole days the oldest security update has waited (floor); null when unknown. */
  securityPendingDays: number | null;
  /** Whole days a reboot has been pending; null when none is pending or unknown. */
  rebootPendingDays: number | null;
}

/** Whether the security updates on a server breach the rule: pending longer than 7 days. */
export function breachesPatchRule(state: Pick<PatchState, "securityPending" | "securityOldestAgeSeconds">): boolean {
  return (state.securityPending ?? 0) > 0 && (state.securityOldestAgeSeconds ?? 0) > patchRuleSeconds;
}

/**
 * The waiver that mitigates a breach on `host` on `day` (YYYY-MM-DD), if any: valid (not "invalid"), for the
 * patch rule's check, naming the host or its department, with a risk-analysis reference, approved on or
 * before `day` and expiring on or after it (a waiver is good through its expiry date).
 */
export function patchMitigation(
  waivers: WaiverSet,
  host: string,
  department: string | null,
  day: string,
): PatchMitigation | null {
  for (const status of waivers.statuses) {
    const waiver = status.waiver;
    if (status.state === "invalid" || !waiver || !waiver.policies.includes(patchRuleCheckId)) continue;
    const riskAnalysis = waiver.riskAnalysis.trim();
    if (!riskAnalysis || waiver.approvedOn > day || waiver.expiresOn < day) continue;
    const byHost = waiver.scope.hosts?.includes(host) === true;
    const byDepartment = department !== null && waiver.scope.departments?.includes(department) === true;
    if (byHost || byDepartment)
      return { waiverId: waiver.id, riskAnalysis, expiresOn: waiver.expiresOn, scope: byHost ? "host" : "department" };
  }
  return null;
}

/** One server against the rule on `day`. */
export function hostPatchCompliance(state: PatchState, waivers: WaiverSet, day: string): HostPatchCompliance {
  const known = state.securityPending !== null && state.securityOldestAgeSeconds !== null;
  const breach = known && breachesPatchRule(state);
  const mitigation = breach ? patchMitigation(waivers, state.host, state.department, day) : null;
  const verdict: PatchVerdict = !known ? "unknown" : !breach ? "within" : mitigation ? "mitigated" : "breach";
  const rebootAge = state.rebootRequired ? (state.rebootRequiredAgeSeconds ?? 0) : null;
  return {
    ...state,
    verdict,
    mitigation,
    securityPendingDays:
      state.securityOldestAgeSeconds === null ? null : Math.floor(state.securityOldestAgeSeconds / daySeconds),
    rebootPendingDays: rebootAge === null ? null : Math.floor(rebootAge / daySeconds),
  };
}

export interface PatchTally {
  servers: number;
  within: number;
  breach: number;
  mitigated: number;
  unknown: number;
  /** (within + mitigated) / servers; null without servers. */
  shareWithinRule: number | null;
  rebootPending: number;
  /** The longest a reboot has been pending among these servers, in whole days; null when none is. */
  longestRebootPendingDays: number | null;
}

/** The share of servers within the rule: a mitigated breach counts as within, an unknown server does not. */
export function patchTally(hosts: readonly HostPatchCompliance[]): PatchTally {
  const count = (v: PatchVerdict): number => hosts.filter((h) => h.verdict === v).length;
  const reboots = hosts.flatMap((h) => (h.rebootPendingDays === null ? [] : [h.rebootPendingDays]));
  const within = count("within");
  const mitigated = count("mitigated");
  return {
    servers: hosts.length,
    within,
    breach: count("breach"),
    mitigated,
    unknown: count("unknown"),
    shareWithinRule: hosts.length === 0 ? null : (within + mitigated) / hosts.length,
    rebootPending: reboots.length,
    longestRebootPendingDays: reboots.length === 0 ? null : Math.max(...reboots),
  };
}

export interface PatchCompliance {
  day: string;
  overall: PatchTally;
  departments: { department: string | null; tally: PatchTally }[];
  hosts: HostPatchCompliance[];
}

/** The whole fleet on `day`: per server, per department (servers without one under null) and overall. */
export function patchCompliance(states: readonly PatchState[], waivers: WaiverSet, day: string): PatchCompliance {
  const hosts = states.map((s) => hostPatchCompliance(s, waivers, day)).sort(byUrgency);
  const byDepartment = new Map<string | null, HostPatchCompliance[]>();
  for (const h of hosts) byDepartment.set(h.department, [...(byDepartment.get(h.department) ?? []), h]);
  const departments = [...byDepartment]
    .map(([department, list]) => ({ department, tally: patchTally(list) }))
    .sort((a, b) => (a.department ?? "\uffff").localeCompare(b.department ?? "\uffff"));
  return { day, overall: patchTally(hosts), departments, hosts };
}

const urgency: Record<PatchVerdict, number> = { breach: 0, unknown: 1, mitigated: 2, within: 3 };

/** Breaches first (longest pending first), then unknown, mitigated and within; then by name. */
function byUrgency(a: HostPatchCompliance, b: HostPatchCompliance): number {
  return (
    urgency[a.verdict] - urgency[b.verdict] ||
    (b.securityOldestAgeSeconds ?? 0) - (a.securityOldestAgeSeconds ?? 0) ||
    a.host.localeCompare(b.host)
  );
}
