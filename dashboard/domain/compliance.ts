// Compliance for the dashboard: what a `muniops audit --format json` report must look like to be stored
// (validated field by field, so a wrong upload gets 400 with the fields at fault), the coverage matrix
// over every entry of the baseline (BIO2 by default, Cloud theme on request; an entry no policy checks is
// shown as not covered, not left out), and the waivers with their expiry counted from today rather than from the
// audit's day.
import { z } from "zod";
import { baselines, type Baseline } from "../../policies/baseline.js";
import { coverageRows, type CoverageRow, type EvidenceSource } from "../../policies/audit/coverage.js";
import { policyById } from "../../policies/catalog.js";
import { expiryWarningDays, type WaiverSet } from "../../policies/waivers.js";

const text = (max: number) => z.string().max(max);
const count = z.number().int().min(0).max(10_000_000);
const enforcement = z.enum(["advisory", "mandatory", "remediate", "disabled"]);

/** The JSON `muniops audit --format json` writes (policies/formats/json.ts), as far as the dashboard reads it. */
export const auditReportSchema = z.object({
  schemaVersion: z.literal(1, "must be 1 (the output of `muniops audit --format json`)"),
  tool: z.object({ name: text(100), version: text(50) }),
  stack: text(200)
    .regex(/^[A-Za-z0-9._/-]+$/, "a stack name: letters, digits, . _ / -")
    .optional(),
  generatedAt: z.iso.datetime({ offset: true, error: "an ISO-8601 time" }),
  /** The Pulumi document's SHA-256; reports of muniops before the audit history lack it. */
  documentSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "a SHA-256 in lowercase hex")
    .optional(),
  /** What the report's own coverage is keyed by; absent in reports older than BIO2 (Cloud theme). */
  baseline: z.enum(baselines).optional(),
  baselineVersion: text(20).optional(),
  summary: z.object({
    resources: count,
    policies: count,
    mandatoryFailures: count,
    advisoryFailures: count,
    waived: count,
    unknown: count,
    passed: z.boolean(),
  }),
  policies: z
    .array(
      z.object({
        policyId: text(200),
        title: text(500),
        severity: text(20),
        enforcementLevel: enforcement,
        bioControls: z.array(text(20)).max(50),
        // BIO2 measures and ISO 27002:2022 controls: absent in reports older than BIO2
        bio2Measures: z.array(text(20)).max(100).optional(),
        bio2Partial: z.array(text(20)).max(100).optional(),
        isoControls: z.array(text(20)).max(100).optional(),
        skipped: text(500).optional(),
        pass: count,
        fail: count,
        waived: count,
        unknown: count,
        notApplicable: count,
      }),
    )
    .max(1000),
  findings: z
    .array(
      z.object({
        policyId: text(200),
        enforcementLevel: enforcement,
        outcome: z.enum(["fail", "waived", "unknown"]),
        message: text(5000),
        urn: text(2000).optional(),
        type: text(300).optional(),
        name: text(500).optional(),
        waiverId: text(200).optional(),
      }),
    )
    .max(50_000),
  coverage: z
    .array(
      z.object({
        control: text(20),
        text: text(1000),
        policies: z
          .array(z.object({ policyId: text(200), pass: count, fail: count, waived: count, unknown: count }))
          .max(1000),
        pass: count,
        fail: count,
        waived: count,
      }),
    )
    .max(500),
  waivers: z
    .array(
      z.object({
        id: text(200),
        state: z.enum(["active", "expired", "invalid"]),
        category: text(50).optional(),
        policies: z.array(text(200)).max(200),
        expiresOn: text(10).optional(),
        matched: count,
        problems: z.array(text(2000)).max(100),
      }),
    )
    .max(5000),
  waiversFile: text(1000),
});

export type StoredAuditReport = z.infer<typeof auditReportSchema>;

/**
 * The report as its findings give it, for a report that comes from outside (an upload can say "passed"
 * beside a mandatory violation). A finding counts as waived only if it names a waiver the report lists
 * as active for that finding's policy; any other "waived" finding is a failure. The summary's counts and
 * `passed` (no mandatory failure, as `muniops audit` decides it) are then counted from the findings.
 */
export function recountedReport(report: StoredAuditReport): StoredAuditReport {
  const active = report.waivers.filter((w) => w.state === "active");
  const activeWaivers = new Map(active.map((w) => [w.id, new Set(w.policies)]));
  const findings = report.findings.map((finding) => {
    if (finding.outcome !== "waived") return finding;
    const waiver = finding.waiverId === undefined ? undefined : activeWaivers.get(finding.waiverId);
    const covered = waiver?.has(finding.policyId) === true;
    if (covered) return finding;
    const { waiverId: _unmatched, ...unwaived } = finding;
    return { ...unwaived, outcome: "fail" as const };
  });
  const failures = findings.filter((f) => f.outcome === "fail");
  const mandatoryFailures = failures.filter((f) => f.enforcementLevel === "mandatory").length;
  const summary = {
    ...report.summary,
    mandatoryFailures,
    advisoryFailures: failures.length - mandatoryFailures,
    waived: findings.filter((f) => f.outcome === "waived").length,
    unknown: findings.filter((f) => f.outcome === "unknown").length,
    passed: mandatoryFailures === 0,
  };
  return { ...report, summary, findings };
}

/** The stack a report is filed under: reports of a preview without a stack name share one. */
export function stackOf(report: StoredAuditReport): string {
  return report.stack ?? "(unnamed)";
}

export type CoverageState = "pass" | "fail" | "waived" | "not-covered";

export interface CoverageCell {
  /** The baseline's id: a BIO2 id (`8.21.02`) or a Cloud-theme control (`U.05.1`). */
  control: string;
  text: string;
  state: CoverageState;
  pass: number;
  fail: number;
  waived: number;
  policies: { policyId: string; title: string; pass: number; fail: number; waived: number }[];
  /** BIO2: the ISO/IEC 27002:2022 control of the entry. */
  isoControl?: string;
  /** Why the row has no results: no policy evidences the entry, or none of its policies ran. */
  gap?: string;
}

/** A report's policy row as the coverage matrix reads it: BIO2 fields from the report, else from the pack. */
function evidenceSource(policy: StoredAuditReport["policies"][number]): EvidenceSource {
  const known = policyById(policy.policyId);
  return {
    ...policy,
    bio2Measures: policy.bio2Measures ?? known?.bio2Measures ?? [],
    bio2Partial: policy.bio2Partial ?? known?.bio2Partial ?? [],
    isoControls: policy.isoControls ?? known?.isoControls ?? [],
  };
}

/** The coverage rows of a report in either baseline, computed from its per-policy results. */
export function coverageOf(report: StoredAuditReport | undefined, baseline: Baseline): CoverageRow[] {
  return coverageRows(report?.policies.map(evidenceSource) ?? [], baseline);
}

/** A row's state: failing on any unwaived violation, waived when its only violations are waived. */
export function coverageState(row: Pick<CoverageRow, "policies" | "fail" | "waived">): CoverageState {
  if (row.policies.length === 0) return "not-covered";
  return row.fail > 0 ? "fail" : row.waived > 0 ? "waived" : "pass";
}

/**
 * Every entry of the baseline (BIO2 measures by default, or the Cloud-theme controls) × the report's
 * checks, computed from the report's per-policy results, so a report recorded with either baseline shows in
 * both. An entry no policy evidences is a row with its gap, not left out.
 */
export function coverageMatrix(report: StoredAuditReport | undefined, baseline: Baseline = "bio2"): CoverageCell[] {
  const titles = new Map(report?.policies.map((p) => [p.policyId, p.title]));
  return coverageOf(report, baseline).map((row) => ({
    control: row.control,
    text: row.text,
    state: coverageState(row),
    pass: row.pass,
    fail: row.fail,
    waived: row.waived,
    policies: row.policies.map((p) => ({
      policyId: p.policyId,
      title: titles.get(p.policyId) ?? p.policyId,
      pass: p.pass,
      fail: p.fail,
      waived: p.waived,
    })),
    ...(row.isoControl === undefined ? {} : { isoControl: row.isoControl }),
    ...(row.gap === undefined ? {} : { gap: row.gap }),
  }));
}

export type WaiverExpiry = "active" | "expiring-soon" | "expired" | "invalid";

export interface WaiverView {
  id: string;
  state: WaiverExpiry;
  category: string | null;
  policies: readonly string[];
  expiresOn: string | null;
  /** Days from today to the expiry (negative once expired); null when the entry has no usable date. */
  daysLeft: number | null;
  riskOwner: string | null;
  approvedBy: string | null;
  ticket: string | null;
  problems: readonly string[];
}

const dayMs = 86_400_000;

/** The waivers file as of today: expired and expiring-soon entries are what an auditor looks at first. */
export function waiverViews(set: WaiverSet, today: string): WaiverView[] {
  return set.statuses
    .map((s) => {
      const expiresOn = s.waiver?.expiresOn ?? null;
      const daysLeft =
        expiresOn === null
          ? null
          : Math.round((Date.parse(`${expiresOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / dayMs);
      const state: WaiverExpiry =
        s.state === "invalid"
          ? "invalid"
          : daysLeft !== null && daysLeft < 0
            ? "expired"
            : daysLeft !== null && daysLeft <= expiryWarningDays
              ? "expiring-soon"
              : "active";
      return {
        id: s.id,
        state,
        category: s.waiver?.category ?? null,
        policies: s.waiver?.policies ?? [],
        expiresOn,
        daysLeft,
        riskOwner: s.waiver?.riskOwner ?? null,
        approvedBy: s.waiver?.approvedBy ?? null,
        ticket: s.waiver?.ticket ?? null,
        problems: s.problems,
      };
    })
    .sort((a, b) => (a.daysLeft ?? -Infinity) - (b.daysLeft ?? -Infinity) || a.id.localeCompare(b.id));
}

/** The twelve months (YYYY-MM) ending with the month of `today` (YYYY-MM-DD), oldest first. */
export function trendMonths(today: string): string[] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return Array.from({ length: 12 }, (_, i) => {
    const index = year * 12 + (month - 1) - (11 - i);
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
  });
}

/**
 * Each BIO2 entry's state per month: the state of the month's last stored audit (what held at the month's
 * end), null for a month without an audit. `results` come oldest first, as the history reads them.
 */
export function measureTrend(
  results: readonly { measure: string; state: string; generatedAt: string }[],
  months: readonly string[],
): Map<string, (CoverageState | null)[]> {
  const column = new Map(months.map((m, i) => [m, i]));
  const trend = new Map<string, (CoverageState | null)[]>();
  for (const r of results) {
    const i = column.get(r.generatedAt.slice(0, 7));
    if (i === undefined) continue;
    const row = trend.get(r.measure) ?? months.map(() => null);
    row[i] = isCoverageState(r.state) ? r.state : null;
    trend.set(r.measure, row);
  }
  return trend;
}

function isCoverageState(state: string): state is CoverageState {
  return state === "pass" || state === "fail" || state === "waived" || state === "not-covered";
}
