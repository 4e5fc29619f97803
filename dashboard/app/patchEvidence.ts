// The patch rule's yearly figures for the BIO2 8.08.01 evidence: read the year's daily patch snapshots (and the
// last day before it, so a patch on 1 January counts) and judge them with the waivers; as files for the
// evidence dossier (`muniops evidence --year`): a CSV per month and the same as JSON.
import { emptyWaivers, type WaiverSet } from "../../policies/waivers.js";
import type { LedgerDb } from "../data-access/database.js";
import { patchSnapshotsBetween } from "../data-access/patchSnapshots.js";
import { writeCsv } from "../domain/csvWriter.js";
import { patchEvidence, type PatchEvidence } from "../domain/patchEvidence.js";
import { patchRuleDays } from "../domain/patchCompliance.js";

export async function patchEvidenceForYear(
  db: LedgerDb,
  year: number,
  waivers: WaiverSet = emptyWaivers,
): Promise<PatchEvidence> {
  const snapshots = await patchSnapshotsBetween(db, `${year - 1}-12-31`, `${year}-12-31`);
  return patchEvidence(year, snapshots, waivers);
}

const header = [
  "maand",
  "serverdagen",
  "servers",
  "aandeel_binnen_regel",
  "servers_in_overtreding",
  "overtredingsdagen",
  "servers_met_uitzondering",
  "uitzonderingen",
  "onbekende_serverdagen",
  "gepatcht",
  "gemiddelde_doorlooptijd_dagen",
] as const;

const round = (v: number | null, digits: number): number | null =>
  v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits;

/** The dossier's files of the patch rule: `8.08.01-patches/maanden.csv` (and the whole year) and `patches.json`. */
export function patchEvidenceFiles(evidence: PatchEvidence): { path: string; content: string }[] {
  const rows = [
    ...evidence.months.map((m) => ({ label: m.month, ...m })),
    { label: String(evidence.year), ...evidence.wholeYear },
  ].map((m) => [
    ...[m.label, m.serverDays, m.servers, round(m.shareWithinRule, 4), m.serversInBreach, m.breachDays],
    ...[m.serversMitigated, m.waivers.join(" "), m.unknownDays, m.patched, round(m.meanTimeToPatchDays, 2)],
  ]);
  const rule = { measure: "8.08.01", ruleDays: patchRuleDays };
  return [
    { path: "8.08.01-patches/maanden.csv", content: writeCsv(header, rows) },
    { path: "8.08.01-patches/patches.json", content: JSON.stringify({ ...rule, ...evidence }, null, 2) + "\n" },
  ];
}

/**
 * The dossier section (the shape of app/evidence/evidenceSections.ts's EvidenceSection, written structurally so
 * this file stands on its own): the waivers are the dossier's, as of its peildatum.
 */
export const patchEvidenceSection = {
  id: "8.08.01-patches",
  title: `Werking: beveiligingsupdates binnen ${patchRuleDays} dagen (BIO2 8.08.01), per maand`,
  async files(context: { db: LedgerDb; year: number; waivers: WaiverSet }) {
    return patchEvidenceFiles(await patchEvidenceForYear(context.db, context.year, context.waivers));
  },
};
