// The coverage matrix of an audit: every entry of the chosen baseline → the policies that evidence it →
// their pass/fail/waived counts. An entry no policy evidences is a row too, marked as such: an auditor
// must see the gaps, not infer them from what is missing.
import { bio2Catalog, isLive, type Bio2Entry } from "../bio2Catalog.js";
import { bioControls } from "../bioControls.js";
import type { Baseline } from "../baseline.js";
import type { PolicyTally } from "./evaluate.js";

export const notEvidencedByPolicy = "not evidenced by a policy";
export const noEvidencingPolicyRan = "no evidencing policy ran on this document";

/** What the matrix needs of a policy row of the report. */
export interface EvidenceSource extends PolicyTally {
  bioControls: readonly string[];
  bio2Measures: readonly string[];
  bio2Partial?: readonly string[];
  isoControls: readonly string[];
}

export interface CoverageRow {
  /** The baseline's id: a BIO2 id (`8.21.02`) or a Cloud-theme control (`U.05.1`). */
  control: string;
  /** BIO2: our topic, or the ISO title for a GOM entry; Cloud theme: the control's text. */
  text: string;
  policies: { policyId: string; pass: number; fail: number; waived: number; unknown: number; partial?: boolean }[];
  pass: number;
  fail: number;
  waived: number;
  /** BIO2 only: the ISO/IEC 27002:2022 control and the entry's status (measure, or GOM). */
  isoControl?: string;
  status?: "measure" | "GOM";
  /** Why no policy results are given; absent when at least one evidencing policy ran. */
  gap?: typeof notEvidencedByPolicy | typeof noEvidencingPolicyRan;
}

interface Entry {
  id: string;
  text: string;
  isoControl?: string;
  status?: "measure" | "GOM";
  evidences: (policy: EvidenceSource) => boolean;
}

/**
 * A BIO2 measure is evidenced by the policies naming it; a GOM entry ("geen overheidsmaatregel": the ISO
 * guidance applies) by the policies implementing its ISO control's guidance. Vervallen and moved entries
 * ask nothing: no policy evidences them.
 */
export function evidencesBio2Entry(entry: Bio2Entry, policy: Pick<EvidenceSource, "bio2Measures" | "isoControls">) {
  if (entry.status === "GOM") return policy.isoControls.includes(entry.isoControl);
  return entry.status === "measure" && policy.bio2Measures.includes(entry.id);
}

/** The live BIO2 entries (measures and GOM entries): vervallen and moved ones have no row. */
function bio2Entries(): Entry[] {
  return bio2Catalog()
    .entries.filter(isLive)
    .map((e): Entry => {
      const status = e.status === "GOM" ? "GOM" : "measure";
      const gom = `${e.isoTitle} (ISO ${e.isoControl}: no government measure)`;
      const text = status === "GOM" ? gom : (e.topic ?? e.isoTitle);
      return { id: e.id, text, isoControl: e.isoControl, status, evidences: (p) => evidencesBio2Entry(e, p) };
    });
}

function cloudThemeEntries(): Entry[] {
  return bioControls.map((c) => ({ id: c.id, text: c.text, evidences: (p) => p.bioControls.includes(c.id) }));
}

/** A policy counts as evidence only when it ran: enabled, not skipped, and something evaluated. */
export function policyRan(p: EvidenceSource): boolean {
  const evaluated = p.pass + p.fail + p.waived + p.unknown + p.notApplicable;
  return p.enforcementLevel !== "disabled" && p.skipped === undefined && evaluated > 0;
}

export function coverageRows(policies: readonly EvidenceSource[], baseline: Baseline): CoverageRow[] {
  const entries = baseline === "bio2" ? bio2Entries() : cloudThemeEntries();
  return entries.map((entry): CoverageRow => {
    const mapped = policies.filter(entry.evidences);
    const ran = mapped.filter(policyRan);
    const sum = (key: "pass" | "fail" | "waived"): number => ran.reduce((n, r) => n + r[key], 0);
    const row: CoverageRow = {
      control: entry.id,
      text: entry.text,
      policies: ran.map((r) => ({
        policyId: r.policyId,
        pass: r.pass,
        fail: r.fail,
        waived: r.waived,
        unknown: r.unknown,
        ...((r.bio2Partial ?? []).includes(entry.id) ? { partial: true } : {}),
      })),
      pass: sum("pass"),
      fail: sum("fail"),
      waived: sum("waived"),
    };
    if (entry.isoControl !== undefined) row.isoControl = entry.isoControl;
    if (entry.status !== undefined) row.status = entry.status;
    if (ran.length === 0) row.gap = mapped.length === 0 ? notEvidencedByPolicy : noEvidencingPolicyRan;
    return row;
  });
}

/** The rows with policy results, and the ids of the gaps: the terminal shows gaps as one list. */
export function splitCoverage(rows: readonly CoverageRow[]): { evidenced: CoverageRow[]; gaps: CoverageRow[] } {
  return { evidenced: rows.filter((r) => r.gap === undefined), gaps: rows.filter((r) => r.gap !== undefined) };
}
