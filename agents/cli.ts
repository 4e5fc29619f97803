// The `muniops` subcommands this part adds. Heavy modules are imported inside the actions, so that
// `muniops --help` stays fast.
import type { Command } from "commander";
import { configureAgentCommand } from "./agentCommand.js";
import { registerRolloutCommands } from "./rollout/cli.js";

export function registerAgentCommands(program: Command): void {
  registerRolloutCommands(program);
  configureAgentCommand(
    program.command("agent").description("run the metrics agent: server and disk metrics for Prometheus on /metrics (node_exporter-style flags)"),
  );
  program
    .command("prometheus-config")
    .description("write prometheus.yml, file_sd targets with department labels, and alert rules from the inventory")
    .requiredOption("--inventory <file>", "inventory.json (stack output `inventory`)")
    .requiredOption("--out <dir>", "directory to write prometheus.yml, targets/ and rules/ into")
    .action(async (options: { inventory: string; out: string }) => {
      const { writePrometheusConfig } = await import("./prometheusConfig.js");
      const written = writePrometheusConfig({ inventoryPath: options.inventory, outDir: options.out });
      for (const file of written) process.stdout.write(`${file}\n`);
    });
}
