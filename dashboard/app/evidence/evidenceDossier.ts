// `muniops evidence --year YYYY`: the yearly ENSIA dossier (peildatum 31 December) of one stack, built from
// the ledger's audit history and the registers by the providers in evidenceSections.ts, with an index
// (LEESMIJ.md) and `manifest.sha256` over every file. Written to a folder by the CLI, zipped by the page.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { zipSync } from "fflate";
import { UsageError } from "../../../errors.js";
import { readInventory } from "../../../contracts/inventory.js";
import { loadApplicability } from "../../../policies/vvt/applicability.js";
import { loadWaivers } from "../../../policies/waivers.js";
import { auditReportText, auditsBetween, lastAuditPerStackBefore } from "../../data-access/auditReports.js";
import type { LedgerDb } from "../../data-access/database.js";
import { auditReportSchema } from "../../domain/compliance.js";
import { dossierYear, manifestName, manifestOf, type DossierFile } from "../../domain/evidenceDossier.js";
import { evidenceSections, type EvidenceContext, type StoredRun } from "./evidenceSections.js";
import type { AuditSummaryRow } from "../../data-access/auditReports.js";

export interface DossierOptions {
  year: number;
  /** The stack; may be left out when the year's audits are of one stack only. */
  stack?: string | undefined;
  waiversFile: string;
  applicabilityFile: string;
  inventoryFile?: string | undefined;
  now: number;
}

export interface Dossier {
  stack: string;
  year: number;
  /** Every file, the manifest last. */
  files: DossierFile[];
}

async function storedRun(db: LedgerDb, summary: AuditSummaryRow): Promise<StoredRun> {
  const text = await auditReportText(db, summary.id);
  // stored reports were validated on the way in; parsing again keeps the types honest
  return { summary, report: auditReportSchema.parse(JSON.parse(text ?? "null")) };
}

async function chooseStack(db: LedgerDb, options: DossierOptions): Promise<string> {
  const { to } = dossierYear(options.year);
  const stacks = (await lastAuditPerStackBefore(db, to)).map((s) => s.stack);
  if (options.stack !== undefined) {
    if (!stacks.includes(options.stack))
      throw new UsageError(
        `no audit of stack "${options.stack}" up to ${options.year}; ` +
          `stacks with an audit: ${stacks.join(", ") || "none"}`,
      );
    return options.stack;
  }
  if (stacks.length === 1 && stacks[0] !== undefined) return stacks[0];
  throw new UsageError(
    stacks.length === 0
      ? `no audit in the ledger up to ${options.year}: record audits (muniops audit --record, or the dashboard's run)`
      : `the ledger holds audits of several stacks (${stacks.join(", ")}): choose one with --stack`,
  );
}

export async function evidenceContext(db: LedgerDb, options: DossierOptions): Promise<EvidenceContext> {
  if (!Number.isInteger(options.year) || options.year < 2000 || options.year > 9999)
    throw new UsageError(`--year must be a year such as 2026, got ${String(options.year)}`);
  const stack = await chooseStack(db, options);
  const { from, to, peildatum } = dossierYear(options.year);
  const summaries = await auditsBetween(db, { from, to, stack });
  const runs = await Promise.all(summaries.map((s) => storedRun(db, s)));
  const last = (await lastAuditPerStackBefore(db, to)).find((s) => s.stack === stack);
  return {
    db,
    year: options.year,
    peildatum,
    stack,
    runs,
    bestaan: last ? (runs.find((r) => r.summary.id === last.id) ?? (await storedRun(db, last))) : undefined,
    waivers: loadWaivers(options.waiversFile, new Date(`${peildatum}T12:00:00Z`)),
    applicability: loadApplicability(options.applicabilityFile),
    inventory: options.inventoryFile === undefined ? undefined : readInventory(options.inventoryFile),
    inventoryFile: options.inventoryFile,
  };
}

function indexOf(context: EvidenceContext, files: readonly DossierFile[], now: number): DossierFile {
  const sections = evidenceSections.map((s) => `- **${s.title}** (\`${s.id}\`)`);
  const text = [
    `# ENSIA-bewijsdossier ${context.year} — stack ${context.stack}`,
    "",
    `Peildatum: ${context.peildatum}. Samengesteld: ${new Date(now).toISOString()} door muniops evidence.`,
    `Audits in ${context.year}: ${context.runs.length}. Bestaan op de peildatum: ${
      context.bestaan
        ? `audit ${context.bestaan.summary.id} van ${context.bestaan.summary.generatedAt}`
        : "geen audit vóór de peildatum"
    }.`,
    "",
    "## Onderdelen",
    "",
    ...sections,
    "",
    "## Controle op ongewijzigdheid",
    "",
    `\`${manifestName}\` bevat de SHA-256 van elk bestand. Controleer in deze map met \`sha256sum -c ${manifestName}\``,
    "(elke regel moet OK geven).",
    "",
    "## Bestanden",
    "",
    ...files.map((f) => `- \`${f.path}\``),
    "",
  ].join("\n");
  return { path: "LEESMIJ.md", content: text };
}

export async function buildEvidenceDossier(db: LedgerDb, options: DossierOptions): Promise<Dossier> {
  const context = await evidenceContext(db, options);
  const files: DossierFile[] = [];
  for (const section of evidenceSections) files.push(...(await section.files(context)));
  const all = [indexOf(context, files, options.now), ...files];
  return {
    stack: context.stack,
    year: context.year,
    files: [...all, { path: manifestName, content: manifestOf(all) }],
  };
}

/** Write the dossier into `dir` (created; existing files of the same name are replaced). */
export function writeDossier(dir: string, dossier: Dossier): void {
  for (const file of dossier.files) {
    const path = join(dir, ...file.path.split("/"));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
}

/** The dossier as one zip, in a folder named after the year and stack, for the page's download. */
export function zipDossier(dossier: Dossier): Uint8Array {
  const root = `ensia-${dossier.year}-${dossier.stack.replace(/[^A-Za-z0-9._-]/g, "_")}`;
  const entries = Object.fromEntries(
    dossier.files.map((f) => [
      `${root}/${f.path}`,
      typeof f.content === "string" ? new TextEncoder().encode(f.content) : f.content,
    ]),
  );
  return zipSync(entries, { level: 6, mtime: new Date(Date.UTC(2000, 0, 1)) });
}
