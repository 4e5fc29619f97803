// Rollout: deploy the agent to N loopback targets behind one real sshd (each with its own prefix and
// agent port) with --parallel 10, against the sum of the same deploys done one host at a time, measured
// in the same run. Target from issue 8: wall time ≤ 0.15 × the sum of single deploys.
// MUNIOPS_BENCH_ROLLOUT_HOSTS changes N (default 50).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Benchmark, BenchResult } from "./benchmark.js";
import { runFleet } from "../agents/rollout/fleet.js";
import { deployHost, type OperationOptions } from "../agents/rollout/hostOperations.js";
import { KnownHostsFile } from "../agents/rollout/knownHosts.js";
import { loadBundle } from "../agents/rollout/commands.js";
import { readInventory } from "../stacks/inventory.js";
import { buildBundles, killAgents, writeInventory } from "../test/agents/rollout/fleet.js";
import { startSshd } from "../test/agents/rollout/sshd.js";

const benchmark: Benchmark = {
  name: "rollout",
  async run(): Promise<BenchResult[]> {
    const count = Number(process.env.MUNIOPS_BENCH_ROLLOUT_HOSTS ?? 50);
    const dir = mkdtempSync(join(tmpdir(), "muniops-bench-rollout-"));
    const sshd = await startSshd(join(dir, "sshd"));
    try {
      const bundleFile = (await buildBundles(dir, ["9.0.0-bench"]))[0]!;
      const bundle = await loadBundle(bundleFile, undefined);
      const inventoryPath = join(dir, "inventory.json");
      await writeInventory(inventoryPath, Array.from({ length: count }, (_v, i) => `bench-${String(i + 1).padStart(3, "0")}`));
      const hosts = readInventory(inventoryPath).hosts;
      const knownHosts = await KnownHostsFile.load(join(dir, "known_hosts"));
      const optionsFor = (prefix: string): OperationOptions => ({
        credentials: { username: sshd.user, privateKey: readFileSync(sshd.identity, "utf8") },
        hostKeys: { knownHosts, acceptNew: true, dryRun: false },
        sshPort: sshd.port,
        connectTimeoutMs: 30_000,
        layout: { prefix: join(dir, prefix, "{host}"), serviceUser: sshd.user, serviceManager: "supervisor", sudo: false },
        healthTimeoutMs: 60_000,
        dryRun: false,
      });

      // One host at a time: each deploy's own wall time, summed.
      const single = optionsFor("single");
      let sum = 0;
      for (const host of hosts) {
        const result = await deployHost(host, bundle, single);
        if (result.status !== "deployed") throw new Error(`single deploy to ${host.name}: ${result.status} ${result.error ?? ""}`);
        sum += result.durationMs;
      }
      killAgents(join(dir, "single"));

      // The same fresh installs, 10 at a time.
      const started = Date.now();
      const results = await runFleet(hosts, 10, (host) => deployHost(host, bundle, optionsFor("parallel")));
      const wall = Date.now() - started;
      killAgents(join(dir, "parallel"));
      const failed = results.filter((r) => r.status !== "deployed");
      if (failed.length > 0) throw new Error(`parallel deploy: ${failed.length} failed, e.g. ${failed[0]?.host}: ${failed[0]?.error ?? ""}`);

      const ratio = wall / sum;
      return [
        {
          benchmark: "rollout",
          metric: `deploy ${count} hosts, --parallel 10 (wall)`,
          value: wall / 1000,
          unit: "s",
          reference: sum / 1000,
          referenceName: `sum of ${count} single deploys`,
          target: "ratio ≤ 0.15",
          ok: ratio <= 0.15,
          note: `mean single deploy ${(sum / count / 1000).toFixed(2)} s; ratio ${ratio.toFixed(3)}`,
        },
      ];
    } finally {
      killAgents(join(dir, "single"));
      killAgents(join(dir, "parallel"));
      await sshd.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default benchmark;
