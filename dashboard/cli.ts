// The `muniops` subcommands this part adds. Heavy modules are imported inside the actions, so that
// `muniops --help` stays fast.
import type { Command } from "commander";
import { registerDashboardWebCommands } from "./server/cli.js";
import { registerDemoCommand } from "./demo/cli.js";
import { registerLedgerCommands } from "./ledgerCommands.js";
import { registerCostCommands } from "./costCommands.js";
import { registerCostExportCommand } from "./costExportCommand.js";
import { registerEvidenceCommand } from "./evidenceCommand.js";

export function registerDashboardCommands(program: Command): void {
  registerLedgerCommands(program);
  registerCostCommands(program, [registerCostExportCommand]);
  registerDashboardWebCommands(program);
  registerDemoCommand(program);
  registerEvidenceCommand(program);
}
