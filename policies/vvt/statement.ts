// The statement of applicability (Verklaring van Toepasselijkheid, VvT) of BIO2: one row per catalog
// entry — applicable or not and why, who answers for it, the policies that evidence it with their result
// in the audited document — and the annex of exceptions (uitzonderingen) generated from the waivers.
import { evidencesBio2Entry } from "../audit/coverage.js";
import type { PolicyTally } from "../audit/evaluate.js";
import { bio2Catalog, type Bio2Entry } from "../bio2Catalog.js";
import type { MuniPolicy } from "../policy.js";
import type { WaiverSet, WaiverStatus } from "../waivers.js";
import { answeredByFor, type Applicability } from "./applicability.js";

export type EvidenceResult = "pass" | "fail" | "waived" | "not-run" | "not-audited";
/** pass/fail/waived/not-run: from the policies; organisational: no policy evidences it; not-audited: no document. */
export type RowStatus = EvidenceResult | "organisational" | "not-applicable";

export interface VvtEvidence {
  policyId: string;
  title: string;
  /** The policy evidences the measure only in part. */
  partial: boolean;
  result: EvidenceResult;
  pass: number;
  fail: number;
  waived: number;
  unknown: number;
}

export interface VvtException {
  waiverId: string;
  state: WaiverStatus["state"];
  category: string | null;
  policies: readonly string[];
  /** The BIO2 entries the waiver touches: its bio2Measures, else every entry its policies evidence. */
  bio2Ids: readonly string[];
  riskAnalysis: string | null;
  riskOwner: string | null;
  approvedBy: string | null;
  approvedOn: string | null;
  expiresOn: string | null;
  ticket: string | null;
  justification: string | null;
  compensatingControls: string | null;
  /** Where it is written: file:line. */
  source: string;
}

export interface VvtRow {
  id: string;
  isoControl: string;
  title: string;
  /** The entry's status in the catalog: measure, GOM, vervallen, moved, see. */
  catalogStatus: Bio2Entry["status"];
  applicable: boolean;
  reason: string;
  answeredBy: string | null;
  evidence: VvtEvidence[];
  status: RowStatus;
  exception: { waivers: VvtException[] } | null;
}

export interface Vvt {
  baseline: "BIO2";
  version: string;
  organisation: string | null;
  generatedAt: string;
  /** The audited document, or null when the statement was made without one. */
  audited: { document: string; stack: string | null } | null;
  attribution: string;
  rows: VvtRow[];
  annex: VvtException[];
}

export interface VvtInput {
  policies: readonly MuniPolicy[];
  /** Per policy, its tally in the audit of the document; undefined when nothing was audited. */
  tallies: ReadonlyMap<string, PolicyTally> | undefined;
  waivers: WaiverSet;
  applicability: Applicability;
  audited: Vvt["audited"];
  now: Date;
}

function notApplicableReason(entry: Bio2Entry, applicability: Applicability): string | undefined {
  if (entry.status === "vervallen") return "Vervallen in BIO2: no measure under this id.";
  if (entry.status === "moved") return `Verplaatst naar ${entry.target ?? "?"}: answered there.`;
  if (entry.status === "see") return `Zie ${entry.target ?? "?"}: answered there.`;
  return applicability.notApplicable.get(entry.id);
}

function evidenceResult(tally: PolicyTally | undefined, audited: boolean): EvidenceResult {
  if (!audited) return "not-audited";
  const ran =
    tally !== undefined &&
    tally.enforcementLevel !== "disabled" &&
    tally.skipped === undefined &&
    tally.pass + tally.fail + tally.waived + tally.unknown + tally.notApplicable > 0;
  if (!ran) return "not-run";
  return tally.fail > 0 ? "fail" : tally.waived > 0 ? "waived" : "pass";
}

/** The worst result first: one failing policy makes the measure fail. */
function rowStatus(evidence: readonly VvtEvidence[]): RowStatus {
  if (evidence.length === 0) return "organisational";
  for (const result of ["fail", "waived", "pass", "not-run"] as const) {
    if (evidence.some((e) => e.result === result)) return result;
  }
  return "not-audited";
}

function exceptionOf(status: WaiverStatus, file: string, policies: readonly MuniPolicy[]): VvtException {
  const waiver = status.waiver;
  const waived = policies.filter((p) => waiver?.policies.includes(p.name) === true);
  const entries = bio2Catalog().entries;
  const evidenced = entries.filter((e) => waived.some((p) => evidencesBio2Entry(e, p))).map((e) => e.id);
  const bio2Ids = waiver?.bio2Measures ?? evidenced;
  return {
    waiverId: status.id,
    state: status.state,
    category: waiver?.category ?? null,
    policies: waiver?.policies ?? [],
    bio2Ids,
    riskAnalysis: waiver?.riskAnalysis ?? null,
    riskOwner: waiver?.riskOwner ?? null,
    approvedBy: waiver?.approvedBy ?? null,
    approvedOn: waiver?.approvedOn ?? null,
    expiresOn: waiver?.expiresOn ?? null,
    ticket: waiver?.ticket ?? null,
    justification: waiver?.justification ?? null,
    compensatingControls: waiver?.compensatingControls ?? null,
    source: `${file}:${status.line}`,
  };
}

export function buildVvt(input: VvtInput): Vvt {
  const catalog = bio2Catalog();
  const annex = input.waivers.statuses.map((s) => exceptionOf(s, input.waivers.file, input.policies));
  const audited = input.tallies !== undefined;
  const rows = catalog.entries.map((entry): VvtRow => {
    const answeredBy = answeredByFor(input.applicability, entry.id) ?? null;
    const notApplicable = notApplicableReason(entry, input.applicability);
    const exceptions = annex.filter((x) => x.bio2Ids.includes(entry.id));
    const exception = exceptions.length > 0 ? { waivers: exceptions } : null;
    const title = entry.topic ?? entry.isoTitle;
    const catalogStatus = entry.status;
    const base = { id: entry.id, isoControl: entry.isoControl, title, catalogStatus, answeredBy, exception };
    if (notApplicable !== undefined) {
      return { ...base, applicable: false, reason: notApplicable, evidence: [], status: "not-applicable" };
    }
    const evidence = input.policies
      .filter((p) => evidencesBio2Entry(entry, p))
      .map((p): VvtEvidence => {
        const tally = input.tallies?.get(p.name);
        return {
          policyId: p.name,
          title: p.displayName,
          partial: (p.bio2Partial ?? []).includes(entry.id),
          result: evidenceResult(tally, audited),
          pass: tally?.pass ?? 0,
          fail: tally?.fail ?? 0,
          waived: tally?.waived ?? 0,
          unknown: tally?.unknown ?? 0,
        };
      });
    const gom = entry.status === "GOM" ? "Geen overheidsmaatregel: the ISO/IEC 27002 guidance applies. " : "";
    const how =
      evidence.length > 0
        ? "Evidenced in part by muniops policies on the stack's resources; its policy and procedures are " +
          "organisational."
        : `Organisational: outside muniops' reach.`;
    return { ...base, applicable: true, reason: `${gom}${how}`, evidence, status: rowStatus(evidence) };
  });
  return {
    baseline: "BIO2",
    version: catalog.version,
    organisation: input.applicability.organisation ?? null,
    generatedAt: input.now.toISOString(),
    audited: input.audited,
    attribution:
      `BIO2 entries: ${catalog.attribution}, ${catalog.license} (${catalog.source.repository}); ` +
      "ISO/IEC 27002:2022 ids and titles only.",
    rows,
    annex,
  };
}
