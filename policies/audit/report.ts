// The audit's report model, shared by every output format: a summary, per-policy tallies, findings per
// resource, the waivers and the coverage matrix of the chosen baseline (each BIO2 measure, or each
// Cloud-theme control → its policies → pass/fail/waived; coverage.ts).
import { baselineInfo, type Baseline } from "../baseline.js";
import type { Severity } from "../policy.js";
import { expiringSoon, waiverPolicyId } from "../waivers.js";
import type { AuditResult, Finding, PolicyTally } from "./evaluate.js";
import type { PulumiDocumentKind } from "./pulumiDocument.js";
import { coverageRows, type CoverageRow } from "./coverage.js";

export type { CoverageRow } from "./coverage.js";

export interface PolicyRow extends PolicyTally {
  title: string;
  description: string;
  severity: Severity;
  kind: "resource" | "stack";
  /** BIO2 measures the policy evidences, the partial ones, ISO 27002:2022 controls, Cloud-theme controls. */
  bio2Measures: readonly string[];
  bio2Partial: readonly string[];
  isoControls: readonly string[];
  bioControls: readonly string[];
  cisAzure: readonly string[];
  remediation: string;
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
  /** SHA-256 of the Pulumi document audited (the text as read); absent for a document built in memory. */
  documentSha256?: string;
  summary: AuditSummary;
  policies: PolicyRow[];
  findings: Finding[];
  /** What `coverage` is keyed by: BIO2 measures or Cloud-theme controls, and that baseline's version. */
  baseline: Baseline;
  baselineVersion: string;
  coverage: CoverageRow[];
  waivers: WaiverRow[];
  waiversFile: string;
}

const waiverPolicyRow = {
  title: "Waivers are valid and unexpired",
  description:
    "Every waiver in the waivers file is well-formed, approved, within its maximum duration and not expired.",
  severity: "high" as Severity,
  kind: "stack" as const,
  bio2Measures: [] as string[],
  bio2Partial: [] as string[],
  isoControls: [] as string[],
  bioControls: [] as string[],
  cisAzure: [] as string[],
  remediation:
    "Renew the waiver's approval with a new expiry date, fix the entry, or remove it and fix the violations " +
    "it covered.",
};

export interface BuildReportOptions {
  /**
   * The baseline of the coverage matrix. `muniops audit` passes its --baseline (default bio2). Without it
   * the matrix stays keyed by Cloud-theme control: the dashboard's compliance page, which calls this
   * without options, matches rows to Cloud-theme ids until it learns to read `baseline`.
   */
  baseline?: Baseline;
}

export function buildReport(result: AuditResult, version: string, options: BuildReportOptions = {}): AuditReport {
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
      bio2Measures: policy.bio2Measures,
      bio2Partial: policy.bio2Partial ?? [],
      isoControls: policy.isoControls,
      bioControls: policy.bioControls,
      cisAzure: policy.cisAzure ?? [],
      remediation: policy.remediationSteps,
    });
  }
  const waiverTally = result.tallies.get(waiverPolicyId);
  if (waiverTally) policies.push({ ...waiverTally, ...waiverPolicyRow });

  // Only policies that actually ran count as evidence: a disabled or skipped policy, or one with no resource
  // of its types in the document, checked nothing (coverage.ts: policyRan).
  const baseline = options.baseline ?? "cloud-theme";
  const coverage = coverageRows(policies, baseline);

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
    ...(result.document.sha256 === undefined ? {} : { documentSha256: result.document.sha256 }),
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
    baseline,
    baselineVersion: baselineInfo(baseline).version,
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
