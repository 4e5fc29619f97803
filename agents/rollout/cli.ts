// `muniops agents deploy|status|rollback`. The actions import the rollout lazily, so `--help` stays fast.
import type { Command } from "commander";
import { configFileOf } from "../../cliContext.js";
import { addSettingOptions } from "../../settings.js";
import { exporterSettings } from "../agentless/settings.js";
import { connectionSettings, deploySettings, historySettings } from "./settings.js";

/** Add the rollout subcommands to `muniops agents` (creating that group if the agent part hasn't). */
export function registerRolloutCommands(program: Command): void {
  const agents =
    program.commands.find((c) => c.name() === "agents") ??
    program
      .command("agents")
      .description("install, upgrade, roll back and check the muniops agent on the inventory's hosts");

  addSettingOptions(
    agents
      .command("deploy")
      .description(
        "install or upgrade the agent over SSH on the inventory's hosts: verify the host key, upload, " +
          "restart, check /metrics, roll back on failure",
      )
      .addHelpText(
        "after",
        "\nExit status: 0 when every host runs the new version, 1 when any host failed (it was rolled back " +
          "where possible), 2 on a usage error.",
      ),
    deploySettings,
  ).action(async (_opts: unknown, command: Command) => {
    const { deployCommand } = await import("./deployCommand.js");
    await deployCommand(command, configFileOf(command));
  });

  addSettingOptions(
    agents.command("rollback").description("return each host to its previous agent version and check it answers"),
    connectionSettings,
  ).action(async (_opts: unknown, command: Command) => {
    const { rollbackCommand } = await import("./commands.js");
    await rollbackCommand(command, configFileOf(command));
  });

  addSettingOptions(
    agents
      .command("status")
      .description("the installed and running agent version of each host, and whether /metrics answers"),
    connectionSettings,
  ).action(async (_opts: unknown, command: Command) => {
    const { statusCommand } = await import("./commands.js");
    await statusCommand(command, configFileOf(command));
  });

  addSettingOptions(
    agents
      .command("history")
      .description("the recorded rollouts (who, when, version, per-host result, waves), newest first"),
    historySettings,
  ).action(async (_opts: unknown, command: Command) => {
    const { historyCommand } = await import("./historyCommand.js");
    await historyCommand(command, configFileOf(command));
  });

  registerAgentlessCommands(program);
}

/** `muniops agents agentless-exporter`: hosts with "collect": "ssh", measured over SSH, for Prometheus. */
export function registerAgentlessCommands(program: Command): void {
  const agents = program.commands.find((c) => c.name() === "agents") ?? program.command("agents");
  addSettingOptions(
    agents
      .command("agentless-exporter")
      .description(
        'serve /metrics?target=<host> for inventory hosts with "collect": "ssh", measured over SSH with a ' +
          "read-only login (df -PTk, /proc/meminfo)",
      ),
    exporterSettings,
  ).action(async (_opts: unknown, command: Command) => {
    const { runAgentlessExporter } = await import("../agentless/command.js");
    await runAgentlessExporter(command, configFileOf(command));
  });
}
