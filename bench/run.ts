// `npm run bench`: runs every capability's benchmark (bench/*.bench.ts), prints one table of figures and
// ratios against references measured in the same run, and writes bench/results.json.
import { readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Table from "cli-table3";
import type { BenchResult, Benchmark } from "./benchmark.js";

const benchDir = dirname(fileURLToPath(import.meta.url));

async function run(): Promise<void> {
  const only = process.argv.slice(2);
  const files = readdirSync(benchDir)
    .filter((f) => f.endsWith(".bench.ts"))
    .filter((f) => only.length === 0 || only.some((name) => f.startsWith(name)))
    .sort();
  if (files.length === 0) {
    console.log(only.length > 0 ? `no benchmark matches ${only.join(", ")}` : "no benchmarks yet: each capability adds bench/<name>.bench.ts");
    return;
  }
  const results: BenchResult[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as { default: Benchmark };
    console.error(`▶ ${mod.default.name}`);
    try {
      results.push(...(await mod.default.run()));
    } catch (error) {
      console.error(`  ${mod.default.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      results.push({ benchmark: mod.default.name, metric: "error", value: NaN, unit: "", note: String(error) });
    }
  }
  const table = new Table({ head: ["benchmark", "metric", "value", "reference", "ratio", "target", "ok"] });
  for (const r of results) {
    const ratio = r.reference !== undefined && r.reference !== 0 ? r.value / r.reference : undefined;
    table.push([
      r.benchmark,
      r.metric,
      `${format(r.value)} ${r.unit}`,
      r.reference !== undefined ? `${format(r.reference)} ${r.unit} (${r.referenceName ?? "reference"})` : "",
      ratio !== undefined ? ratio.toFixed(2) : "",
      r.target ?? "",
      r.ok === undefined ? "" : r.ok ? "yes" : "NO",
    ]);
  }
  console.log(table.toString());
  writeFileSync(join(benchDir, "results.json"), JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2) + "\n");
  console.log(`wrote ${join("bench", "results.json")}`);
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toPrecision(3);
}

await run();
