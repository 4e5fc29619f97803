// The yearly ENSIA evidence dossier's rules, free of I/O: the year and its peildatum (31 December), the
// drift between consecutive audit runs, the waivers granted and expired in the year, and the manifest an
// auditor checks with `sha256sum -c` (every file, `<hex>  <path>`, sorted by path).
import { createHash } from "node:crypto";

/** One file of the dossier, its path relative to the dossier's root with forward slashes. */
export interface DossierFile {
  path: string;
  content: string | Uint8Array;
}

export const manifestName = "manifest.sha256";

/** The year's bounds: audits with generatedAt in [from, to) belong to it; `peildatum` is its last day. */
export function dossierYear(year: number): { from: string; to: string; peildatum: string } {
  return { from: `${year}-01-01T00:00:00.000Z`, to: `${year + 1}-01-01T00:00:00.000Z`, peildatum: `${year}-12-31` };
}

export function sha256Hex(content: string | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

/** `sha256sum` format over every file: a path with a newline or backslash could not be checked, so none has one. */
export function manifestOf(files: readonly DossierFile[]): string {
  return [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => {
      if (/[\n\\]/.test(f.path))
        throw new Error(`dossier path ${JSON.stringify(f.path)} cannot be listed in a manifest`);
      return `${sha256Hex(f.content)}  ${f.path}\n`;
    })
    .join("");
}

export interface RunMeasures {
  id: number;
  generatedAt: string;
  documentSha256: string | null;
  /** BIO2 entry → state in this run. */
  states: ReadonlyMap<string, string>;
}

export interface DriftRow {
  fromAudit: number;
  toAudit: number;
  at: string;
  measure: string;
  from: string;
  to: string;
  /** Whether the audited Pulumi document differs between the two runs (null: a run names no document). */
  documentChanged: boolean | null;
}

/** Each measure whose state differs between one run and the next (runs oldest first). */
export function driftBetweenRuns(runs: readonly RunMeasures[]): DriftRow[] {
  const rows: DriftRow[] = [];
  for (let i = 1; i < runs.length; i++) {
    const before = runs[i - 1];
    const after = runs[i];
    if (!before || !after) continue;
    const documentChanged =
      before.documentSha256 === null || after.documentSha256 === null
        ? null
        : before.documentSha256 !== after.documentSha256;
    const measures = [...new Set([...before.states.keys(), ...after.states.keys()])].sort();
    for (const measure of measures) {
      const from = before.states.get(measure) ?? "absent";
      const to = after.states.get(measure) ?? "absent";
      if (from !== to)
        rows.push({
          fromAudit: before.id,
          toAudit: after.id,
          at: after.generatedAt,
          measure,
          from,
          to,
          documentChanged,
        });
    }
  }
  return rows;
}

export interface WaiverFacts {
  id: string;
  policies: readonly string[];
  approvedOn: string | null;
  expiresOn: string | null;
  riskAnalysis: string | null;
  riskOwner: string | null;
}

export interface WaiverEvent extends WaiverFacts {
  event: "granted" | "expired";
  on: string;
}

/** Waivers approved in the year, and waivers whose expiry date fell in it (on or before the peildatum). */
export function waiverEventsOf(waivers: readonly WaiverFacts[], year: number): WaiverEvent[] {
  const inYear = (day: string | null): day is string => day !== null && day.startsWith(`${year}-`);
  const events: WaiverEvent[] = [];
  for (const w of waivers) {
    if (inYear(w.approvedOn)) events.push({ ...w, event: "granted", on: w.approvedOn });
    if (inYear(w.expiresOn)) events.push({ ...w, event: "expired", on: w.expiresOn });
  }
  return events.sort((a, b) => a.on.localeCompare(b.on) || a.id.localeCompare(b.id) || a.event.localeCompare(b.event));
}
