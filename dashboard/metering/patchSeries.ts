// The agents' patch series (the `updates` collector: contracts/metrics.ts) read into the patch rule's input,
// in both metering modes: from one scrape's exposition (embedded) or from PromQL instant queries
// (Prometheus), where the department comes from file_sd's label. Reading only; the rule is in
// domain/patchCompliance.ts.
import { agentMetrics } from "../../contracts/metrics.js";
import type { PatchState } from "../domain/patchCompliance.js";
import type { ExposedSample } from "./exposition.js";
import { instantQuery } from "./promqlInstant.js";

const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

/**
 * A server's patch state from one scrape. Series summed over `backend` (a machine may report apt and a
 * second source); the oldest age is the largest. A scrape without pending counts (no updates collector, or
 * no successful check yet) gives nulls: the rule calls the server unknown.
 */
export function patchStateFromExposition(
  host: string,
  department: string | null,
  at: string,
  samples: readonly ExposedSample[],
): PatchState {
  let security: number | undefined;
  let other: number | undefined;
  let oldest: number | undefined;
  let reboot: number | undefined;
  let rebootAge: number | undefined;
  const add = (a: number | undefined, v: number): number => (a ?? 0) + v;
  const max = (a: number | undefined, v: number): number => Math.max(a ?? 0, v);
  for (const s of samples) {
    if (!Number.isFinite(s.value)) continue;
    if (s.name === agentMetrics.updatesPending.name) {
      if (s.labels.kind === "security") security = add(security, s.value);
      else if (s.labels.kind === "other") other = add(other, s.value);
    } else if (s.name === agentMetrics.updatesSecurityOldestAgeSeconds.name) oldest = max(oldest, s.value);
    else if (s.name === agentMetrics.rebootRequired.name) reboot = max(reboot, s.value);
    else if (s.name === agentMetrics.rebootRequiredAgeSeconds.name) rebootAge = max(rebootAge, s.value);
  }
  const known = security !== undefined;
  return {
    host,
    department,
    at,
    securityPending: finite(security),
    otherPending: finite(other),
    securityOldestAgeSeconds: known ? (oldest ?? 0) : null,
    rebootRequired: reboot === undefined ? null : reboot >= 1,
    rebootRequiredAgeSeconds: finite(rebootAge),
  };
}

/** The PromQL instant queries, one vector per field, by host and department. */
export const patchQueries = {
  security: `sum by (host, department) (${agentMetrics.updatesPending.name}{kind="security"})`,
  other: `sum by (host, department) (${agentMetrics.updatesPending.name}{kind="other"})`,
  oldest: `max by (host, department) (${agentMetrics.updatesSecurityOldestAgeSeconds.name})`,
  reboot: `max by (host, department) (${agentMetrics.rebootRequired.name})`,
  rebootAge: `max by (host, department) (${agentMetrics.rebootRequiredAgeSeconds.name})`,
} as const;

/** Every server's patch state as Prometheus has it now; servers without the pending series are left out. */
export async function promqlPatchStates(
  baseUrl: string,
  options: { timeoutMs: number; fetch?: typeof fetch; now?: number },
): Promise<PatchState[]> {
  const names = Object.keys(patchQueries) as (keyof typeof patchQueries)[];
  const results = await Promise.all(names.map((n) => instantQuery(baseUrl, patchQueries[n], options, "patch")));
  const byHost = names.map(
    (_, i) =>
      new Map(
        (results[i] ?? [])
          .filter((s) => s.metric.host && Number.isFinite(Number(s.value[1])))
          .map((s) => [s.metric.host ?? "", { value: Number(s.value[1]), department: s.metric.department }]),
      ),
  );
  const [security, other, oldest, reboot, rebootAge] = byHost;
  const at = new Date(options.now ?? Date.now()).toISOString();
  return [...(security ?? new Map<string, { value: number; department: string | undefined }>())].map(([host, s]) => ({
    host,
    department: s.department || null,
    at,
    securityPending: s.value,
    otherPending: other?.get(host)?.value ?? null,
    securityOldestAgeSeconds: oldest?.get(host)?.value ?? 0,
    rebootRequired: reboot?.has(host) ? (reboot.get(host)?.value ?? 0) >= 1 : null,
    rebootRequiredAgeSeconds: rebootAge?.get(host)?.value ?? null,
  }));
}
