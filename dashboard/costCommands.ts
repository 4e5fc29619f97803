// `muniops costs …`: the cloud bill (FOCUS) beside the chargeback. import, reconcile, propose-rates and
// adopt-rates are here; other parts add their subcommands (`costs export`) through the extensions
// registerCostCommands takes. Heavy modules are imported inside the actions, so `muniops --help` stays fast.
import { existsSync } from "node:fs";
import { userInfo } from "node:os";
import type { Command } from "commander";
import { configFileOf } from "../cliContext.js";
import { UsageError } from "../errors.js";
import { addSettingOptions, resolveSettings, type SettingsGroup, type SettingsOf } from "../settings.js";
import type { Ledger } from "./data-access/database.js";
import type { ReconciliationJson } from "./domain/billReconciliation.js";
import type { ResourceOwners } from "./domain/focus.js";
import { actorSetting, databaseUrlSetting, inventorySetting } from "./settings.js";

const ledgerGroup = { databaseUrl: databaseUrlSetting, actor: actorSetting };
const importGroup = { ...ledgerGroup, inventory: inventorySetting };

/** A subcommand another part hangs under `costs` (e.g. `costs export`). */
export type CostsExtension = (costs: Command) => void;

function actorName(configured: string | undefined): string {
  if (configured) return configured;
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

function settingsOf<G extends SettingsGroup>(command: Command, group: G): SettingsOf<G> {
  return resolveSettings(group, { command, configFile: configFileOf(command) });
}

async function withLedger<T>(command: Command, fn: (ledger: Ledger, actor: string) => Promise<T>): Promise<T> {
  const { databaseUrl, actor } = settingsOf(command, ledgerGroup);
  const { openLedger } = await import("./data-access/database.js");
  const ledger = await openLedger(databaseUrl, { create: false });
  try {
    return await fn(ledger, actorName(actor));
  } finally {
    await ledger.close();
  }
}

export function registerCostCommands(program: Command, extensions: readonly CostsExtension[] = []): Command {
  const costs = program
    .command("costs")
    .description("the cloud bill (FOCUS exports of Azure Cost Management) beside what departments were charged");
  registerImport(costs);
  registerReconcile(costs);
  registerRateProposal(costs);
  for (const extend of extensions) extend(costs);
  return costs;
}

function registerImport(costs: Command): void {
  addSettingOptions(
    costs
      .command("import")
      .description(
        "import FOCUS cost and usage exports (1.0, 1.0r2, 1.2-preview; CSV, CSV.gz or Parquet): the same file " +
          "twice changes nothing, a new export of a billing period replaces it",
      )
      .argument("<file...>", "the export's files (the parts of one split export together)"),
    importGroup,
  ).action(async (files: string[], _opts: unknown, command: Command) => {
    const { inventory } = settingsOf(command, importGroup);
    const { importBill } = await import("./app/billImport.js");
    let owners: ResourceOwners | undefined;
    if (existsSync(inventory)) {
      const { readInventory } = await import("../contracts/inventory.js");
      const { resourceOwners } = await import("./domain/focus.js");
      owners = resourceOwners(readInventory(inventory));
    }
    const result = await withLedger(command, (ledger, actor) =>
      importBill(ledger, files, { actor, ...(owners ? { owners } : {}) }),
    );
    for (const f of result.files)
      process.stdout.write(
        f.skipped
          ? `${f.name}: already imported (sha256 ${f.sha256.slice(0, 12)}…), nothing changed\n`
          : `${f.name}: ${f.rows} rows (${f.format})\n`,
      );
    for (const p of result.billingPeriods)
      process.stdout.write(
        `billing period ${p.period}: ${p.rows} rows, billed € ${p.billedCost}, effective € ${p.effectiveCost}` +
          `${p.replaced ? " (replaced the earlier import)" : ""}\n`,
      );
  });
}

function registerReconcile(costs: Command): void {
  addSettingOptions(
    costs
      .command("reconcile")
      .description("a month's bill beside its chargeback: per department and cost type, invoices, tag compliance")
      .requiredOption("--period <YYYY-MM>", "the month")
      .option("--format <format>", "table, json or csv", "table"),
    ledgerGroup,
  ).action(async (opts: { period: string; format: string }, command: Command) => {
    if (!["table", "json", "csv"].includes(opts.format))
      throw new UsageError(`--format must be table, json or csv, got "${opts.format}"`);
    const { reconcileMonth } = await import("./app/billReconcile.js");
    const doc = await withLedger(command, (ledger) => reconcileMonth(ledger, opts.period));
    if (opts.format === "json") process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    else if (opts.format === "csv") process.stdout.write(await reconciliationCsv(doc));
    else process.stdout.write(await reconciliationTable(doc));
  });
}

async function reconciliationCsv(doc: ReconciliationJson): Promise<string> {
  const { decimal, writeCsv } = await import("./domain/csvWriter.js");
  const amount = (text: string) => decimal(text);
  return writeCsv(
    ["period", "department", "known", "effectiveCost", "charged", "difference", "recovery"],
    [
      ...doc.departments.map((d) => [
        doc.period,
        d.id,
        d.known ? "true" : "false",
        amount(d.effectiveCost),
        amount(d.charged),
        amount(d.difference),
        d.recovery === null ? null : amount(d.recovery),
      ]),
      [doc.period, "unallocated", "", amount(doc.unallocated), null, null, null],
      [doc.period, "total", "", amount(doc.total), null, null, null],
    ],
  );
}

async function reconciliationTable(doc: ReconciliationJson): Promise<string> {
  const { default: Table } = await import("cli-table3");
  const style = { head: [], border: [] };
  const departments = new Table({
    head: ["department", "actual (EffectiveCost)", "charged", "difference", "recovery"],
    style,
  });
  for (const d of doc.departments)
    departments.push([
      d.known ? d.id : `${d.id} (unknown department)`,
      d.effectiveCost,
      d.charged,
      d.difference,
      d.recovery ?? "–",
    ]);
  departments.push(["unallocated", doc.unallocated, "", "", ""], ["total", doc.total, "", "", ""]);
  const types = new Table({ head: ["cost type", "actual", "charged", "difference", "recovery"], style });
  for (const t of doc.costTypes) types.push([t.costType, t.effectiveCost, t.charged, t.difference, t.recovery ?? "–"]);
  const invoices = doc.invoices.map((i) => `  ${i.id}: € ${i.billedCost}`).join("\n");
  const share = doc.tagCompliance === null ? "–" : `${(Number(doc.tagCompliance) * 100).toFixed(1)} %`;
  return (
    `${doc.period}, ${doc.currency}: ${doc.rows} bill rows, tag-compliant ${share}\n${departments.toString()}\n` +
    `${types.toString()}\ninvoices billed in ${doc.period}:\n${invoices || "  (none)"}\n`
  );
}

function registerRateProposal(costs: Command): void {
  addSettingOptions(
    costs
      .command("propose-rates")
      .description("the cost-plus rate per meter over the last 12 billed months, saved as a draft rate-card version")
      .option("--margin <percent>", "margin on the actual cost, in percent", "0")
      .option("--months <n>", "how many of the latest billed months", "12")
      .option("--format <format>", "table or json", "table"),
    ledgerGroup,
  ).action(async (opts: { margin: string; months: string; format: string }, command: Command) => {
    const months = Number(opts.months);
    if (!Number.isInteger(months) || months < 1 || months > 120)
      throw new UsageError(`--months must be a whole number from 1 to 120, got "${opts.months}"`);
    const { proposeRateCard } = await import("./app/rateProposals.js");
    const proposal = await withLedger(command, (ledger, actor) =>
      proposeRateCard(ledger, { margin: opts.margin, actor, months }),
    );
    if (opts.format === "json") {
      process.stdout.write(`${JSON.stringify(proposal, null, 2)}\n`);
      return;
    }
    const { default: Table } = await import("cli-table3");
    const table = new Table({
      head: ["rate", "current", "proposed", "charged", "actual cost", "recovery"],
      style: { head: [], border: [] },
    });
    for (const m of proposal.meters)
      table.push([m.rate, m.current ?? "–", m.proposed ?? "(unchanged)", m.charged, m.actualCost, m.recovery ?? "–"]);
    process.stdout.write(
      `draft ${proposal.id}: ${proposal.months[0] ?? ""} to ${proposal.months[proposal.months.length - 1] ?? ""}, ` +
        `margin ${proposal.marginPercent} %\n${table.toString()}\n` +
        `adopt with: muniops costs adopt-rates ${proposal.id} --valid-from YYYY-MM-DD\n`,
    );
  });
  addSettingOptions(
    costs
      .command("adopt-rates")
      .description("adopt a draft rate proposal as the rate-card version valid from a future date")
      .argument("<proposal>", "the draft's id (from propose-rates)")
      .requiredOption("--valid-from <YYYY-MM-DD>", "the first day the rates apply (after today)"),
    ledgerGroup,
  ).action(async (id: string, opts: { validFrom: string }, command: Command) => {
    const { adoptRateProposal } = await import("./app/rateProposals.js");
    const today = new Date().toISOString().slice(0, 10);
    await withLedger(command, (ledger, actor) => adoptRateProposal(ledger, id, opts.validFrom, { actor, today }));
    process.stdout.write(`rate proposal ${id} adopted: rate-card version from ${opts.validFrom}\n`);
  });
}
