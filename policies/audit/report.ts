// The audit's report model, shared by every output format: a summary, per-policy tallies, findings per
// resource, the waivers and the BIO coverage matrix (each control → its policies → pass/fail/waived).
import { bioControls } from "../bioControls.js";
import type { Severity } from "../policy.js";
import { expiringSoon, waiverPolicyId } from "../waivers.js";
import type { AuditResult, Finding, PolicyTally } from "./evaluate.js";
import type { PulumiDocumentKind } from "./pulumiDocument.js";

export interface PolicyRow extends PolicyTally {
  title: string;
  description: string;
  severity: Severity;
  kind: "resource" | "stack";
  bioControls: readonly string[];
  cisAzure: readonly string[];
  remediation: string;
}

export interface CoverageRow {
  control: string;
  text: string;
  policies: { policyId: string; pass: number; fail: number; waived: number; unknown: number }[];
  pass: number;
  fail: number;
  waived: number;
}

export interface WaiverRow {
  id: string;
  state: string;
  category?: string;
  policies: readonly string[];
  expiresOn?: string;
  daysLeft?: number;
  matched: number;
  approvedBy?: string;
  riskOwner?: string;
  ticket?: string;
  justification?: string;
  problems: readonly string[];
  expiringSoon: boolean;
}

export interface AuditSummary {
  /** Resources audited (the same number as `audited`; kept for readers of schema version 1). */
  resources: number;
  /** Resources the policies were evaluated on. */
  audited: number;
  /** Resources the stack has, as far as the document tells; null when it does not. */
  total: number | null;
  /** The document left resources out; stack policies were skipped. */
  partial: boolean;
  /** What was audited: a preview, the streaming preview's engine events, or a stack export. */
  document: PulumiDocumentKind;
  /** Policies that did not run, with the reason (stack policies on a partial document). */
  skipped: { policyId: string; reason: string }[];
  policies: number;
  mandatoryFailures: number;
  advisoryFailures: number;
  waived: number;
  unknown: number;
  /** No unwaived mandatory violation, and something was audited: an empty audit never passes. */
  passed: boolean;
}

export interface AuditReport {
  tool: { name: string; version: string };
  stack: string | undefined;
  generatedAt: string;
  summary: AuditSummary;
  policies: PolicyRow[];
  findings: Finding[];
  coverage: CoverageRow[];
  waivers: WaiverRow[];
  waiversFile: string;
}

const waiverPolicyRow = {
  title: "Waivers are valid and unexpired",
  description: "Every waiver in the waivers file is well-formed, approved, within its maximum duration and not expired.",
  severity: "high" as Severity,
  kind: "stack" as const,
  bioControls: [] as string[],
  cisAzure: [] as string[],
  remediation: "Renew the waiver's approval with a new expiry date, fix the entry, or remove it and fix the violations it covered.",
};

export function buildReport(result: AuditResult, version: string): AuditReport {
  const policies: PolicyRow[] = [];
  for (const policy of result.policies) {
    const tally = result.tallies.get(policy.name);
    if (!tally) continue;
    policies.push({
      ...tally,
      title: policy.displayName,
      description: policy.description,
      severity: policy.severity,
      kind: policy.kind,
      bioControls: policy.bioControls,
      cisAzure: policy.cisAzure ?? [],
      remediation: policy.remediationSteps,
    });
  }
  const waiverTally = result.tallies.get(waiverPolicyId);
  if (waiverTally) policies.push({ ...waiverTally, ...waiverPolicyRow });

  const coverage: CoverageRow[] = [];
  // Only policies that actually ran count as evidence for a control: a disabled or skipped policy, or one
  // with no resource of its types in the document, checked nothing.
  const ran = policies.filter((p) => p.enforcementLevel !== "disabled" && p.skipped === undefined && p.pass + p.fail + p.waived + p.unknown + p.notApplicable > 0);
  for (const control of bioControls) {
    const rows = ran.filter((p) => p.bioControls.includes(control.id));
    if (rows.length === 0) continue;
    const sum = (key: "pass" | "fail" | "waived"): number => rows.reduce((n, r) => n + r[key], 0);
    coverage.push({
      control: control.id,
      text: control.text,
      policies: rows.map((r) => ({ policyId: r.policyId, pass: r.pass, fail: r.fail, waived: r.waived, unknown: r.unknown })),
      pass: sum("pass"),
      fail: sum("fail"),
      waived: sum("waived"),
    });
  }

  const soon = new Set(expiringSoon(result.waivers).map((s) => s.id));
  const waivers: WaiverRow[] = result.waivers.statuses.map((s) => ({
    id: s.id,
    state: s.state,
    category: s.waiver?.category,
    policies: s.waiver?.policies ?? [],
    expiresOn: s.waiver?.expiresOn,
    daysLeft: s.daysLeft,
    matched: s.matched,
    approvedBy: s.waiver?.approvedBy,
    riskOwner: s.waiver?.riskOwner,
    ticket: s.waiver?.ticket,
    justification: s.waiver?.justification,
    problems: s.problems,
    expiringSoon: soon.has(s.id),
  }));

  const failures = result.findings.filter((f) => f.outcome === "fail");
  const mandatoryFailures = failures.filter((f) => f.enforcementLevel === "mandatory").length;
  const { coverage: documentCoverage, kind } = result.document;
  return {
    tool: { name: "muniops-bio-policies", version },
    stack: result.stack,
    generatedAt: result.generatedAt,
    summary: {
      resources: result.resourceCount,
      audited: result.resourceCount,
      total: documentCoverage.total ?? null,
      partial: documentCoverage.partial,
      document: kind,
      skipped: policies.flatMap((p) => (p.skipped === undefined ? [] : [{ policyId: p.policyId, reason: p.skipped }])),
      policies: policies.filter((p) => p.enforcementLevel !== "disabled").length,
      mandatoryFailures,
      advisoryFailures: failures.length - mandatoryFailures,
      waived: result.findings.filter((f) => f.outcome === "waived").length,
      unknown: result.findings.filter((f) => f.outcome === "unknown").length,
      passed: mandatoryFailures === 0 && result.resourceCount > 0,
    },
    policies,
    findings: result.findings,
    coverage,
    waivers,
    waiversFile: result.waivers.file,
  };
}

/** Findings grouped by resource (stack-wide findings under "(stack)"), in first-seen order. */
export function findingsByResource(report: AuditReport): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const key = finding.urn ?? "(stack)";
    const list = groups.get(key) ?? [];
    list.push(finding);
    groups.set(key, list);
  }
  return groups;
}

export function outcomeLabel(finding: Finding): string {
  if (finding.outcome === "waived") return `WAIVED (${finding.waiverId ?? "?"})`;
  if (finding.outcome === "unknown") return finding.reason === "secret" ? "UNKNOWN (secret)" : "UNKNOWN";
  return finding.enforcementLevel === "mandatory" ? "FAIL" : "ADVISORY";
}
