// `muniops agents deploy`: pick and order the hosts, cut them into the canary and waves, run them
// (Ctrl-C lets running hosts finish and starts no more), report per host and per wave, and append the
// rollout's record to the history file. Exit 1 unless every host runs the new version.
import type { Command } from "commander";
import { readInventory, type Inventory } from "../../contracts/inventory.js";
import { OperationFailedError } from "../../errors.js";
import { logger } from "../../logger.js";
import { resolveSettings, type SettingsOf } from "../../settings.js";
import { buildBundle, loadBundle, operationOptions, selectHosts } from "./commands.js";
import { appendRecord, deployerName, lastUnfinished, readHistory, rolloutUser, type RolloutRecord } from "./history.js";
import { deployHost, rollbackHost, uninstallHost, type AgentBundle, type OperationOptions } from "./hostOperations.js";
import { createReporter } from "./report.js";
import { deploySettings, expandHome } from "./settings.js";
import { runWaves, type RolloutOutcome, type WaveOperations } from "./waveRunner.js";
import { orderHosts, parseAmount, planWaves, type Wave } from "./waves.js";

type DeployConfig = SettingsOf<typeof deploySettings>;

/** The canary and waves of this deploy, from the selected hosts in --order. */
export function wavesOf(inventory: Inventory, config: DeployConfig): Wave[] {
  const hosts = selectHosts(inventory.hosts, config.hosts);
  const ordered = orderHosts(
    hosts,
    config.order,
    inventory.departments.map((d) => d.id),
  );
  return planWaves(ordered, {
    canary: config.canary,
    waveSize: parseAmount(config.waveSize, "--wave-size"),
    maxFailures: parseAmount(config.maxFailures, "--max-failures"),
  });
}

/** Deploy a host; take it back when its wave is stopped (to the version it ran, or remove a first install). */
export function waveOperations(bundle: AgentBundle, options: OperationOptions): WaveOperations {
  return {
    deploy: (host, step) => deployHost(host, bundle, options, step),
    withdraw: (host, deployed, step) =>
      deployed.from === undefined
        ? uninstallHost(host, bundle.version, options, step)
        : rollbackHost(host, options, step),
  };
}

export async function deployCommand(command: Command, configFile: string | undefined): Promise<void> {
  const config = resolveSettings(deploySettings, { command, configFile });
  const inventory = readInventory(config.inventory);
  const waves = wavesOf(inventory, config);
  const options: OperationOptions = { ...(await operationOptions(config)), resume: config.resume };
  const bundle = config.bundle
    ? await loadBundle(config.bundle, config.agentConfig)
    : await buildBundle(config.agentConfig);
  const historyFile = expandHome(config.historyFile);
  const resumes = config.resume ? lastUnfinished(await readHistory(historyFile), bundle.version)?.id : undefined;
  const hostCount = waves.reduce((n, w) => n + w.hosts.length, 0);
  logger().info(
    { operation: "deploy", hosts: hostCount, waves: waves.length, parallel: config.parallel, dryRun: config.dryRun },
    "agents deploy",
  );

  const reporter = createReporter("deploy", hostCount);
  const controller = new AbortController();
  const interrupt = (): void => {
    logger().warn("interrupted: running hosts finish, no more are started (a second Ctrl-C stops at once)");
    controller.abort();
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  const startedAt = new Date().toISOString();
  let outcome: RolloutOutcome;
  try {
    outcome = await runWaves(waves, config.parallel, waveOperations(bundle, options), reporter, controller.signal);
  } finally {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
  }
  reporter.finish(outcome.results, outcome.waves);
  // A dry run changes nothing, so there is nothing to record.
  if (!config.dryRun) await appendRecord(historyFile, recordOf(outcome, bundle, config, startedAt, resumes));
  if (outcome.status !== "completed") throw new OperationFailedError(failureMessage(outcome));
}

function recordOf(
  outcome: RolloutOutcome,
  bundle: AgentBundle,
  config: DeployConfig,
  startedAt: string,
  resumes: string | undefined,
): RolloutRecord {
  return {
    id: `${startedAt.replace(/[-:.]/g, "").replace("T", "-").slice(0, 15)}-${process.pid}`,
    operation: "deploy",
    user: rolloutUser(),
    deployer: deployerName(),
    startedAt,
    finishedAt: new Date().toISOString(),
    version: bundle.version,
    bundleSha256: bundle.sha256,
    status: outcome.status,
    ...(resumes !== undefined ? { resumes } : {}),
    options: {
      canary: config.canary,
      waveSize: config.waveSize,
      maxFailures: config.maxFailures,
      order: config.order,
      parallel: config.parallel,
      resume: config.resume,
    },
    hosts: outcome.results.map((r) => ({
      host: r.host,
      address: r.address,
      wave: r.wave,
      status: r.status,
      ...(r.from !== undefined ? { from: r.from } : {}),
      ...(r.to !== undefined ? { to: r.to } : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      durationMs: r.durationMs,
    })),
    waves: outcome.waves,
  };
}

function failureMessage(outcome: RolloutOutcome): string {
  const failed = outcome.results.filter((r) => r.status === "failed" || (r.status === "rolled-back" && r.error));
  const idle = outcome.results.filter((r) => r.status === "not-started").length;
  const stoppedWave = outcome.waves.find((w) => w.status === "stopped");
  const how =
    outcome.status === "stopped"
      ? `deploy stopped in ${stoppedWave?.name ?? "a wave"} (more than ${stoppedWave?.maxFailures ?? 0} failed); `
      : outcome.status === "interrupted"
        ? "deploy interrupted (continue with --resume); "
        : "";
  const hosts = failed.length > 0 ? `: ${failed.map((r) => r.host).join(", ")}` : "";
  const notStarted = idle > 0 ? `; ${idle} not started` : "";
  return `${how}deploy failed on ${failed.length} of ${outcome.results.length} hosts${hosts}${notStarted}`;
}
