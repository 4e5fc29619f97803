// `muniops ledger import|export`: all or nothing. Every bad row is listed with its line and reason,
// references (a contract's product, an assignment's department) are checked against the file and the
// ledger together, and the whole file is applied in one transaction, audited per record.
import { extname, basename } from "node:path";
import { UsageError } from "../../errors.js";
import type { Ledger } from "../data-access/database.js";
import { applyMasterDataChanges, loadMasterData, type ChangeSummary } from "../data-access/masterData.js";
import { entityKinds, type EntityKind } from "../domain/records.js";
import type { MasterData } from "../domain/records.js";
import {
  fileKinds,
  parseCsvFile,
  parseYamlFile,
  toCsvFile,
  toYamlFile,
  type FileProblem,
  type ParsedFile,
} from "../domain/masterDataFile.js";
import { masterDataMaxBytes } from "../domain/masterDataFile.js";
import { readTextFile } from "../../yamlFile.js";

export type FileFormat = "yaml" | "csv";

export function kindFromName(name: string): EntityKind {
  const wanted = name.replace(/[-_]/g, "").toLowerCase();
  const match = entityKinds.find((k) => k.toLowerCase() === wanted || fileKinds[k].toLowerCase() === wanted);
  if (!match) throw new UsageError(`--kind must be one of ${Object.values(fileKinds).join(", ")}, got "${name}"`);
  return match;
}

export function formatOf(path: string, explicit?: string): FileFormat {
  const format = (explicit ?? extname(path).slice(1)).toLowerCase();
  if (format === "yaml" || format === "yml") return "yaml";
  if (format === "csv") return "csv";
  throw new UsageError(`--format must be yaml or csv (or a .yaml/.csv file name), got "${explicit ?? path}"`);
}

/** Check references across the file and the ledger; problems name the line of the referring row. */
function checkReferences(parsed: ParsedFile, existing: MasterData): FileProblem[] {
  const problems: FileProblem[] = [];
  const ids = (kind: EntityKind, idOf: (r: never) => string): Set<string> =>
    new Set([...(existing[kind] as never[]), ...((parsed.records[kind] ?? []) as never[])].map(idOf));
  const departments = ids("departments", (d: { id: string }) => d.id);
  const products = ids("licenceProducts", (p: { id: string }) => p.id);
  const lineOf = (kind: EntityKind, i: number): number => parsed.lines.get(`${kind}:${i}`) ?? 1;
  const dept = (kind: EntityKind, i: number, value: string | null, path: string): void => {
    if (value !== null && !departments.has(value))
      problems.push({ line: lineOf(kind, i), path, message: `unknown department "${value}"` });
  };
  parsed.records.hosts?.forEach((h, i) => {
    dept("hosts", i, h.department, `hosts[${i}].department`);
  });
  parsed.records.shares?.forEach((s, i) => {
    dept("shares", i, s.department, `shares[${i}].department`);
  });
  parsed.records.licenceAssignments?.forEach((a, i) => {
    dept("licenceAssignments", i, a.department, `licenceAssignments[${i}].department`);
    if (!products.has(a.productId))
      problems.push({
        line: lineOf("licenceAssignments", i),
        path: `licenceAssignments[${i}].product`,
        message: `unknown licence product "${a.productId}"`,
      });
  });
  parsed.records.licenceContracts?.forEach((c, i) => {
    if (!products.has(c.productId))
      problems.push({
        line: lineOf("licenceContracts", i),
        path: `licenceContracts[${i}].product`,
        message: `unknown licence product "${c.productId}"`,
      });
  });
  parsed.records.costItems?.forEach((c, i) => {
    for (const d of Object.keys(c.percentages ?? {})) dept("costItems", i, d, `costItems[${i}].percentages.${d}`);
  });
  for (const kind of entityKinds) {
    const seen = new Map<string, number>();
    ((parsed.records[kind] ?? []) as { id?: string; name?: string; validFrom?: string }[]).forEach((r, i) => {
      const key = r.id ?? (kind === "rateVersions" ? r.validFrom : r.name) ?? "";
      const first = seen.get(key);
      if (first !== undefined)
        problems.push({
          line: lineOf(kind, i),
          path: `${fileKinds[kind]}[${i}]`,
          message: `duplicate "${key}" (first on line ${lineOf(kind, first)})`,
        });
      else seen.set(key, i);
    });
  }
  return problems;
}

export interface ImportOptions {
  format: FileFormat;
  /** For CSV: which kind the file holds. */
  kind?: EntityKind;
  /** Shown in problems (the file name). */
  source: string;
  actor: string;
}

export async function importMasterData(ledger: Ledger, text: string, options: ImportOptions): Promise<ChangeSummary[]> {
  if (options.format === "csv" && !options.kind)
    throw new UsageError("a CSV import needs --kind (departments, hosts, rateCards, licenceContracts, …)");
  const parsed =
    options.format === "yaml" ? parseYamlFile(text, options.source) : parseCsvFile(text, options.kind ?? "departments");
  const existing = await loadMasterData(ledger.db);
  const problems = parsed.problems.length > 0 ? parsed.problems : checkReferences(parsed, existing);
  if (problems.length > 0) {
    const sorted = [...problems].sort((a, b) => a.line - b.line);
    throw new UsageError(
      [
        `${options.source}: ${sorted.length} bad row${sorted.length === 1 ? "" : "s"}, nothing imported:`,
        ...sorted.map((p) => `  ${options.source}:${p.line}: ${p.path}: ${p.message}`),
      ].join("\n"),
    );
  }
  return ledger.db.transaction().execute((trx) => applyMasterDataChanges(trx, parsed.records, {}, options.actor));
}

export async function importMasterDataFile(
  ledger: Ledger,
  path: string,
  options: { format?: string; kind?: string; actor: string },
): Promise<ChangeSummary[]> {
  const format = formatOf(path, options.format);
  // the one file reader for both formats: missing, a directory or too big is refused naming the file
  const text = readTextFile(path, `${format.toUpperCase()} file`, { maxBytes: masterDataMaxBytes });
  const kind = options.kind
    ? kindFromName(options.kind)
    : format === "csv"
      ? kindFromName(basename(path, extname(path)))
      : undefined;
  return importMasterData(ledger, text, { format, ...(kind ? { kind } : {}), source: path, actor: options.actor });
}

export async function exportMasterData(ledger: Ledger, format: FileFormat, kind?: EntityKind): Promise<string> {
  const data = await loadMasterData(ledger.db);
  if (format === "yaml") return toYamlFile(data);
  if (!kind) throw new UsageError("a CSV export needs --kind (one kind per file)");
  return toCsvFile(data, kind);
}
