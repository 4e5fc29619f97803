// SARIF 2.1.0 (OASIS): one run, one rule per policy (the baseline's ids as tags: BIO2 measures and ISO
// controls by default, Cloud-theme controls with --baseline cloud-theme), one result per violation.
// Waived violations carry an accepted external suppression, so viewers show them as suppressed, not
// dropped. Resources are logical locations named by URN: a preview has no source file positions.
import type { AuditReport, PolicyRow } from "../audit/report.js";

const sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/** Tags a SARIF viewer filters by: the report's baseline ids, then the CIS references. */
function tagsOf(p: PolicyRow, report: AuditReport): string[] {
  const baselineTags =
    report.baseline === "bio2"
      ? ["BIO2", ...p.bio2Measures.map((m) => `BIO2 ${m}`), ...p.isoControls.map((c) => `ISO 27002:2022 ${c}`)]
      : ["BIO", ...p.bioControls.map((c) => `BIO ${c}`)];
  return [...baselineTags, ...p.cisAzure.map((c) => `CIS Azure ${c}`)];
}

export function renderSarif(report: AuditReport): string {
  const ruleIndex = new Map(report.policies.map((p, i) => [p.policyId, i]));
  const rules = report.policies.map((p) => ({
    id: p.policyId,
    name: p.policyId.replace(/(^|-)([a-z0-9])/g, (_m, _d: string, c: string) => c.toUpperCase()),
    shortDescription: { text: p.title },
    fullDescription: { text: p.description },
    help: { text: p.remediation },
    defaultConfiguration: {
      level: p.enforcementLevel === "mandatory" ? "error" : p.enforcementLevel === "disabled" ? "none" : "warning",
      enabled: p.enforcementLevel !== "disabled",
    },
    properties: {
      tags: tagsOf(p, report),
      severity: p.severity,
      enforcementLevel: p.enforcementLevel,
      bio2Measures: p.bio2Measures,
      isoControls: p.isoControls,
      bioControls: p.bioControls,
    },
  }));
  const results = report.findings
    .filter((f) => f.outcome !== "unknown")
    .map((f) => ({
      ruleId: f.policyId,
      ruleIndex: ruleIndex.get(f.policyId) ?? -1,
      level: f.enforcementLevel === "mandatory" ? "error" : "warning",
      kind: "fail",
      message: { text: f.message },
      ...(f.urn
        ? { locations: [{ logicalLocations: [{ fullyQualifiedName: f.urn, name: f.name, kind: "resource" }] }] }
        : {}),
      ...(f.outcome === "waived"
        ? { suppressions: [{ kind: "external", status: "accepted", justification: `waiver ${f.waiverId ?? "?"}` }] }
        : {}),
      properties: { resourceType: f.type, enforcementLevel: f.enforcementLevel },
    }));
  const log = {
    $schema: sarifSchema,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            informationUri:
              "https://www.digitaleoverheid.nl/overzicht-van-alle-onderwerpen/cybersecurity/bio-en-ensia/",
            rules,
          },
        },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.generatedAt }],
        results,
        properties: {
          stack: report.stack,
          summary: report.summary,
          baseline: report.baseline,
          coverage: report.coverage,
        },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
