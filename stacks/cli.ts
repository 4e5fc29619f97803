// The `muniops` subcommands this part adds. Heavy modules are imported inside the actions, so that
// `muniops --help` stays fast.
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import type { CostModel } from "../contracts/planCosting.js";
import { configFileOf } from "../cliContext.js";
import { addSettingOptions, resolveSettings } from "../settings.js";
import { planSettings } from "./settings.js";

export interface PlanCommandOptions {
  out?: string;
  inventory?: string;
  compare?: string;
  format?: string;
  rates?: string;
}

/**
 * The price lists `plan --compare` gives a change's monthly cost in, supplied by the program's composition
 * (muniops.ts): the dashboard's rate card (from `--rates FILE` or the ledger) and list prices.
 */
export type PlanPricing = (rates: string | undefined, command: Command) => Promise<CostModel[]>;

export function registerStackCommands(program: Command, pricing?: PlanPricing): void {
  const command = program
    .command("plan")
    .description(
      "evaluate the Pulumi program offline (under mocks) and write the `pulumi preview --json` document, " +
        "with a summary per resource type and department",
    )
    .option(
      "--out <file>",
      "write the preview JSON to this file (default: stdout when no summary is wanted, else nothing)",
    )
    .option("--inventory <file>", "write the stack's inventory (inventory.json) to this file")
    .option(
      "--compare <old.json>",
      "list what changes against an earlier preview JSON, per department, with its monthly cost",
    )
    .option("--format <format>", "table, or markdown for a pull-request comment (with --compare)", "table")
    .option("--rates <file>", "price --compare at the rate card in this master data file (default: the ledger's)");
  addSettingOptions(command, planSettings);
  command.action(async (opts: PlanCommandOptions, cmd: Command) => {
    const settings = resolveSettings(planSettings, { command: cmd, configFile: configFileOf(cmd) });
    const { runPlanCommand } = await import("./planCommand.js");
    const { format, rates, ...rest } = opts;
    if (format !== undefined && format !== "table" && format !== "markdown")
      throw new UsageError(`--format must be table or markdown, got "${format}"`);
    await runPlanCommand({
      stack: settings.stack,
      ...rest,
      ...(format !== undefined ? { format } : {}),
      ...(pricing ? { costModels: () => pricing(rates, cmd) } : {}),
    });
  });
}
