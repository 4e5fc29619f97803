// The ledger's subcommands: db migrate, meter, close, chargeback, ledger import|export|adjust|purge|
// verify|audit, statement, journal, signoff, forecast, licences. Registered from dashboard/cli.ts. Heavy
// modules are imported inside the actions, so that `muniops --help` stays fast.
import { writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import type { Command } from "commander";
import { configFileOf } from "../cliContext.js";
import { UsageError, OperationFailedError } from "../errors.js";
import { addSettingOptions, resolveSettings, type SettingsGroup, type SettingsOf } from "../settings.js";
import type { Ledger } from "./data-access/database.js";
import { adjustmentLimitSetting } from "./settings.js";
import { registerLicenceWhatIfCommand } from "./licenceWhatIfCommand.js";
import {
  actorSetting,
  databaseUrlSetting,
  dailyRetentionSetting,
  durationMs,
  hourlyRetentionSetting,
  inventorySetting,
  maxCatchUpSetting,
  prometheusUrlSetting,
  scrapeTimeoutSetting,
} from "./settings.js";

const ledgerGroup = { databaseUrl: databaseUrlSetting, actor: actorSetting };
const meterGroup = {
  ...ledgerGroup,
  prometheusUrl: prometheusUrlSetting,
  inventory: inventorySetting,
  maxCatchUp: maxCatchUpSetting,
  scrapeTimeout: scrapeTimeoutSetting,
};
const adjustGroup = { ...ledgerGroup, adjustmentLimit: adjustmentLimitSetting };
const purgeGroup = { ...ledgerGroup, hourlyDays: hourlyRetentionSetting, dailyYears: dailyRetentionSetting };

function settingsOf<G extends SettingsGroup>(command: Command, group: G): SettingsOf<G> {
  return resolveSettings(group, { command, configFile: configFileOf(command) });
}

export function actorName(configured: string | undefined): string {
  if (configured) return configured;
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

/** Open the ledger of the command's settings; only a command given `--create` may start a new one. */
async function withLedger<T>(command: Command, fn: (ledger: Ledger, actor: string) => Promise<T>): Promise<T> {
  const { databaseUrl, actor } = settingsOf(command, ledgerGroup);
  const { openLedger } = await import("./data-access/database.js");
  const ledger = await openLedger(databaseUrl, { create: command.opts<{ create?: boolean }>().create === true });
  try {
    return await fn(ledger, actorName(actor));
  } finally {
    await ledger.close();
  }
}

function write(out: string | undefined, content: string | Buffer): void {
  if (out && out !== "-") writeFileSync(out, content);
  else process.stdout.write(content);
}

function parseHourOption(text: string | undefined, flag: string): string | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}))?(?::00)?(?::00)?Z?$/.exec(text);
  if (!match || Number.isNaN(Date.parse(`${match[1] ?? ""}T${match[2] ?? "00"}:00:00Z`)))
    throw new UsageError(`${flag} must be an hour as YYYY-MM-DDTHH (UTC) or a day as YYYY-MM-DD, got "${text}"`);
  return `${match[1] ?? ""}T${match[2] ?? "00"}`;
}

/**
 * The top-level commands, registered in this order (the order `--help` lists them). A new command is a
 * `register…` function below and one line here; a new `ledger` subcommand, one line in `ledgerSubcommands`.
 */
const commandGroups: ((program: Command) => void)[] = [
  registerDbCommands,
  registerMeterCommand,
  registerCloseCommand,
  registerChargebackCommand,
  registerLedgerGroup,
  registerStatementCommand,
  registerJournalCommand,
  registerSignoffCommand,
  registerForecastCommand,
  registerLicencesCommand,
];

/** The subcommands of `ledger`, in `--help` order. */
const ledgerSubcommands: ((ledger: Command) => void)[] = [
  registerImportCommand,
  registerExportCommand,
  registerAdjustCommand,
  registerPurgeCommand,
  registerVerifyCommand,
  registerAuditCommand,
];

export function registerLedgerCommands(program: Command): void {
  for (const register of commandGroups) register(program);
}

/** `db migrate`. */
function registerDbCommands(program: Command): void {
  const db = program
    .command("db")
    .description("the ledger database (SQLite by default, PostgreSQL given a postgres:// URL)");
  addSettingOptions(
    db.command("migrate").description("bring the ledger schema to the latest version (also runs at every start)"),
    ledgerGroup,
  ).action(async (_o: unknown, command: Command) => {
    const { databaseUrl } = settingsOf(command, ledgerGroup);
    const { openLedger } = await import("./data-access/database.js");
    const { migrateToLatest } = await import("./data-access/migrations.js");
    const ledger = await openLedger(databaseUrl, { migrate: false, create: true });
    try {
      const applied = await migrateToLatest(ledger.db as never, ledger.dialect);
      process.stdout.write(
        applied.length > 0
          ? `${ledger.location}: applied ${applied.join(", ")}\n`
          : `${ledger.location}: schema is current\n`,
      );
    } finally {
      await ledger.close();
    }
  });
}

/** `meter`: hourly usage per host and share. */
function registerMeterCommand(program: Command): void {
  addSettingOptions(
    program
      .command("meter")
      .description("record hourly usage per host and share: catches up every hour since the last run, retrying gaps")
      .option("--from <hour>", "first hour to meter (YYYY-MM-DDTHH, UTC); default: where the ledger left off")
      .option("--to <hour>", "last hour to meter; default: the last complete hour"),
    meterGroup,
  ).action(async (opts: { from?: string; to?: string }, command: Command) => {
    const s = settingsOf(command, meterGroup);
    const from = parseHourOption(opts.from, "--from");
    const to = parseHourOption(opts.to, "--to");
    const { readInventory } = await import("../contracts/inventory.js");
    const inventory = readInventory(s.inventory);
    const result = await withLedger(command, async (ledger, actor) => {
      const { meter } = await import("./metering/meter.js");
      const timeoutMs = durationMs(s.scrapeTimeout);
      let source;
      if (s.prometheusUrl) {
        const { PromqlSource } = await import("./metering/promqlSource.js");
        source = new PromqlSource(s.prometheusUrl, { timeoutMs });
      } else {
        const { EmbeddedSource, scrapeInventory } = await import("./metering/embeddedSource.js");
        await scrapeInventory(ledger, inventory.hosts, { timeoutMs });
        const departments = new Map(inventory.hosts.map((h) => [h.name, h.department]));
        source = new EmbeddedSource(ledger, (host) => departments.get(host) ?? null);
      }
      return meter(ledger, {
        inventory,
        source,
        actor,
        maxCatchUpMs: durationMs(s.maxCatchUp),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      });
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (result.sourceError)
      throw new OperationFailedError(
        `metering source unavailable (${result.sourceError}): ` +
          `${result.gapHostHours} host-hours recorded as gaps, retried on the next run`,
      );
  });
}

/** `close`: freeze a month. */
function registerCloseCommand(program: Command): void {
  addSettingOptions(
    program
      .command("close")
      .description("close a month: freeze its statements in the SHA-256 chain; later corrections are adjustments")
      .requiredOption("--period <YYYY-MM>", "the month to close")
      .option(
        "--accept-gaps",
        "close although some host-hours have no data or were never metered (they stay unbilled)",
      ),
    ledgerGroup,
  ).action(async (opts: { period: string; acceptGaps?: boolean }, command: Command) => {
    const { closePeriod } = await import("./app/close.js");
    const result = await withLedger(command, (ledger, actor) =>
      closePeriod(ledger, opts.period, { actor, acceptGaps: opts.acceptGaps === true }),
    );
    process.stdout.write(`closed ${result.period}: total € ${result.statement.total}, hash ${result.hash}\n`);
  });
}

/** `chargeback`: a month per department, as JSON or a table. */
function registerChargebackCommand(program: Command): void {
  addSettingOptions(
    program
      .command("chargeback")
      .description("the chargeback of a month per department (the GET /api/v1/chargeback document)")
      .requiredOption("--period <YYYY-MM>", "the month")
      .option("--format <format>", "json or table", "json"),
    ledgerGroup,
  ).action(async (opts: { period: string; format: string }, command: Command) => {
    if (!["json", "table"].includes(opts.format))
      throw new UsageError(`--format must be json or table, got "${opts.format}"`);
    const { chargeback } = await import("./app/chargeback.js");
    const doc = await withLedger(command, (ledger) => chargeback(ledger, opts.period));
    // usage the rate card does not price is left out of the figures: printed, but the run fails naming it
    const unpriced = (doc.errors ?? []).map((e) => e.message);
    const incomplete = (): void => {
      if (unpriced.length > 0) throw new OperationFailedError(`${opts.period} is incomplete: ${unpriced.join("; ")}`);
    };
    if (opts.format === "json") {
      process.stdout.write(JSON.stringify(doc, null, 2) + "\n");
      incomplete();
      return;
    }
    const { default: Table } = await import("cli-table3");
    const table = new Table({
      head: ["department", "cost centre", "compute", "storage", "licences", "shared", "adjustments", "total"],
      style: { head: [], border: [] },
    }); // plain: often piped or logged
    for (const d of doc.departments)
      table.push([d.id, d.costCenter, d.compute, d.storage, d.licences, d.shared, d.adjustments, d.total]);
    table.push(
      ["unallocated", "", "", "", "", "", "", doc.unallocated],
      ["unrecovered", "", "", "", "", "", "", doc.unrecovered],
      ["total", "", "", "", "", "", "", doc.total],
    );
    process.stdout.write(`${doc.period} (${doc.status}), EUR\n${table.toString()}\n`);
    incomplete();
  });
}

/** `ledger …`: master data, adjustments, retention, the chain and the audit trail. */
function registerLedgerGroup(program: Command): void {
  const ledger = program
    .command("ledger")
    .description("master data, adjustments, retention and the audit trail of the chargeback ledger");
  for (const register of ledgerSubcommands) register(ledger);
}

/** `statement`: a department's monthly statement as CSV or PDF. */
function registerStatementCommand(program: Command): void {
  addSettingOptions(
    program
      .command("statement")
      .description("a department's monthly statement: cost centre, lines, totals and the rate versions used")
      .requiredOption("--period <YYYY-MM>", "the month")
      .requiredOption("--department <id>", "the department")
      .option("--format <format>", "csv or pdf", "csv")
      .option("-o, --out <file>", "write to a file (required for pdf)"),
    ledgerGroup,
  ).action(async (opts: { period: string; department: string; format: string; out?: string }, command: Command) => {
    if (!["csv", "pdf"].includes(opts.format))
      throw new UsageError(`--format must be csv or pdf, got "${opts.format}"`);
    if (opts.format === "pdf" && !opts.out) throw new UsageError("--out is required for a PDF statement");
    const { chargeback } = await import("./app/chargeback.js");
    const exports = await import("./domain/exports.js");
    const doc = await withLedger(command, (l) => chargeback(l, opts.period));
    const statement = exports.departmentStatement(doc, opts.department);
    write(opts.out, opts.format === "csv" ? exports.statementCsv(statement) : await exports.statementPdf(statement));
  });
}

/** `journal`: the month's journal CSV for the financial system. */
function registerJournalCommand(program: Command): void {
  addSettingOptions(
    program
      .command("journal")
      .description(
        "the month's journal CSV for the financial system: " +
          "debit each department's cost centre, credit ICT's, per cost type",
      )
      .requiredOption("--period <YYYY-MM>", "the month")
      .option("--ict-cost-center <KP-…>", "the cost centre credited (default: the ict department's)")
      .option("-o, --out <file>", "write to a file instead of stdout"),
    ledgerGroup,
  ).action(async (opts: { period: string; ictCostCenter?: string; out?: string }, command: Command) => {
    const { chargeback } = await import("./app/chargeback.js");
    const { journalCsv } = await import("./domain/exports.js");
    const doc = await withLedger(command, (l) => chargeback(l, opts.period));
    write(opts.out, journalCsv(doc, opts.ictCostCenter));
  });
}

/** `signoff`: sign off or dispute a statement. */
function registerSignoffCommand(program: Command): void {
  addSettingOptions(
    program
      .command("signoff")
      .description("sign off (or dispute) a department's statement of a closed month")
      .requiredOption("--period <YYYY-MM>", "the closed month")
      .requiredOption("--department <id>", "the department")
      .option("--dispute", "dispute instead of signing off")
      .option("--reason <text>", "comment; required for a dispute"),
    ledgerGroup,
  ).action(
    async (opts: { period: string; department: string; dispute?: boolean; reason?: string }, command: Command) => {
      const { setStatementStatus } = await import("./app/close.js");
      const status = opts.dispute ? "disputed" : "signed-off";
      await withLedger(command, (l, actor) =>
        setStatementStatus(l, opts.period, opts.department, status, actor, opts.reason ?? null),
      );
      process.stdout.write(`${opts.department} ${opts.period}: ${status}\n`);
    },
  );
}

/** `forecast`: forecast vs actual vs budget per department. */
function registerForecastCommand(program: Command): void {
  addSettingOptions(
    program
      .command("forecast")
      .description(
        "per department: forecast (the plan's inventory priced at the rate card) vs actual vs budget, with alert state",
      )
      .requiredOption("--period <YYYY-MM>", "the month")
      .option("--as-of <YYYY-MM-DD>", "project as on this day (default: today), e.g. to see what the 15th showed"),
    { ...ledgerGroup, inventory: inventorySetting },
  ).action(async (opts: { period: string; asOf?: string }, command: Command) => {
    const s = settingsOf(command, { inventory: inventorySetting });
    const { readInventory } = await import("../contracts/inventory.js");
    const { budgetReport } = await import("./app/budgetReport.js");
    const inventory = readInventory(s.inventory);
    const now = opts.asOf === undefined ? Date.now() : asOfInstant(opts.asOf);
    const report = await withLedger(command, (l) => budgetReport(l, opts.period, inventory, now));
    process.stdout.write(JSON.stringify(report, null, 2) + "\n");
  });
}

/** `licences`: the licence position per product. */
function registerLicencesCommand(program: Command): void {
  const licences = addSettingOptions(
    program
      .command("licences")
      .description("licence position per product for a month: purchased, assigned, free")
      // not commander's requiredOption: that would be demanded of the `what-if` subcommand as well
      .option("--period <YYYY-MM>", "the month (required)"),
    ledgerGroup,
  ).action(async (opts: { period?: string }, command: Command) => {
    const period = opts.period;
    if (period === undefined) throw new UsageError("required option '--period <YYYY-MM>' not specified");
    const { licencePosition } = await import("./domain/licencePosition.js");
    const { loadMasterData } = await import("./data-access/masterData.js");
    const position = await withLedger(command, async (l) => licencePosition(await loadMasterData(l.db), period));
    process.stdout.write(JSON.stringify(position, null, 2) + "\n");
  });
  registerLicenceWhatIfCommand(licences);
}

/** `ledger import`: master data from YAML or CSV. */
function registerImportCommand(ledger: Command): void {
  addSettingOptions(
    ledger
      .command("import")
      .description(
        "import master data (YAML: every kind; CSV: one kind per file); all or nothing, every bad row listed",
      )
      .argument("<file>", "a .yaml or .csv file")
      .option("--format <format>", "yaml or csv (default: from the file name)")
      .option(
        "--kind <kind>",
        "for CSV: departments, hosts, shares, rateCards, licenceProducts, licenceContracts, licenceAssignments, " +
          "costItems (default: the file name)",
      )
      .option("--create", "create the ledger if there is none yet (as `muniops db migrate` does)"),
    ledgerGroup,
  ).action(async (file: string, opts: { format?: string; kind?: string }, command: Command) => {
    const { importMasterDataFile } = await import("./app/ledgerImport.js");
    const changes = await withLedger(command, (l, actor) => importMasterDataFile(l, file, { ...opts, actor }));
    process.stdout.write(`${file}: ${changes.length} change${changes.length === 1 ? "" : "s"} imported\n`);
  });
}

/** `ledger export`: master data as YAML or CSV. */
function registerExportCommand(ledger: Command): void {
  addSettingOptions(
    ledger
      .command("export")
      .description("export master data as YAML (everything) or CSV (one kind)")
      .option("--format <format>", "yaml or csv", "yaml")
      .option("--kind <kind>", "for CSV: which kind")
      .option("-o, --out <file>", "write to a file instead of stdout"),
    ledgerGroup,
  ).action(async (opts: { format: string; kind?: string; out?: string }, command: Command) => {
    const { exportMasterData, formatOf, kindFromName } = await import("./app/ledgerImport.js");
    const format = formatOf("", opts.format);
    const text = await withLedger(command, (l) =>
      exportMasterData(l, format, opts.kind ? kindFromName(opts.kind) : undefined),
    );
    write(opts.out, text);
  });
}

/** `ledger adjust`: an adjustment line in an open month. */
function registerAdjustCommand(ledger: Command): void {
  addSettingOptions(
    ledger
      .command("adjust")
      .description("add an adjustment line to an open month, e.g. a correction of a closed one")
      .requiredOption("--period <YYYY-MM>", "the open month the line goes in")
      .requiredOption("--department <id>", "the department charged (negative amount: credited)")
      .requiredOption("--amount <euros>", "amount in euros, e.g. -125.50")
      .requiredOption("--reason <text>", "why, as the statement shows it")
      .option("--refers-to <YYYY-MM>", "the closed month this corrects"),
    adjustGroup,
  ).action(
    async (
      opts: { period: string; department: string; amount: string; reason: string; refersTo?: string },
      command: Command,
    ) => {
      const { addAdjustment, configureAdjustmentLimit } = await import("./app/adjustments.js");
      const { parseCents } = await import("./domain/money.js");
      configureAdjustmentLimit(parseCents(settingsOf(command, adjustGroup).adjustmentLimit, "--adjustment-limit"));
      const amountCents = parseCents(opts.amount, "--amount");
      const id = await withLedger(command, (l, actor) =>
        addAdjustment(l, {
          period: opts.period,
          department: opts.department,
          amountCents,
          reason: opts.reason,
          refersToPeriod: opts.refersTo ?? null,
          actor,
        }),
      );
      process.stdout.write(`adjustment ${id} added to ${opts.period}\n`);
    },
  );
}

/** `ledger purge`: usage rows past retention. */
function registerPurgeCommand(ledger: Command): void {
  addSettingOptions(
    ledger
      .command("purge")
      .description("delete hourly rows past retention (after rolling them up) and daily rows past retention"),
    purgeGroup,
  ).action(async (_o: unknown, command: Command) => {
    const s = settingsOf(command, purgeGroup);
    const { purgeUsage } = await import("./data-access/usage.js");
    const { retentionCutoffs } = await import("./domain/retention.js");
    const cutoffs = retentionCutoffs(Date.now(), s.hourlyDays, s.dailyYears);
    const purged = await withLedger(command, (l) => purgeUsage(l.db, cutoffs));
    process.stdout.write(
      `purged ${purged.hourly} hourly rows (before ${cutoffs.hourlyBefore}), ` +
        `${purged.daily} daily rows (before ${cutoffs.dailyBefore}), ${purged.samples} scrape samples\n`,
    );
  });
}

/** `ledger verify`: the chain of closes and sign-offs. */
function registerVerifyCommand(ledger: Command): void {
  addSettingOptions(
    ledger
      .command("verify")
      .description("check the chain of closes and sign-offs from genesis: statements, who and when, and its end")
      .option(
        "--statement-pdf <files...>",
        "statement PDFs of closed months: the chain must still hold the position each carries",
      ),
    ledgerGroup,
  ).action(async (opts: { statementPdf?: string[] }, command: Command) => {
    const { verifyLedger } = await import("./app/ledgerVerify.js");
    const { readStatementPdfAnchors } = await import("./app/statementPdfAnchorFile.js");
    const external = readStatementPdfAnchors(opts.statementPdf ?? []);
    const result = await withLedger(command, (l) => verifyLedger(l, external));
    if (!result.ok) {
      const count = result.problems.length === 1 ? "1 problem" : `${result.problems.length} problems`;
      const lines = result.problems.map((p) => `  ${p.kind}: ${p.message}`);
      throw new OperationFailedError([`the ledger's chain does not verify (${count}):`, ...lines].join("\n"));
    }
    const periods = `${result.periods} closed period${result.periods === 1 ? "" : "s"}`;
    const head = result.head ? `, head record ${result.head.seq} ${result.head.hash}` : "";
    process.stdout.write(`chain intact over ${periods} and ${result.records} records${head}\n`);
  });
}

/** `ledger audit`: the audit log as JSON lines. */
function registerAuditCommand(ledger: Command): void {
  addSettingOptions(
    ledger
      .command("audit")
      .description("print the audit log (JSON lines)")
      .option("--entity <kind>", "only this kind of record")
      .option("--limit <n>", "at most n entries"),
    ledgerGroup,
  ).action(async (opts: { entity?: string; limit?: string }, command: Command) => {
    const { readAuditLog } = await import("./data-access/auditLog.js");
    const limit = opts.limit === undefined ? undefined : Number(opts.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0))
      throw new UsageError(`--limit must be a positive integer, got "${opts.limit ?? ""}"`);
    const entries = await withLedger(command, (l) =>
      readAuditLog(l.db, { ...(opts.entity ? { entity: opts.entity } : {}), ...(limit ? { limit } : {}) }),
    );
    for (const e of entries) process.stdout.write(JSON.stringify(e) + "\n");
  });
}

/** `--as-of YYYY-MM-DD` as an instant: noon UTC of that day, so the day is the same in every time zone. */
function asOfInstant(day: string): number {
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T12:00:00Z`) : Number.NaN;
  if (Number.isNaN(instant) || new Date(instant).toISOString().slice(0, 10) !== day) {
    throw new UsageError(`--as-of must be a day as YYYY-MM-DD, e.g. 2026-11-15; got "${day}"`);
  }
  return instant;
}
