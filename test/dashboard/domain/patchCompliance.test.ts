// The patch rule (BIO2 8.08.01) at its boundaries: exactly 7 days is within, a second more is a breach; a
// waiver mitigates only with a risk analysis, for its host or department, from approval through expiry.
import { describe, expect, test } from "vitest";
import { parseWaivers } from "../../../policies/waivers.js";
import {
  breachesPatchRule,
  hostPatchCompliance,
  patchCompliance,
  patchRuleSeconds,
  type PatchState,
} from "../../../dashboard/domain/patchCompliance.js";

const day = 86_400;
const state = (over: Partial<PatchState> = {}): PatchState => ({
  host: "app-01",
  department: "burgerzaken",
  at: "2026-06-15T02:00:00.000Z",
  securityPending: 2,
  otherPending: 5,
  securityOldestAgeSeconds: 3 * day,
  rebootRequired: false,
  rebootRequiredAgeSeconds: 0,
  ...over,
});

function waivers(entry: string): ReturnType<typeof parseWaivers> {
  const base = [
    "  - id: WVR-2026-009",
    "    policies: [host-updates-require-security-within-week]",
    "    category: Waiver",
    "    justification: The vendor certifies the kernel update next month.",
    "    riskOwner: CISO",
    "    approvedBy: CISO",
    "    approvedOn: 2026-06-01",
    "    ticket: TOPdesk I2606-200",
    "    expiresOn: 2026-06-30",
  ];
  return parseWaivers(`schemaVersion: 1\nwaivers:\n${[...base, entry].join("\n")}\n`, "w.yaml", new Date("2026-06-15"));
}
const hostWaiver = waivers("    riskAnalysis: RA-2026-031\n    scope: { hosts: [app-01] }");
const none = parseWaivers("schemaVersion: 1\nwaivers: []\n", "w.yaml");

describe("the one-week rule", () => {
  test("exactly 7 days pending is within the rule; one second more is a breach", () => {
    expect(breachesPatchRule(state({ securityOldestAgeSeconds: patchRuleSeconds }))).toBe(false);
    expect(breachesPatchRule(state({ securityOldestAgeSeconds: patchRuleSeconds + 1 }))).toBe(true);
    expect(hostPatchCompliance(state({ securityOldestAgeSeconds: 7 * day }), none, "2026-06-15").verdict).toBe(
      "within",
    );
    const late = hostPatchCompliance(state({ securityOldestAgeSeconds: 8 * day }), none, "2026-06-15");
    expect(late).toMatchObject({ verdict: "breach", securityPendingDays: 8, mitigation: null });
  });

  test("an age without a pending security update is no breach; no patch state is unknown", () => {
    expect(breachesPatchRule(state({ securityPending: 0, securityOldestAgeSeconds: 30 * day }))).toBe(false);
    const unknown = hostPatchCompliance(state({ securityPending: null, securityOldestAgeSeconds: null }), none, "x");
    expect(unknown.verdict).toBe("unknown");
  });

  test("a pending reboot is a backlog with its age, not a breach", () => {
    const h = hostPatchCompliance(
      state({ rebootRequired: true, rebootRequiredAgeSeconds: 12 * day + 5 }),
      none,
      "2026-06-15",
    );
    expect(h).toMatchObject({ verdict: "within", rebootPendingDays: 12 });
    expect(hostPatchCompliance(state(), none, "2026-06-15").rebootPendingDays).toBeNull();
  });
});

describe("waivers as mitigation", () => {
  const breach = state({ securityOldestAgeSeconds: 10 * day });

  test("a waiver naming the host with a risk analysis mitigates, through its expiry date", () => {
    expect(hostWaiver.statuses[0]?.state).toBe("active");
    const onExpiry = hostPatchCompliance(breach, hostWaiver, "2026-06-30");
    expect(onExpiry).toMatchObject({
      verdict: "mitigated",
      mitigation: { waiverId: "WVR-2026-009", riskAnalysis: "RA-2026-031", scope: "host", expiresOn: "2026-06-30" },
    });
    expect(hostPatchCompliance(breach, hostWaiver, "2026-07-01").verdict).toBe("breach");
    expect(hostPatchCompliance(breach, hostWaiver, "2026-05-31").verdict).toBe("breach");
  });

  test("a waiver naming the department mitigates each of its servers, and only them", () => {
    const w = waivers("    riskAnalysis: RA-2026-031\n    broad: true\n    scope: { departments: [burgerzaken] }");
    expect(w.statuses[0]?.state).toBe("active");
    expect(hostPatchCompliance(breach, w, "2026-06-15").mitigation?.scope).toBe("department");
    expect(hostPatchCompliance({ ...breach, department: "financien" }, w, "2026-06-15").verdict).toBe("breach");
  });

  test("without a risk analysis, or for another host, a waiver mitigates nothing", () => {
    const noAnalysis = waivers("    scope: { hosts: [app-01] }");
    expect(hostPatchCompliance(breach, noAnalysis, "2026-06-15").verdict).toBe("breach");
    expect(hostPatchCompliance({ ...breach, host: "app-02" }, hostWaiver, "2026-06-15").verdict).toBe("breach");
  });

  test("a host-check waiver needs a host scope, and a department scope needs broad: true", () => {
    const wide = waivers("    riskAnalysis: RA-1\n    scope: { departments: [burgerzaken] }");
    expect(wide.statuses[0]?.problems).toEqual([
      "scope: without urns the waiver covers many resources; list urns, or set broad: true so auditors see it is wide",
    ]);
    const stacks = waivers("    riskAnalysis: RA-1\n    scope: { stacks: [prod], hosts: [app-01] }");
    expect(stacks.statuses[0]?.problems).toEqual([
      "scope: a host check is waived for servers (hosts) or departments, not stacks or resources",
    ]);
  });
});

describe("shares", () => {
  test("per department and overall: mitigated counts as within, unknown does not", () => {
    const result = patchCompliance(
      [
        state({ host: "a", securityOldestAgeSeconds: 10 * day }),
        state({ host: "app-01", securityOldestAgeSeconds: 10 * day }),
        state({ host: "c", securityPending: 0, securityOldestAgeSeconds: 0 }),
        state({ host: "d", department: "financien", securityPending: null, securityOldestAgeSeconds: null }),
        state({ host: "e", department: "financien", rebootRequired: true, rebootRequiredAgeSeconds: 9 * day }),
      ],
      hostWaiver,
      "2026-06-15",
    );
    expect(result.hosts.map((h) => [h.host, h.verdict])).toEqual([
      ["a", "breach"],
      ["d", "unknown"],
      ["app-01", "mitigated"],
      ["e", "within"],
      ["c", "within"],
    ]);
    expect(result.overall).toEqual({
      servers: 5,
      within: 2,
      breach: 1,
      mitigated: 1,
      unknown: 1,
      shareWithinRule: 3 / 5,
      rebootPending: 1,
      longestRebootPendingDays: 9,
    });
    expect(result.departments.map((d) => [d.department, d.tally.shareWithinRule])).toEqual([
      ["burgerzaken", 2 / 3],
      ["financien", 1 / 2],
    ]);
  });
});
