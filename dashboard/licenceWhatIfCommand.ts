// `muniops licences what-if --department D --product P --seats +N [--months 12] [--from YYYY-MM]`: what a
// licence change would cost a department per month before it is asked for (app/licenceWhatIf.ts, the same
// function as the API and the licences page). Hung under the `licences` command.
import type { Command } from "commander";
import { configFileOf } from "../cliContext.js";
import { UsageError } from "../errors.js";
import { addSettingOptions, resolveSettings } from "../settings.js";
import { databaseUrlSetting } from "./settings.js";

const ledgerGroup = { databaseUrl: databaseUrlSetting };

export function registerLicenceWhatIfCommand(licences: Command): void {
  addSettingOptions(
    licences
      .command("what-if")
      .description("price N more (+N) or fewer (-N) seats of a product for a department, month by month")
      .requiredOption("--department <id>", "the department")
      .requiredOption("--product <id>", "the licence product")
      .requiredOption("--seats <n>", "seats to add (+5) or give up (-5)")
      .option("--months <n>", "how many months to price", "12")
      .option("--from <YYYY-MM>", "the first month of the change (default: next month)"),
    ledgerGroup,
  ).action(
    async (
      opts: { department: string; product: string; seats: string; months: string; from?: string },
      command: Command,
    ) => {
      const { databaseUrl } = resolveSettings(ledgerGroup, { command, configFile: configFileOf(command) });
      const { licenceWhatIfQuery, licenceWhatIfView } = await import("./app/licenceWhatIf.js");
      const { department, product, seats, months, from } = opts;
      const parsed = licenceWhatIfQuery.safeParse({ department, product, seats, months, ...(from ? { from } : {}) });
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`);
        throw new UsageError(`licences what-if: ${problems.join("; ")}`);
      }
      const query = parsed.data;
      const { openLedger } = await import("./data-access/database.js");
      const { loadMasterData } = await import("./data-access/masterData.js");
      const ledger = await openLedger(databaseUrl, { create: false });
      let master;
      try {
        master = await loadMasterData(ledger.db);
      } finally {
        await ledger.close();
      }
      process.stdout.write(JSON.stringify(licenceWhatIfView(master, query, undefined, Date.now()), null, 2) + "\n");
    },
  );
}
