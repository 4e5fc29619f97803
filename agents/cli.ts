// The `muniops` subcommands this part adds. Heavy modules are imported inside the actions, so that
// `muniops --help` stays fast.
import type { Command } from "commander";
import { configFileOf } from "../cliContext.js";
import { UsageError } from "../errors.js";
import { addSettingOptions, resolveSettings } from "../settings.js";
import { configureAgentCommand } from "./agentCommand.js";
import { prometheusConfigSettings } from "./prometheusConfigSettings.js";
import { registerRolloutCommands } from "./rollout/cli.js";

export function registerAgentCommands(program: Command): void {
  registerRolloutCommands(program);
  configureAgentCommand(
    program
      .command("agent")
      .description(
        "run the metrics agent: server and disk metrics for Prometheus on /metrics (node_exporter-style flags)",
      ),
  );
  const prometheusConfig = program
    .command("prometheus-config")
    .description("write prometheus.yml, file_sd targets with department labels, and alert rules from the inventory");
  addSettingOptions(prometheusConfig, prometheusConfigSettings).action(async (_options: unknown, command: Command) => {
    const settings = resolveSettings(prometheusConfigSettings, { command, configFile: configFileOf(command) });
    // Settings without a default are absent when not given, whatever their schema's type says.
    const inventory = settings.inventory as string | undefined;
    const out = settings.out as string | undefined;
    if (inventory === undefined) throw new UsageError("--inventory is required: the inventory.json to read hosts from");
    if (out === undefined)
      throw new UsageError("--out is required: the directory to write the Prometheus configuration into");
    const { writePrometheusConfig } = await import("./prometheusConfig.js");
    const written = writePrometheusConfig({
      inventoryPath: inventory,
      outDir: out,
      scrapeInterval: settings.scrapeInterval,
      remoteWriteUrl: settings.remoteWriteUrl,
    });
    for (const file of written) process.stdout.write(`${file}\n`);
  });
}
