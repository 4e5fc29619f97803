// The child process of bench/costs.bench.ts: one measurement per process, so its peak RSS is the
// measurement's own. `import FILE DB`: import a FOCUS export into a SQLite ledger (seeded with the
// departments); `parse FILE`: the reference, gunzip + csv-parse over the same file, counting records.
// Prints one JSON line {ms, rows, cpuMs, maxRssMiB} (CPU of the whole process, module loading included).
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";
import { importBill } from "../dashboard/app/billImport.js";
import { openLedger } from "../dashboard/data-access/database.js";
import { applyMasterDataChanges } from "../dashboard/data-access/masterData.js";

async function parseOnly(file: string): Promise<number> {
  const parser = parse({ bom: true, skip_empty_lines: true });
  const feeding = pipeline(createReadStream(file), createGunzip(), parser);
  let rows = 0;
  for await (const _record of parser as AsyncIterable<string[]>) rows += 1;
  await feeding;
  return rows - 1;
}

async function importInto(file: string, db: string, departments: string[]): Promise<number> {
  const ledger = await openLedger(db, { create: true });
  try {
    await ledger.db.transaction().execute((trx) =>
      applyMasterDataChanges(
        trx,
        {
          departments: departments.map((id) => ({
            id,
            name: id,
            costCenter: "KP-1",
            headcount: 10,
            annualBudgetCents: null,
          })),
        },
        {},
        "bench",
      ),
    );
    const started = performance.now();
    const result = await importBill(ledger, [file], { actor: "bench", owners: new Map() });
    process.stderr.write(`import ${Math.round(performance.now() - started)} ms\n`);
    return result.files[0]?.rows ?? 0;
  } finally {
    await ledger.close();
  }
}

const [mode = "", file = "", db = "", departments = ""] = process.argv.slice(2);
const started = performance.now();
const rows = mode === "parse" ? await parseOnly(file) : await importInto(file, db, departments.split(","));
const ms = performance.now() - started;
const usage = process.resourceUsage();
const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
process.stdout.write(`${JSON.stringify({ ms, rows, cpuMs, maxRssMiB: usage.maxRSS / 1024 })}\n`);
