// `npm run bench`: runs every capability's benchmark (bench/*.bench.ts), prints one table of figures and
// ratios against references measured in the same run, and writes bench/results.json.
// `npm run bench -- agent ledger` runs only the benchmarks whose file name starts with one of the names;
// their rows replace that benchmark's rows in results.json and the others' rows are kept, so the file
// always holds the latest figure of every benchmark (each row says when it was measured).
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Table from "cli-table3";
import type { BenchResult, Benchmark } from "./benchmark.js";

const benchDir = dirname(fileURLToPath(import.meta.url));
const resultsFile = join(benchDir, "results.json");

/** The order issue 9 lists the capabilities in; a benchmark not listed here follows, alphabetically. */
const capabilityOrder = ["agent", "plan", "audit", "ledger", "dashboard", "rollout"];

/** Where and under what load a benchmark ran: figures from a busy 2-core machine are pessimistic. */
interface RunContext {
  date: string;
  node: string;
  platform: string;
  cpus: number;
  memoryGiB: number;
  /** The 1-minute load average when the benchmark started. */
  load1: number;
  seconds: number;
}

/** Rows written before the run context was recorded have none. */
type StoredResult = BenchResult & { run?: RunContext };

interface ResultsFile {
  date: string;
  node: string;
  results: StoredResult[];
}

function benchmarkFiles(only: readonly string[]): string[] {
  const rank = (file: string): number => {
    const index = capabilityOrder.indexOf(file.replace(/\.bench\.ts$/, ""));
    return index === -1 ? capabilityOrder.length : index;
  };
  return readdirSync(benchDir)
    .filter((f) => f.endsWith(".bench.ts"))
    .filter((f) => only.length === 0 || only.some((name) => f.startsWith(name)))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

async function runOne(file: string): Promise<{ name: string; results: StoredResult[]; failed: boolean }> {
  const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as { default: Benchmark };
  const name = mod.default.name;
  console.error(`▶ ${name}`);
  const started = performance.now();
  const context = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${platform()} ${process.arch}`,
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    load1: Number((loadavg()[0] ?? 0).toFixed(2)),
  };
  let results: BenchResult[];
  let failed = false;
  try {
    results = await mod.default.run();
  } catch (error) {
    failed = true;
    const message = error instanceof Error ? error.message : String(error);
    console.error(`  ${name} failed: ${message}`);
    results = [{ benchmark: name, metric: "error", value: NaN, unit: "", note: message }];
  }
  const run: RunContext = { ...context, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) };
  console.error(`  ${name}: ${run.seconds} s (load average ${context.load1} on ${context.cpus} CPUs at the start)`);
  // A benchmark may catch a failing part itself and report it as a row without a figure: a failure too.
  return {
    name,
    results: results.map((r) => ({ ...r, run })),
    failed: failed || results.some((r) => !Number.isFinite(r.value)),
  };
}

function previousResults(): StoredResult[] {
  if (!existsSync(resultsFile)) return [];
  try {
    const parsed = JSON.parse(readFileSync(resultsFile, "utf8")) as Partial<ResultsFile>;
    return Array.isArray(parsed.results) ? parsed.results : [];
  } catch {
    return []; // an unreadable or older file is simply replaced
  }
}

function printTable(results: readonly BenchResult[]): void {
  // Fixed widths (with wrapping) for the wordy columns keep the table within a wide terminal.
  const table = new Table({
    head: ["benchmark", "metric", "value", "reference", "ratio", "target", "ok", "note"],
    colWidths: [null, 34, null, 28, null, 16, null, 40],
    wordWrap: true,
    // Colours only on a terminal, so a piped or logged table stays plain text.
    ...(process.stdout.isTTY ? {} : { style: { head: [], border: [] } }),
  });
  for (const r of results) {
    const ratio = r.reference !== undefined && r.reference !== 0 ? r.value / r.reference : undefined;
    table.push([
      r.benchmark,
      r.metric,
      `${format(r.value)} ${r.unit}`.trim(),
      r.reference !== undefined ? `${format(r.reference)} ${r.unit} (${r.referenceName ?? "reference"})` : "",
      ratio !== undefined ? ratio.toFixed(2) : "",
      r.target ?? "",
      r.ok === undefined ? "" : r.ok ? "yes" : "NO",
      r.note ?? "",
    ]);
  }
  console.log(table.toString());
}

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  const files = benchmarkFiles(only);
  if (files.length === 0) {
    const available = benchmarkFiles([]).map((f) => f.replace(/\.bench\.ts$/, ""));
    console.error(
      only.length > 0
        ? `npm run bench: no benchmark matches ${only.join(", ")} (available: ${available.join(", ")})`
        : "no benchmarks yet: each capability adds bench/<name>.bench.ts",
    );
    return only.length > 0 ? 2 : 0;
  }
  const fresh: StoredResult[] = [];
  const ran = new Set<string>();
  let failures = 0;
  for (const file of files) {
    const outcome = await runOne(file);
    ran.add(outcome.name);
    fresh.push(...outcome.results);
    if (outcome.failed) failures++;
  }
  printTable(fresh);

  const kept = previousResults().filter((r) => !ran.has(r.benchmark));
  const order = (r: BenchResult): number => {
    const index = capabilityOrder.indexOf(r.benchmark);
    return index === -1 ? capabilityOrder.length : index;
  };
  // A stable sort: rows keep their order within a benchmark.
  const results = [...kept, ...fresh].sort((a, b) => order(a) - order(b));
  const document: ResultsFile = { date: new Date().toISOString(), node: process.version, results };
  const staging = `${resultsFile}.${process.pid}.tmp`;
  writeFileSync(staging, JSON.stringify(document, null, 2) + "\n");
  renameSync(staging, resultsFile);

  const withTarget = fresh.filter((r) => r.ok !== undefined);
  const missed = withTarget.filter((r) => r.ok === false);
  console.log(
    `targets: ${
      withTarget.length === 0
        ? "none in these benchmarks"
        : `${withTarget.length - missed.length} of ${withTarget.length} met`
    }${missed.length > 0 ? ` (missed: ${missed.map((r) => `${r.benchmark} ${r.metric}`).join("; ")})` : ""}${
      failures > 0 ? `; ${failures} benchmark(s) could not measure everything (rows without a value)` : ""
    }`,
  );
  const keptNames = [...new Set(kept.map((r) => r.benchmark))];
  console.log(
    `wrote bench/results.json${keptNames.length > 0 ? ` (kept earlier rows of ${keptNames.join(", ")})` : ""}`,
  );
  // A benchmark that could not run is a failure; a missed target is a figure to look at, not an error
  // (the machine may be busy), so it is reported but does not fail the run.
  return failures > 0 ? 1 : 0;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toPrecision(3);
}

process.exitCode = await main();
