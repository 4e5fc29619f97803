// The yearly BIO2 8.08.01 figures, month by month: shares over server-days (a waived breach within, an
// unknown day not), servers in breach and mitigated, and the time to patch (counted up to the first reading
// without the update, so never understated), a patch on 1 January counted from 31 December's reading.
import { afterAll, describe, expect, test } from "vitest";
import { parseWaivers } from "../../../policies/waivers.js";
import type { PatchState } from "../../../dashboard/domain/patchCompliance.js";
import { patchEvidence } from "../../../dashboard/domain/patchEvidence.js";
import { savePatchSnapshots } from "../../../dashboard/data-access/patchSnapshots.js";
import {
  patchEvidenceFiles,
  patchEvidenceForYear,
  patchEvidenceSection,
} from "../../../dashboard/app/patchEvidence.js";
import { evidenceSections } from "../../../dashboard/app/evidence/evidenceSections.js";
import { parseCsv } from "../../../dashboard/domain/csv.js";
import { freshLedger, sqliteBackend } from "../helpers/backends.js";

const day = 86_400;
const snap = (host: string, date: string, pending: number | null, ageDays: number | null): PatchState => ({
  host,
  department: "burgerzaken",
  at: `${date}T02:00:00.000Z`,
  securityPending: pending,
  otherPending: 0,
  securityOldestAgeSeconds: ageDays === null ? null : ageDays * day,
  rebootRequired: false,
  rebootRequiredAgeSeconds: 0,
});

const waivers = parseWaivers(
  `schemaVersion: 1
waivers:
  - id: WVR-2026-003
    policies: [host-updates-require-security-within-week]
    scope: { hosts: [b] }
    category: Waiver
    justification: Vendor-certified update only.
    riskOwner: CISO
    riskAnalysis: RA-2026-002
    approvedBy: CISO
    approvedOn: 2026-01-15
    ticket: T-1
    expiresOn: 2026-02-28
`,
  "w.yaml",
  new Date("2026-02-01"),
);

const snapshots = [
  snap("d", "2025-12-31", 1, 2),
  snap("d", "2026-01-01", 0, 0),
  snap("a", "2026-01-30", 1, 6),
  snap("a", "2026-01-31", 1, 7),
  snap("a", "2026-02-01", 1, 8),
  snap("a", "2026-02-02", 0, 0),
  snap("b", "2026-02-01", 3, 10),
  snap("c", "2026-02-01", null, null),
];

describe("patch evidence for a year", () => {
  const evidence = patchEvidence(2026, snapshots, waivers);

  test("January: every server-day within; the patch of 1 January counted from 31 December", () => {
    expect(evidence.months[0]).toEqual({
      month: "2026-01",
      serverDays: 3,
      servers: 2,
      shareWithinRule: 1,
      serversInBreach: 0,
      breachDays: 0,
      serversMitigated: 0,
      waivers: [],
      unknownDays: 0,
      patched: 1,
      meanTimeToPatchDays: 3,
    });
  });

  test("February: a breach, a waived breach, an unknown server, a patch after 8 days counted as 9", () => {
    expect(evidence.months[1]).toEqual({
      month: "2026-02",
      serverDays: 4,
      servers: 3,
      shareWithinRule: 0.5,
      serversInBreach: 1,
      breachDays: 1,
      serversMitigated: 1,
      waivers: ["WVR-2026-003"],
      unknownDays: 1,
      patched: 1,
      meanTimeToPatchDays: 9,
    });
    expect(evidence.months[2]).toMatchObject({ month: "2026-03", serverDays: 0, shareWithinRule: null });
    expect(evidence.wholeYear).toMatchObject({ serverDays: 7, servers: 4, patched: 2, meanTimeToPatchDays: 6 });
  });
});

describe("from the ledger", () => {
  const backend = sqliteBackend();
  afterAll(() => backend.cleanup());

  test("patchEvidenceForYear reads the year's snapshots and the dossier files carry the months", async () => {
    const ledger = await freshLedger(backend);
    try {
      await savePatchSnapshots(ledger.db, snapshots);
      const evidence = await patchEvidenceForYear(ledger.db, 2026, waivers);
      expect(evidence).toEqual(patchEvidence(2026, snapshots, waivers));
      const [csv, json] = patchEvidenceFiles(evidence);
      expect(csv?.path).toBe("8.08.01-patches/maanden.csv");
      const rows = parseCsv(csv?.content ?? "").map((r) => r.fields);
      expect(rows).toHaveLength(1 + 12 + 1);
      expect(rows[2]).toEqual(["2026-02", "4", "3", "0.5", "1", "1", "1", "WVR-2026-003", "1", "1", "9"]);
      expect(JSON.parse(json?.content ?? "{}")).toMatchObject({ measure: "8.08.01", ruleDays: 7, year: 2026 });
      // `muniops evidence --year` writes it as a section of the dossier, with the dossier's waivers
      expect(evidenceSections).toContain(patchEvidenceSection);
      expect(await patchEvidenceSection.files({ db: ledger.db, year: 2026, waivers })).toEqual([csv, json]);
    } finally {
      await ledger.close();
    }
  });
});
