// The `muniops` subcommands this part adds. Heavy modules are imported inside the actions, so that
// `muniops --help` stays fast.
import type { Command } from "commander";
import { configFileOf } from "../cliContext.js";
import { addSettingOptions, resolveSettings } from "../settings.js";
import { planSettings } from "./settings.js";

export interface PlanCommandOptions {
  out?: string;
  inventory?: string;
  compare?: string;
}

export function registerStackCommands(program: Command): void {
  const command = program
    .command("plan")
    .description(
      "evaluate the Pulumi program offline (under mocks) and write the `pulumi preview --json` document, with a summary per resource type and department",
    )
    .option(
      "--out <file>",
      "write the preview JSON to this file (default: stdout when no summary is wanted, else nothing)",
    )
    .option("--inventory <file>", "write the stack's inventory (inventory.json) to this file")
    .option("--compare <old.json>", "list what changes against an earlier preview JSON, per department");
  addSettingOptions(command, planSettings);
  command.action(async (opts: PlanCommandOptions, cmd: Command) => {
    const settings = resolveSettings(planSettings, { command: cmd, configFile: configFileOf(cmd) });
    const { runPlanCommand } = await import("./planCommand.js");
    await runPlanCommand({ stack: settings.stack, ...opts });
  });
}
