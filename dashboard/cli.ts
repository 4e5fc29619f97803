// The `muniops` subcommands this part adds. Heavy modules are imported inside the actions, so that
// `muniops --help` stays fast.
import type { Command } from "commander";
import { registerDashboardWebCommands } from "./server/cli.js";
import { registerDemoCommand } from "./demo/cli.js";
import { registerLedgerCommands } from "./ledgerCommands.js";

export function registerDashboardCommands(program: Command): void {
  registerLedgerCommands(program);
  registerDashboardWebCommands(program);
  registerDemoCommand(program);
}
