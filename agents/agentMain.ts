// Entry point of the standalone agent, dist/muniops-agent.js: one file that needs only Node.js ≥ 20 on the
// server. Same flags as `muniops agent`, plus --version; errors become one line and an exit code, as in
// the muniops CLI (2 for a usage or configuration error).
import { Command, CommanderError } from "commander";
import { exitCodeOf, UsageError } from "../errors.js";
import { configureLogger, logLevels, type LogLevel } from "../logger.js";
import { configureAgentCommand } from "./agentCommand.js";
import { agentVersion } from "./version.js";

export async function agentMain(argv: readonly string[]): Promise<number> {
  const program = new Command("muniops-agent")
    .description("muniops metrics agent: server and disk metrics for Prometheus")
    .version(agentVersion(), "--version", "print the version")
    .option("-c, --config <file>", "YAML configuration file (keys under agent:) [env MUNIOPS_CONFIG]")
    .option("--log-level <level>", `log level: ${logLevels.join(", ")}`, process.env.MUNIOPS_LOG_LEVEL ?? "info")
    .exitOverride()
    .hook("preAction", (cmd) => {
      const level = cmd.opts<{ logLevel: string }>().logLevel;
      if (!(logLevels as readonly string[]).includes(level))
        throw new UsageError(`--log-level: expected one of ${logLevels.join(", ")}, got ${JSON.stringify(level)}`);
      configureLogger(level as LogLevel);
    });
  configureAgentCommand(program);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError)
      return ["commander.helpDisplayed", "commander.version"].includes(error.code) ? 0 : 2;
    process.stderr.write(`muniops-agent: ${error instanceof Error ? error.message : String(error)}\n`);
    return exitCodeOf(error);
  }
}

process.exitCode = await agentMain(process.argv);
