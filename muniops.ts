#!/usr/bin/env node
// The `muniops` CLI: one program fronting the stacks, agents, dashboard and policies. Each part adds its
// own subcommands from its folder's cli.ts; this file owns only what is common to all of them: global
// flags, logging, configuration, and turning errors into one clear line and an exit code.
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { ExitCode, OperationFailedError, UsageError, exitCodeOf } from "./errors.js";
import { configureLogger, logLevelSetting, logLevels } from "./logger.js";
import { packageVersion } from "./packageInfo.js";
import { configReferenceMarkdown, writeReadmeReference } from "./configReference.js";
import { checkConfigFile, resolveSettings } from "./settings.js";
import { configFileOf } from "./cliContext.js";
import { registerAgentCommands } from "./agents/cli.js";
import { registerDashboardCommands } from "./dashboard/cli.js";
import { planCostModels } from "./dashboard/planPricing.js";
import { registerPolicyCommands } from "./policies/cli.js";
import { registerStackCommands } from "./stacks/cli.js";

export function buildProgram(): Command {
  const program = new Command("muniops")
    .description("Infrastructure management and monitoring for a municipality's centralized ICT")
    .version(packageVersion(), "-V, --version", "print the version")
    .option("-c, --config <file>", "YAML configuration file (default: ./muniops.yaml if present) [env MUNIOPS_CONFIG]")
    .option("--log-level <level>", `log level: ${logLevels.join(", ")} (default: "info") [env MUNIOPS_LOG_LEVEL]`)
    .option("--debug", "show stack traces for errors", false)
    .showSuggestionAfterError(true)
    .exitOverride()
    .hook("preAction", (thisCommand) => {
      const { logLevel } = resolveSettings(
        { logLevel: logLevelSetting },
        { command: thisCommand, configFile: configFileOf(thisCommand) },
      );
      configureLogger(logLevel);
    });

  registerStackCommands(program, planCostModels);
  registerAgentCommands(program);
  registerDashboardCommands(program);
  registerPolicyCommands(program);
  registerConfigCommands(program);
  return program;
}

function registerConfigCommands(program: Command): void {
  const config = program.command("config").description("check the configuration file and list every setting");
  config
    .command("check")
    .description("validate a configuration file, listing every invalid key with its path")
    .argument("[file]", "the file to check (default: --config, MUNIOPS_CONFIG or ./muniops.yaml)")
    .action((file: string | undefined, _opts: unknown, command: Command) => {
      const path = file ?? configFileOf(command) ?? process.env.MUNIOPS_CONFIG ?? "muniops.yaml";
      checkConfigFile(path);
      process.stdout.write(`${path}: ok\n`);
    });
  config
    .command("reference")
    .description(
      "print every setting with its YAML key, flag, environment variable, valid values and default (Markdown)",
    )
    .option(
      "--readme <file>",
      "rewrite the section between <!-- config-reference:start --> and <!-- config-reference:end --> in this " +
        "file instead (npm run docs)",
    )
    .action((opts: { readme?: string }) => {
      if (opts.readme === undefined) {
        process.stdout.write(configReferenceMarkdown() + "\n");
        return;
      }
      const changed = writeReadmeReference(opts.readme);
      process.stdout.write(`${opts.readme}: configuration reference ${changed ? "updated" : "already up to date"}\n`);
    });
}

/** Run the CLI and return its exit code: 0 success, 1 failure, 2 usage or configuration error. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (with a "did you mean" suggestion where it has one).
      if (["commander.helpDisplayed", "commander.version"].includes(error.code)) return ExitCode.ok;
      return error.code === "commander.executeSubCommandAsync" ? ExitCode.failure : ExitCode.usage;
    }
    const debug = argv.includes("--debug");
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`muniops: ${message}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    else if (!(error instanceof UsageError) && exitCodeOf(error) === ExitCode.failure && !isExpectedFailure(error)) {
      process.stderr.write("(run with --debug for the stack trace)\n");
    }
    return exitCodeOf(error);
  }
}

function isExpectedFailure(error: unknown): boolean {
  return error instanceof OperationFailedError;
}

function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  process.exitCode = await main(process.argv);
}
