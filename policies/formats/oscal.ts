// OSCAL 1.0 assessment results: one result for the audit; an observation per policy that ran (its
// counts and violations); a finding per entry of the baseline that a policy evidenced, satisfied unless
// one of its policies has a violation (waived ones are not-satisfied with reason "waived": an accepted
// risk is still a gap). Entries no policy evidences are named in the result's remarks, not assessed.
import { randomUUID } from "node:crypto";
import { splitCoverage } from "../audit/coverage.js";
import type { AuditReport, PolicyRow } from "../audit/report.js";
import { baselineInfo } from "../baseline.js";
import { muniopsNs, oscalControlId, oscalVersion, stableUuid } from "../oscal/oscalIds.js";
import { auditedPhrase, summaryLine } from "./table.js";

function observation(report: AuditReport, policy: PolicyRow, uuid: string): Record<string, unknown> {
  const violations = report.findings.filter((f) => f.policyId === policy.policyId && f.outcome !== "unknown");
  const counts = `${policy.pass} pass, ${policy.fail} fail, ${policy.waived} waived, ${policy.unknown} unknown`;
  const label = (f: (typeof violations)[number]): string =>
    f.outcome === "waived" ? `WAIVED (${f.waiverId ?? "?"})` : "FAIL";
  const listed = violations.map((f) => `${label(f)} ${f.urn ?? "(stack)"}: ${f.message}`);
  return {
    uuid,
    title: `${policy.policyId}: ${policy.title}`,
    description: [`Policy ${policy.policyId} (${policy.enforcementLevel}) evaluated: ${counts}.`, ...listed].join("\n"),
    props: [
      { name: "policy-id", value: policy.policyId, ns: muniopsNs },
      { name: "enforcement-level", value: policy.enforcementLevel, ns: muniopsNs },
    ],
    methods: ["TEST"],
    types: ["finding"],
    collected: report.generatedAt,
  };
}

export function renderOscal(report: AuditReport): string {
  const info = baselineInfo(report.baseline);
  const { evidenced, gaps } = splitCoverage(report.coverage);
  const observationUuids = new Map<string, string>();
  for (const p of evidenced.flatMap((row) => row.policies)) {
    if (!observationUuids.has(p.policyId)) observationUuids.set(p.policyId, randomUUID());
  }
  const observations = report.policies.flatMap((p) => {
    const uuid = observationUuids.get(p.policyId);
    return uuid === undefined ? [] : [observation(report, p, uuid)];
  });
  const findings = evidenced.map((row) => {
    const id = oscalControlId(report.baseline, row.control);
    const status =
      row.fail > 0
        ? { state: "not-satisfied", reason: "fail" }
        : row.waived > 0
          ? { state: "not-satisfied", reason: "waived" }
          : { state: "satisfied" };
    const counts = `${row.pass} pass, ${row.fail} fail, ${row.waived} waived`;
    const partial = row.policies.some((p) => p.partial === true) ? " Some policies evidence it only in part." : "";
    return {
      uuid: randomUUID(),
      title: `${info.rowNoun} ${row.control}`,
      description: `${row.text}: ${counts} over ${row.policies.length} policies.${partial}`,
      target: { type: "objective-id", "target-id": id, title: row.text, status },
      "related-observations": row.policies.map((p) => ({ "observation-uuid": observationUuids.get(p.policyId) ?? "" })),
    };
  });
  const pack = stableUuid("muniops", "policy-pack", report.tool.name);
  const controlIds = evidenced.map((r) => ({ "control-id": oscalControlId(report.baseline, r.control) }));
  const selection = controlIds.length > 0 ? { "include-controls": controlIds } : { "include-all": {} };
  const gapIds = gaps.map((g) => g.control).join(", ");
  const gapRemark = gaps.length > 0 ? `${gaps.length} ${info.rowNoun} entries without policy evidence: ${gapIds}.` : "";
  const document = {
    "assessment-results": {
      uuid: randomUUID(),
      metadata: {
        title: `${info.title} policy audit${report.stack !== undefined ? ` of stack ${report.stack}` : ""}`,
        "last-modified": report.generatedAt,
        version: report.tool.version,
        "oscal-version": oscalVersion,
        props: [
          { name: "baseline", value: report.baseline, ns: muniopsNs },
          { name: "baseline-version", value: report.baselineVersion, ns: muniopsNs },
        ],
      },
      "import-ap": {
        href: `#${pack}`,
        remarks: "No separate assessment plan: the plan is the muniops BIO policy pack, run on a Pulumi document.",
      },
      results: [
        {
          uuid: randomUUID(),
          title: `muniops audit: ${auditedPhrase(report)}`,
          description: summaryLine(report),
          start: report.generatedAt,
          end: report.generatedAt,
          "reviewed-controls": { "control-selections": [selection] },
          ...(observations.length > 0 ? { observations } : {}),
          ...(findings.length > 0 ? { findings } : {}),
          ...(gapRemark !== "" ? { remarks: gapRemark } : {}),
        },
      ],
      "back-matter": {
        resources: [
          {
            uuid: pack,
            title: `${report.tool.name} ${report.tool.version}`,
            description: "The muniops BIO policy pack (policies/rules/*.ts) and its offline audit.",
          },
        ],
      },
    },
  };
  return JSON.stringify(document, null, 2) + "\n";
}
