// JUnit XML for CI dashboards: one testsuite per policy, one testcase per violation (failure, or
// skipped when waived) plus one passing testcase for the policy's compliant evaluations.
import type { AuditReport } from "../audit/report.js";

function xml(text: string): string {
  // Strip characters XML 1.0 forbids, then escape.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function renderJunit(report: AuditReport): string {
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failures = report.findings.filter((f) => f.outcome === "fail").length;
  const waived = report.findings.filter((f) => f.outcome === "waived").length;
  const suites = report.policies.filter((p) => p.enforcementLevel !== "disabled");
  const total = suites.reduce((n, p) => n + 1 + report.findings.filter((f) => f.policyId === p.policyId && f.outcome !== "unknown").length, 0);
  lines.push(`<testsuites name="${xml(`BIO audit ${report.stack ?? ""}`.trim())}" tests="${total}" failures="${failures}" skipped="${waived}" errors="0" timestamp="${xml(report.generatedAt)}">`);
  for (const p of suites) {
    const findings = report.findings.filter((f) => f.policyId === p.policyId && f.outcome !== "unknown");
    const fails = findings.filter((f) => f.outcome === "fail").length;
    const skips = findings.length - fails;
    lines.push(`  <testsuite name="${xml(p.policyId)}" tests="${findings.length + 1}" failures="${fails}" skipped="${skips}" errors="0">`);
    lines.push(`    <properties><property name="severity" value="${xml(p.severity)}"/><property name="enforcementLevel" value="${xml(p.enforcementLevel)}"/><property name="bioControls" value="${xml(p.bioControls.join(","))}"/></properties>`);
    lines.push(`    <testcase classname="${xml(p.policyId)}" name="${xml(`${p.pass} compliant evaluation(s)`)}"/>`);
    for (const f of findings) {
      lines.push(`    <testcase classname="${xml(p.policyId)}" name="${xml(f.urn ?? "(stack)")}">`);
      if (f.outcome === "fail") lines.push(`      <failure type="${xml(f.enforcementLevel)}" message="${xml(f.message)}">${xml(`${f.message}\nRemediation: ${p.remediation}`)}</failure>`);
      else lines.push(`      <skipped message="${xml(`waived by ${f.waiverId ?? "?"}: ${f.message}`)}"/>`);
      lines.push(`    </testcase>`);
    }
    lines.push(`  </testsuite>`);
  }
  lines.push(`</testsuites>`);
  return lines.join("\n") + "\n";
}
