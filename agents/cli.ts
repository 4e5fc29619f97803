// The `muniops` subcommands this part adds. Heavy modules are imported inside the actions, so that
// `muniops --help` stays fast.
import type { Command } from "commander";

export function registerAgentCommands(_program: Command): void {
  // no subcommands yet
}
