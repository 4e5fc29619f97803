// `muniops costs export --period YYYY-MM --out FILE`: the month's internal chargeback as a FOCUS 1.2 CSV
// (dashboard/domain/focusExport.ts). Registered on the `costs` command group; heavy modules are imported
// inside the action, so that `muniops --help` stays fast.
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { configFileOf } from "../cliContext.js";
import { OperationFailedError } from "../errors.js";
import { addSettingOptions, resolveSettings } from "../settings.js";
import { actorSetting, databaseUrlSetting } from "./settings.js";

const ledgerGroup = { databaseUrl: databaseUrlSetting, actor: actorSetting };

export function registerCostExportCommand(costs: Command): void {
  addSettingOptions(
    costs
      .command("export")
      .description("a month's chargeback as a FOCUS 1.2 dataset (CSV): one invoice per department statement")
      .requiredOption("--period <YYYY-MM>", "the month")
      .option("--out <file>", "where to write the CSV; - for standard output", "-"),
    ledgerGroup,
  ).action(async (opts: { period: string; out: string }, command: Command) => {
    const { databaseUrl } = resolveSettings(ledgerGroup, { command, configFile: configFileOf(command) });
    const { parsePeriod } = await import("./domain/period.js");
    const period = parsePeriod(opts.period);
    const { openLedger } = await import("./data-access/database.js");
    const { focusCsv, focusExport } = await import("./app/focusExport.js");
    const ledger = await openLedger(databaseUrl, { create: false });
    let result;
    try {
      result = await focusExport(ledger, period);
    } finally {
      await ledger.close();
    }
    const csv = focusCsv(result.rows);
    if (opts.out === "-") process.stdout.write(csv);
    else {
      writeFileSync(opts.out, csv);
      process.stderr.write(`${opts.out}: ${result.rows.length} FOCUS rows for ${period}\n`);
    }
    // usage the rate card does not price is not in the figures: written, but the run fails naming it
    if (result.errors.length > 0)
      throw new OperationFailedError(`${period} is incomplete: ${result.errors.join("; ")}`);
  });
}
