// Compliance for the dashboard: what a `muniops audit --format json` report must look like to be stored
// (validated field by field, so a wrong upload gets 400 with the fields at fault), the BIO coverage
// matrix over every control of the reference (a control no policy checks is shown as not covered, not
// left out), and the waivers with their expiry counted from today rather than from the audit's day.
import { z } from "zod";
import { bioControls } from "../../policies/bioControls.js";
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
  control: string;
  text: string;
  state: CoverageState;
  pass: number;
  fail: number;
  waived: number;
  policies: { policyId: string; title: string; pass: number; fail: number; waived: number }[];
}

/**
 * Every BIO control of the reference × the report's checks. A control fails when any of its checks has
 * an unwaived violation, is waived when its only violations are waived, and passes otherwise.
 */
export function coverageMatrix(report: StoredAuditReport | undefined): CoverageCell[] {
  const titles = new Map(report?.policies.map((p) => [p.policyId, p.title]));
  return bioControls.map((control) => {
    const row = report?.coverage.find((c) => c.control === control.id);
    if (!row || row.policies.length === 0)
      return {
        control: control.id,
        text: control.text,
        state: "not-covered",
        pass: 0,
        fail: 0,
        waived: 0,
        policies: [],
      };
    const state: CoverageState = row.fail > 0 ? "fail" : row.waived > 0 ? "waived" : "pass";
    return {
      control: control.id,
      text: control.text,
      state,
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
    };
  });
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
