// The sections of the yearly evidence dossier, in the order they are written. Each provider turns the
// year's context into files; adding evidence (patch state, BIO2 8.08.01, from issue 19's patch
// compliance; restore tests, 8.13.04) is one provider appended to `evidenceSections`, nothing else.
import type { Inventory } from "../../../contracts/inventory.js";
import type { Applicability } from "../../../policies/vvt/applicability.js";
import type { WaiverSet } from "../../../policies/waivers.js";
import type { AuditSummaryRow } from "../../data-access/auditReports.js";
import type { LedgerDb } from "../../data-access/database.js";
import type { StoredAuditReport } from "../../domain/compliance.js";
import type { DossierFile } from "../../domain/evidenceDossier.js";
import { auditRunsSection, bestaanSection, driftSection, measuresSection } from "./auditSections.js";
import { inventorySection, vvtSection, waiversSection } from "./registerSections.js";
import { patchEvidenceSection } from "../patchEvidence.js";

export interface StoredRun {
  summary: AuditSummaryRow;
  report: StoredAuditReport;
}

export interface EvidenceContext {
  db: LedgerDb;
  year: number;
  /** 31 December of the year (YYYY-MM-DD). */
  peildatum: string;
  stack: string;
  /** Every audit of the stack generated in the year, oldest first. */
  runs: readonly StoredRun[];
  /** The last audit of the stack before the end of the peildatum (in the year or before it), if any. */
  bestaan: StoredRun | undefined;
  /** The waivers file as of the peildatum. */
  waivers: WaiverSet;
  applicability: Applicability;
  /** The stack's inventory (5.09.01); undefined when none was given. */
  inventory: Inventory | undefined;
  inventoryFile: string | undefined;
}

export interface EvidenceSection {
  /** Folder (or file stem) of the section in the dossier. */
  id: string;
  /** Dutch heading in the dossier's index, with what it evidences. */
  title: string;
  files(context: EvidenceContext): Promise<DossierFile[]> | DossierFile[];
}

/** The dossier's sections, in order. Append a provider to add evidence. */
export const evidenceSections: EvidenceSection[] = [
  measuresSection,
  bestaanSection,
  auditRunsSection,
  driftSection,
  waiversSection,
  inventorySection,
  vvtSection,
  patchEvidenceSection,
];
