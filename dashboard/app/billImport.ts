// `muniops costs import FILE…`: the cloud bill as Azure Cost Management exports it (FOCUS, CSV, CSV.gz or
// Parquet), streamed into exact sums per group (domain/billGroups.ts) and stored per billing period.
// Idempotent: a file already imported (same SHA-256) changes nothing; the files of one call that cover
// a billing period (an export split into parts) replace that period as a whole, in one transaction,
// with the file hashes, rows and totals in the audit log.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { basename } from "node:path";
import { pipeline } from "node:stream/promises";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { UsageError, withContext } from "../../errors.js";
import { writeAudit } from "../data-access/auditLog.js";
import type { Ledger } from "../data-access/database.js";
import { loadMasterData } from "../data-access/masterData.js";
import {
  billingPeriod,
  knownBillFiles,
  recordBillFiles,
  replaceBillingPeriod,
  type StoredBillFile,
  type StoredBillingPeriod,
} from "../data-access/billStore.js";
import { BillGroups, type BillingPeriodTotals } from "../domain/billGroups.js";
import { CsvChunks } from "../domain/csvChunks.js";
import {
  allocateRow,
  focusColumnIndex,
  focusColumnsRead,
  focusRow,
  resourceOwners,
  type Allocation,
  type CellValue,
  type FocusColumn,
  type FocusRow,
  type ResourceOwners,
} from "../domain/focus.js";
import { formatBillAmount } from "../domain/money.js";

export type BillFileFormat = "csv" | "csv.gz" | "parquet";

export interface BillImportOptions {
  actor: string;
  /** Resource owners (from the inventory); default: the ledger's hosts and shares. */
  owners?: ResourceOwners;
  now?: Date;
}

export interface BillImportResult {
  files: { name: string; sha256: string; format: BillFileFormat; rows: number; skipped: boolean }[];
  billingPeriods: { period: string; rows: number; billedCost: string; effectiveCost: string; replaced: boolean }[];
}

/** A file's format by its first bytes (gzip 1f 8b, Parquet "PAR1"), else CSV. */
export async function billFileFormat(path: string): Promise<BillFileFormat> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw new UsageError(`couldn't read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (head[0] === 0x1f && head[1] === 0x8b) return "csv.gz";
    if (head.toString("latin1") === "PAR1") return "parquet";
    return "csv";
  } finally {
    await handle.close();
  }
}

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}

/** Stream a CSV (plain or gzip) FOCUS file's rows. */
async function readCsv(path: string, gzip: boolean, onRow: (row: FocusRow, where: string) => void): Promise<number> {
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const text = gzip ? source.pipe(createGunzip({ chunkSize: 1 << 20 })) : source;
  source.on("error", (error) => text.destroy(error));
  const decoder = new StringDecoder("utf8");
  const splitter = new CsvChunks();
  const name = basename(path);
  let index: Record<FocusColumn, number> | undefined;
  let fields: string[] = [];
  const cell = (c: FocusColumn): CellValue => {
    const i = index?.[c] ?? -1;
    return i < 0 ? undefined : fields[i];
  };
  let rows = 0;
  const take = (records: string[][]): void => {
    for (const record of records) {
      if (index === undefined) {
        index = focusColumnIndex(record, path);
        continue;
      }
      fields = record;
      rows += 1;
      const where = `${name} row ${rows}`;
      onRow(focusRow(cell, where), where);
    }
  };
  try {
    for await (const chunk of text as AsyncIterable<Buffer>) take(splitter.push(decoder.write(chunk)));
    take(splitter.push(decoder.end()));
    take(splitter.end());
  } catch (error) {
    text.destroy();
    throw error instanceof UsageError ? error : withContext(`couldn't read ${path}`, error);
  }
  if (index === undefined) throw new UsageError(`${path}: empty file: a FOCUS export has a header row`);
  return rows;
}

/** Read a Parquet FOCUS file one row group at a time, only the columns the import uses. */
async function readParquet(path: string, onRow: (row: FocusRow, where: string) => void): Promise<number> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import("hyparquet");
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  const header = metadata.schema.slice(1).map((e) => e.name);
  focusColumnIndex(header, path);
  const columns = focusColumnsRead.filter((c) => header.includes(c));
  const name = basename(path);
  let rowStart = 0;
  let rows = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const objects = (await parquetReadObjects({ file, metadata, columns, rowStart, rowEnd })) as Record<
      string,
      CellValue
    >[];
    for (const object of objects) {
      rows += 1;
      onRow(
        focusRow((c) => object[c], `${name} row ${rows}`),
        `${name} row ${rows}`,
      );
    }
    rowStart = rowEnd;
  }
  return rows;
}

interface ReadFile {
  name: string;
  sha256: string;
  format: BillFileFormat;
  rows: number;
  billingPeriods: Set<string>;
}

async function readBillFile(path: string, allocate: (row: FocusRow) => void): Promise<ReadFile> {
  const format = await billFileFormat(path);
  const sha256 = await fileSha256(path);
  const billingPeriods = new Set<string>();
  const onRow = (row: FocusRow, where: string): void => {
    if (row.currency !== "" && row.currency !== "EUR")
      throw new UsageError(`${where}: BillingCurrency is ${row.currency}: the chargeback is in EUR`);
    billingPeriods.add(row.billingPeriod);
    allocate(row);
  };
  const rows = format === "parquet" ? await readParquet(path, onRow) : await readCsv(path, format === "csv.gz", onRow);
  return { name: basename(path), sha256, format, rows, billingPeriods };
}

/** Import FOCUS files into the ledger. */
export async function importBill(
  ledger: Ledger,
  paths: readonly string[],
  options: BillImportOptions,
): Promise<BillImportResult> {
  if (paths.length === 0) throw new UsageError("no file to import: give one or more FOCUS exports");
  const hashes = await Promise.all(paths.map(fileSha256));
  const known = await knownBillFiles(ledger.db, hashes);
  if (hashes.every((h) => known.has(h))) {
    const files = await Promise.all(
      paths.map(async (p, i) => ({
        name: basename(p),
        sha256: hashes[i] ?? "",
        format: await billFileFormat(p),
        rows: 0,
        skipped: true,
      })),
    );
    return { files, billingPeriods: [] };
  }
  const master = await loadMasterData(ledger.db);
  const knownDepartments = new Set(master.departments.map((d) => d.id));
  const owners = options.owners ?? resourceOwners(ledgerResources(master));
  const groups = new BillGroups();
  // A bill repeats the same tags and resources on every day's rows: allocate each combination once.
  const allocated = new Map<string, Allocation>();
  const allocate = (row: FocusRow): void => {
    const key = `${row.tags}\u0000${row.resourceId}`;
    let allocation = allocated.get(key);
    if (allocation === undefined) {
      if (allocated.size >= 200_000) allocated.clear();
      allocation = allocateRow(row, owners, knownDepartments);
      allocated.set(key, allocation);
    }
    groups.add(row, allocation.department, allocation.method);
  };
  const read: ReadFile[] = [];
  for (const path of paths) read.push(await readBillFile(path, allocate));
  const replaced = await store(ledger, groups, read, options);
  return {
    files: read.map((f) => ({ name: f.name, sha256: f.sha256, format: f.format, rows: f.rows, skipped: false })),
    billingPeriods: groups.billingPeriods().map((p) => ({
      period: p.billingPeriod,
      rows: p.rows,
      billedCost: formatBillAmount(p.billedCost),
      effectiveCost: formatBillAmount(p.effectiveCost),
      replaced: replaced.has(p.billingPeriod),
    })),
  };
}

function ledgerResources(master: Awaited<ReturnType<typeof loadMasterData>>) {
  const owned = <T extends { department: string | null }>(list: T[]) =>
    list.flatMap((x) => (x.department === null ? [] : [{ ...x, department: x.department }]));
  return { hosts: owned(master.hosts), shares: owned(master.shares) };
}

/** Replace every billing period the files cover, in one transaction; returns those that existed before. */
async function store(
  ledger: Ledger,
  groups: BillGroups,
  files: readonly ReadFile[],
  options: BillImportOptions,
): Promise<Set<string>> {
  const at = (options.now ?? new Date()).toISOString();
  const all = groups.all();
  const replaced = new Set<string>();
  await ledger.db.transaction().execute(async (trx) => {
    for (const totals of groups.billingPeriods()) {
      const before = await billingPeriod(trx, totals.billingPeriod);
      if (before) replaced.add(totals.billingPeriod);
      const period: StoredBillingPeriod = {
        ...totals,
        currency: totals.currency || "EUR",
        files: files
          .filter((f) => f.billingPeriods.has(totals.billingPeriod))
          .map((f) => ({ name: f.name, sha256: f.sha256 })),
        importedAt: at,
        importedBy: options.actor,
      };
      const periodGroups = all.filter((g) => g.billingPeriod === totals.billingPeriod);
      await replaceBillingPeriod(trx, period, periodGroups);
      await writeAudit(trx, {
        actor: options.actor,
        action: before ? "replace" : "import",
        entity: "bill",
        entityId: totals.billingPeriod,
        ...(before ? { before: auditTotals(before, before.files) } : {}),
        after: auditTotals(totals, period.files),
        at,
      });
    }
    const stored: StoredBillFile[] = files.map((f) => ({
      sha256: f.sha256,
      name: f.name,
      rows: f.rows,
      billingPeriods: [...f.billingPeriods].sort(),
    }));
    await recordBillFiles(trx, stored, at);
  });
  return replaced;
}

function auditTotals(t: BillingPeriodTotals, files: readonly { name: string; sha256: string }[]) {
  return {
    billingPeriod: t.billingPeriod,
    currency: t.currency || "EUR",
    rows: t.rows,
    billedCost: formatBillAmount(t.billedCost),
    effectiveCost: formatBillAmount(t.effectiveCost),
    files,
  };
}
