// JUnit XML for CI dashboards: one testsuite per policy, one testcase per violation (failure, or
// skipped when waived) plus one passing testcase for the policy's compliant evaluations; and one
// testsuite for the coverage matrix: a testcase per entry of the baseline (failure when one of its
// policies has an unwaived violation, skipped when no policy evidences it).
import type { AuditReport } from "../audit/report.js";
import { baselineInfo } from "../baseline.js";

function xml(text: string): string {
  // Strip characters XML 1.0 forbids, then escape.
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
  );
}

export function renderJunit(report: AuditReport): string {
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failures = report.findings.filter((f) => f.outcome === "fail").length;
  const waived = report.findings.filter((f) => f.outcome === "waived").length;
  const suites = report.policies.filter((p) => p.enforcementLevel !== "disabled");
  const perPolicy = suites.reduce(
    (n, p) => n + 1 + report.findings.filter((f) => f.policyId === p.policyId && f.outcome !== "unknown").length,
    0,
  );
  const coverageFailures = report.coverage.filter((r) => r.fail > 0).length;
  const gaps = report.coverage.filter((r) => r.gap !== undefined).length;
  const total = perPolicy + report.coverage.length;
  const name = xml(`BIO audit ${report.stack ?? ""}`.trim());
  const counts = `tests="${total}" failures="${failures + coverageFailures}" skipped="${waived + gaps}" errors="0"`;
  lines.push(`<testsuites name="${name}" ${counts} timestamp="${xml(report.generatedAt)}">`);
  for (const p of suites) {
    const findings = report.findings.filter((f) => f.policyId === p.policyId && f.outcome !== "unknown");
    const fails = findings.filter((f) => f.outcome === "fail").length;
    const skips = findings.length - fails;
    lines.push(
      `  <testsuite name="${xml(p.policyId)}" tests="${findings.length + 1}" failures="${fails}" ` +
        `skipped="${skips}" errors="0">`,
    );
    const properties = {
      severity: p.severity,
      enforcementLevel: p.enforcementLevel,
      bio2Measures: p.bio2Measures.join(","),
      isoControls: p.isoControls.join(","),
      bioControls: p.bioControls.join(","),
    };
    const props = Object.entries(properties)
      .map(([k, v]) => `<property name="${k}" value="${xml(v)}"/>`)
      .join("");
    lines.push(`    <properties>${props}</properties>`);
    lines.push(`    <testcase classname="${xml(p.policyId)}" name="${xml(`${p.pass} compliant evaluation(s)`)}"/>`);
    for (const f of findings) {
      lines.push(`    <testcase classname="${xml(p.policyId)}" name="${xml(f.urn ?? "(stack)")}">`);
      if (f.outcome === "fail")
        lines.push(
          `      <failure type="${xml(f.enforcementLevel)}" ` +
            `message="${xml(f.message)}">${xml(`${f.message}\nRemediation: ${p.remediation}`)}</failure>`,
        );
      else lines.push(`      <skipped message="${xml(`waived by ${f.waiverId ?? "?"}: ${f.message}`)}"/>`);
      lines.push(`    </testcase>`);
    }
    lines.push(`  </testsuite>`);
  }
  lines.push(...coverageSuite(report, coverageFailures, gaps));
  lines.push(`</testsuites>`);
  return lines.join("\n") + "\n";
}

function coverageSuite(report: AuditReport, failures: number, gaps: number): string[] {
  const info = baselineInfo(report.baseline);
  const suite = xml(`coverage ${info.title}`);
  const counts = `tests="${report.coverage.length}" failures="${failures}" skipped="${gaps}" errors="0"`;
  const lines = [`  <testsuite name="${suite}" ${counts}>`];
  for (const row of report.coverage) {
    const testcase = `    <testcase classname="${suite}" name="${xml(`${row.control} ${row.text}`)}"`;
    if (row.gap !== undefined) lines.push(`${testcase}><skipped message="${xml(row.gap)}"/></testcase>`);
    else if (row.fail > 0) {
      const failing = row.policies
        .filter((p) => p.fail > 0)
        .map((p) => `${p.policyId}: ${p.fail}`)
        .join(", ");
      const message = xml(`unwaived violations: ${failing}`);
      lines.push(`${testcase}><failure type="coverage" message="${message}"/></testcase>`);
    } else lines.push(`${testcase}/>`);
  }
  lines.push(`  </testsuite>`);
  return lines;
}
