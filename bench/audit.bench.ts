// Audit a generated preview of 10,000 resources with every policy (target ≤ 2 s), and report resources
// per second. Reference, measured in the same run: the same walk over the same resources with a no-op
// policy set, i.e. the cost of building CrossGuard's argument shapes alone.
import type { BenchResult, Benchmark } from "./benchmark.js";
import { audit } from "../policies/audit/evaluate.js";
import { parsePulumiDocument } from "../policies/audit/pulumiDocument.js";
import { compliantSpecs, previewOf } from "../test/fixtures/policies/compliantPreview.js";

const targetResources = 10_000;

function generatedPreview() {
  // Each department server adds a NIC, a VM and a protected item; the fixed landing zone adds the rest.
  const fixed = compliantSpecs(0).length;
  const servers = Math.ceil((targetResources - fixed) / 3);
  return previewOf(compliantSpecs(servers));
}

/**
 * Wall-clock and CPU seconds of one run. CPU time is reported too: on a shared 2-core machine the wall clock mostly
 * measures the neighbours.
 */
function timeIt(run: () => void): { wall: number; cpu: number } {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  run();
  const cpu = process.cpuUsage(cpuBefore);
  return { wall: (performance.now() - started) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

function best(runs: { wall: number; cpu: number }[]): { wall: number; cpu: number } {
  return { wall: Math.min(...runs.map((r) => r.wall)), cpu: Math.min(...runs.map((r) => r.cpu)) };
}

const benchmark: Benchmark = {
  name: "audit",
  run(): Promise<BenchResult[]> {
    const digest = generatedPreview();
    const resources = (digest.steps ?? []).length - 2;
    // What a user's run does: read the document's text (one state per URN, secrets) and evaluate it.
    const text = JSON.stringify(digest);
    audit(parsePulumiDocument(text, "bench")); // warm-up (JIT)
    let findings = 0;
    const all = best(
      [0, 1, 2, 3, 4].map(() =>
        timeIt(() => {
          findings = audit(parsePulumiDocument(text, "bench")).findings.length;
        }),
      ),
    );
    const walk = best([0, 1, 2].map(() => timeIt(() => audit(parsePulumiDocument(text, "bench"), { policies: [] }))));
    return Promise.resolve([
      {
        benchmark: "audit",
        metric: `audit ${resources} resources, every policy (wall)`,
        value: all.wall,
        unit: "s",
        reference: walk.wall,
        referenceName: "same read and walk, no policies",
        target: "≤ 2 s",
        ok: all.wall <= 2,
        note: `${findings} findings`,
      },
      {
        benchmark: "audit",
        metric: `audit ${resources} resources, every policy (CPU)`,
        value: all.cpu,
        unit: "s",
        reference: walk.cpu,
        referenceName: "same read and walk, no policies",
        target: "≤ 2 s",
        ok: all.cpu <= 2,
      },
      {
        benchmark: "audit",
        metric: "resources per second (wall)",
        value: Math.round(resources / all.wall),
        unit: "res/s",
        target: "≥ 5000 res/s",
        ok: resources / all.wall >= 5000,
      },
    ]);
  },
};

export default benchmark;
