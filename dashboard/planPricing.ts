// The price lists `muniops plan --compare` gives a change's monthly cost in (stacks/cli.ts, PlanPricing),
// wired in by muniops.ts: the list prices always, and the internal rate card valid today from
// `--rates FILE` (a master data file with rateCards, as `ledger import` reads) or else from the ledger.
// Without either the comparison is priced at list only, and says so on stderr.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { CostModel } from "../contracts/planCosting.js";
import { configFileOf } from "../cliContext.js";
import { UsageError } from "../errors.js";
import { resolveSettings } from "../settings.js";
import type { RateVersion } from "./domain/records.js";
import { databaseUrlSetting } from "./settings.js";

async function rateVersionsOf(rates: string | undefined, command: Command): Promise<RateVersion[] | string> {
  if (rates !== undefined) {
    const { parseYamlFile } = await import("./domain/masterDataFile.js");
    let text: string;
    try {
      text = readFileSync(rates, "utf8");
    } catch (error) {
      throw new UsageError(`couldn't read --rates ${rates}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const parsed = parseYamlFile(text, rates);
    const problem = parsed.problems[0];
    if (problem) throw new UsageError(`--rates ${rates}:${problem.line}: ${problem.path}: ${problem.message}`);
    return parsed.records.rateVersions ?? [];
  }
  const { databaseUrl } = resolveSettings(
    { databaseUrl: databaseUrlSetting },
    { command, configFile: configFileOf(command) },
  );
  const { openLedger } = await import("./data-access/database.js");
  const { loadPricingData } = await import("./data-access/masterData.js");
  try {
    const ledger = await openLedger(databaseUrl, { create: false });
    try {
      return (await loadPricingData(ledger.db)).rateVersions;
    } finally {
      await ledger.close();
    }
  } catch (error) {
    return `no ledger to read the rate card from (${error instanceof Error ? error.message : String(error)})`;
  }
}

export async function planCostModels(
  rates: string | undefined,
  command: Command,
  now = Date.now(),
): Promise<CostModel[]> {
  const { listPriceModel, rateCardModel } = await import("./domain/planPricing.js");
  const { rateVersionOn } = await import("./domain/chargebackEngine.js");
  const versions = await rateVersionsOf(rates, command);
  const today = new Date(now).toISOString().slice(0, 10);
  const version =
    typeof versions === "string"
      ? undefined
      : (rateVersionOn(versions, today) ?? [...versions].sort((a, b) => a.validFrom.localeCompare(b.validFrom))[0]);
  if (!version) {
    const why = typeof versions === "string" ? versions : `${rates ?? "the ledger"} has no rate card`;
    process.stderr.write(`muniops: warning: the change is priced at list only: ${why}; give --rates FILE\n`);
    return [listPriceModel];
  }
  return [rateCardModel(version), listPriceModel];
}
