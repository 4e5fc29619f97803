// `muniops plan` time and peak memory for leiden-prod and for generated stacks of 300 and 1,000 servers
// (target: 300 servers in ≤ 10 s and ≤ 1.5 GB), and how both grow with size. Each size runs in its own
// process, as the CLI does, so peak RSS is that size's alone. Reference, same run: the dev stack (a
// handful of servers), i.e. the fixed cost of loading Pulumi and planning the landing zone itself.
// MUNIOPS_BENCH_PLAN_SIZES picks the sizes (default leiden-prod,300,1000).
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchResult, Benchmark } from "./benchmark.js";

const workerFlag = "MUNIOPS_PLAN_BENCH_SIZE";
const allSizes = [
  { size: "leiden-prod", label: "leiden-prod (149 servers)" },
  { size: "300", label: "300 servers" },
  { size: "1000", label: "1,000 servers" },
];
/** MUNIOPS_BENCH_PLAN_SIZES=leiden-prod,300 runs only those (a quick check); the default is all three. */
const chosenSizes = (process.env.MUNIOPS_BENCH_PLAN_SIZES ?? allSizes.map((s) => s.size).join(","))
  .split(",")
  .map((s) => s.trim());

interface Measurement {
  /** Process start to plan written, seconds (what a user waits for). */
  totalSeconds: number;
  /** The evaluation under mocks alone. */
  planSeconds: number;
  cpuSeconds: number;
  maxRssMiB: number;
  resources: number;
}

async function worker(size: string): Promise<void> {
  const { planStack } = await import("../stacks/plan.js");
  const started = performance.now();
  const result =
    size === "dev" || size === "leiden-prod"
      ? await planStack({ stack: size })
      : await planStack({
          stack: `generated-${size}`,
          config: (await import("../test/stacks/generatedStack.js")).generatedStackValues(Number(size)),
        });
  JSON.stringify(result.digest); // the CLI writes it
  const planSeconds = (performance.now() - started) / 1000;
  const usage = process.resourceUsage();
  const measurement: Measurement = {
    totalSeconds: process.uptime(),
    planSeconds,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    maxRssMiB: usage.maxRSS / 1024,
    resources: result.summary.resources,
  };
  process.stdout.write(JSON.stringify(measurement) + "\n");
}

function measure(size: string): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", fileURLToPath(import.meta.url)],
      { env: { ...process.env, [workerFlag]: size }, timeout: 600_000, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`plan of ${size} failed: ${stderr.trim().split("\n").slice(-3).join(" ")}`));
        else resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Measurement);
      },
    );
  });
}

const benchmark: Benchmark = {
  name: "plan",
  async run(): Promise<BenchResult[]> {
    const reference = await measure("dev");
    const results: BenchResult[] = [];
    const sizes = allSizes.filter(({ size }) => chosenSizes.includes(size));
    const measured = new Map<string, Measurement>();
    for (const { size, label } of sizes) {
      const m = await measure(size);
      measured.set(size, m);
      const is300 = size === "300";
      results.push({
        benchmark: "plan",
        metric: `${label}: time`,
        value: m.totalSeconds,
        unit: "s",
        reference: reference.totalSeconds,
        referenceName: "dev stack",
        ...(is300 ? { target: "≤ 10 s", ok: m.totalSeconds <= 10 } : {}),
        note: `${m.resources} resources; evaluation ${m.planSeconds.toFixed(1)} s, CPU ${m.cpuSeconds.toFixed(1)} s`,
      });
      // On a shared machine wall time includes waiting for a core; CPU time is what the plan costs.
      results.push({
        benchmark: "plan",
        metric: `${label}: CPU time`,
        value: m.cpuSeconds,
        unit: "s",
        reference: reference.cpuSeconds,
        referenceName: "dev stack",
        note: `evaluation alone ${m.planSeconds.toFixed(1)} s wall`,
      });
      results.push({
        benchmark: "plan",
        metric: `${label}: peak memory`,
        value: m.maxRssMiB,
        unit: "MiB",
        reference: reference.maxRssMiB,
        referenceName: "dev stack",
        ...(is300 ? { target: "≤ 1536 MiB", ok: m.maxRssMiB <= 1536 } : {}),
      });
    }
    const small = measured.get("300");
    const large = measured.get("1000");
    if (small && large) {
      const servers = 700;
      results.push({
        benchmark: "plan",
        metric: "growth per server (300 → 1,000)",
        value: ((large.planSeconds - small.planSeconds) / servers) * 1000,
        unit: "ms",
        note: `linear: +${((large.maxRssMiB - small.maxRssMiB) / servers).toFixed(2)} MiB per server`,
      });
    }
    return results;
  },
};

export default benchmark;

const size = process.env[workerFlag];
if (size) await worker(size);
