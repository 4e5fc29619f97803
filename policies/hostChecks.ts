// Checks on running servers rather than on Pulumi resources: the dashboard evaluates them from the agents'
// metrics, and a waiver may name one in its `policies` like a pack policy, scoped to servers
// (`scope.hosts`) or whole departments (`scope.departments`) instead of URNs. They are not CrossGuard
// policies: no `pulumi preview` violation ever carries their id.

export interface HostCheck {
  /** Stable id, named like a policy: what a waiver's `policies` lists. */
  id: string;
  displayName: string;
  /** The BIO2 measures the check evidences; a waiver's bio2Measures must be among them. */
  bio2Measures: readonly string[];
}

/** The patch rule (BIO2 8.08.01): security updates installed within a week; the dashboard's patch page. */
export const patchRuleCheckId = "host-updates-require-security-within-week";

export const hostChecks: readonly HostCheck[] = [
  {
    id: patchRuleCheckId,
    displayName: "Servers install pending security updates within 7 days",
    bio2Measures: ["8.08.01"],
  },
];

export function hostCheckById(id: string): HostCheck | undefined {
  return hostChecks.find((c) => c.id === id);
}
