// `muniops dashboard` and `muniops users add|passwd|disable|enable|list`. Heavy modules load inside the
// actions so `muniops --help` stays fast.
import { userInfo } from "node:os";
import type { Command } from "commander";
import type { Ledger } from "../data-access/database.js";
import { configFileOf } from "../../cliContext.js";
import { UsageError } from "../../errors.js";
import { addSettingOptions, resolveSettings, type SettingsOf } from "../../settings.js";
import {
  databaseUrlSetting,
  durationMs,
  inventorySetting,
  maxCatchUpSetting,
  prometheusUrlSetting,
  scrapeTimeoutSetting,
} from "../settings.js";
import { adjustmentLimitSetting } from "../settings.js";
import { oidcConfig, oidcSettings } from "../auth/oidcSettings.js";
import { roles } from "../auth/roles.js";
import { auditWaiversSetting, dashboardSettings } from "./dashboardSettings.js";
import type { RunningDashboard } from "./server.js";
import type { Work } from "./scheduledWork.js";

/** A password from stdin (first line): never a flag, which would land in shell history and `ps`. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("password: ");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
  if (password === "")
    throw new UsageError(
      "give the password on standard input (e.g. `read -rs P; printf '%s\\n' \"$P\" | muniops users add …`)",
    );
  return password;
}

async function withLedger<T>(command: Command, fn: (ledger: Ledger) => Promise<T>): Promise<T> {
  const { databaseUrl } = resolveSettings(
    { databaseUrl: databaseUrlSetting },
    { command, configFile: configFileOf(command) },
  );
  const { openLedger } = await import("../data-access/database.js");
  const { prepareAuthTables } = await import("../auth/userStore.js");
  const ledger = await openLedger(databaseUrl);
  try {
    await prepareAuthTables(ledger);
    return await fn(ledger);
  } finally {
    await ledger.close();
  }
}

const actor = (): string => `cli:${userInfo().username}`;

// The dashboard process also meters on a schedule (issue 6): the same settings as `muniops meter`.
const meteringSettings = {
  inventory: inventorySetting,
  prometheusUrl: prometheusUrlSetting,
  scrapeTimeout: scrapeTimeoutSetting,
  maxCatchUp: maxCatchUpSetting,
};

export function registerDashboardWebCommands(program: Command): void {
  registerDashboardCommand(program);
  registerUsersCommands(program);
}

const ledgerRules = { adjustmentLimit: adjustmentLimitSetting };

function registerDashboardCommand(program: Command): void {
  const dashboard = program
    .command("dashboard")
    .description(
      "serve the web dashboard and its JSON API (default http://localhost:8080), and meter the inventory every minute",
    );
  addSettingOptions(dashboard, { ...dashboardSettings, ...meteringSettings, ...oidcSettings, ...ledgerRules });
  dashboard.action(async (_opts: unknown, command: Command) => {
    const s = resolveSettings(dashboardSettings, { command, configFile: configFileOf(command) });
    await applyLedgerRules(command);
    const metering = await meteringOf(command);
    const { start } = await import("./server.js");
    const compliance = await complianceFilesOf(s);
    // OIDC is discovered before the port is taken: a wrong or unreachable issuer stops the start, named.
    const oidcOptions = oidcConfig(resolveSettings(oidcSettings, { command, configFile: configFileOf(command) }), s);
    const oidc = oidcOptions && (await (await import("../auth/oidcClient.js")).OidcLogin.discover(oidcOptions));
    const running = await start({
      oidc,
      databaseUrl: s.databaseUrl,
      host: s.host,
      port: s.port,
      sessionTtlMs: durationMs(s.sessionTtl),
      slaTarget: s.slaTarget,
      trustProxy: s.trustProxy,
      loginAttempts: s.loginAttempts,
      compliance,
      inventoryFile: metering.on ? metering.settings.inventory : undefined,
      metricsToken: s.metricsToken,
    });
    process.stderr.write(`muniops dashboard listening on ${running.url}\n`);
    if (oidc) process.stderr.write(`OIDC login through ${oidc.issuer} (callback ${oidc.config.redirectUri})\n`);
    const scheduled = await startDashboardSchedule(running, s.databaseUrl, metering);
    if (!metering.on)
      process.stderr.write(
        `metering off: no ${metering.settings.inventory} here (give --inventory to meter from the dashboard process)\n`,
      );
    await untilSignalled(scheduled, running);
  });
}

/** The ledger's rules from the settings (the adjustment limit), set before anything is served. */
async function applyLedgerRules(command: Command): Promise<void> {
  const { adjustmentLimit } = resolveSettings(ledgerRules, { command, configFile: configFileOf(command) });
  const { configureAdjustmentLimit } = await import("../app/adjustments.js");
  const { parseCents } = await import("../domain/money.js");
  configureAdjustmentLimit(parseCents(adjustmentLimit, "--adjustment-limit"));
}

interface MeteringPlan {
  settings: SettingsOf<typeof meteringSettings>;
  /** Absent when not given (a setting without a default), whatever its schema's type says. */
  prometheusUrl: string | undefined;
  /** Whether the dashboard process meters: its inventory file exists. */
  on: boolean;
}

/** The metering settings, checked: a named inventory must exist and a present one must be valid. */
async function meteringOf(command: Command): Promise<MeteringPlan> {
  const m = resolveSettings(meteringSettings, { command, configFile: configFileOf(command) });
  const { existsSync } = await import("node:fs");
  // A setting without a default is absent when not given, whatever its schema's type says.
  const prometheusUrl = m.prometheusUrl as string | undefined;
  const meteringOn = existsSync(m.inventory);
  // The default inventory.json may simply not be there (a dashboard for reading only); a path the user
  // named must exist.
  if (!meteringOn && m.inventory !== inventorySetting.default)
    throw new UsageError(
      `--inventory ${m.inventory} does not exist: give the inventory.json to meter (muniops plan ` +
        `--inventory writes one)`,
    );
  const { readInventory } = await import("../../contracts/inventory.js");
  if (meteringOn) readInventory(m.inventory); // a bad inventory is a usage error now, not a log line every minute
  return { settings: m, prometheusUrl, on: meteringOn };
}

/** The compliance page's preview and waivers files: each must exist. */
async function complianceFilesOf(
  s: SettingsOf<typeof dashboardSettings>,
): Promise<{ previewFile: string | undefined; waiversFile: string }> {
  const { existsSync } = await import("node:fs");
  // A setting without a default is absent when not given.
  const auditPreview: string | undefined = s.auditPreview;
  if (auditPreview !== undefined && !existsSync(auditPreview))
    throw new UsageError(
      `--audit-preview ${auditPreview} does not exist: give a \`muniops plan\` or \`pulumi preview ` +
        `--json\` output file`,
    );
  const { defaultWaiversPath } = await import("../../policies/settings.js");
  const waiversFile = s.auditWaivers === auditWaiversSetting.default ? defaultWaiversPath() : s.auditWaivers;
  if (!existsSync(waiversFile))
    throw new UsageError(`--audit-waivers ${waiversFile} does not exist: give the waivers YAML file`);
  return { previewFile: auditPreview, waiversFile };
}

/** Metering (when on) and the session purge, in one instance at a time (scheduledWork.ts). */
async function startDashboardSchedule(
  running: RunningDashboard,
  databaseUrl: string,
  metering: MeteringPlan,
): Promise<Work> {
  const { startMeteringSchedule } = await import("../metering/schedule.js");
  const { startScheduledWork } = await import("./scheduledWork.js");
  const { readInventory } = await import("../../contracts/inventory.js");
  const { settings: m, prometheusUrl, on: meteringOn } = metering;
  return startScheduledWork({
    ledger: running.ledger,
    databaseUrl,
    ...(meteringOn
      ? {
          startMetering: () =>
            startMeteringSchedule({
              ledger: running.ledger,
              loadInventory: () => readInventory(m.inventory),
              ...(prometheusUrl ? { prometheusUrl } : {}),
              timeoutMs: durationMs(m.scrapeTimeout),
              maxCatchUpMs: durationMs(m.maxCatchUp),
              onRun: (result) => {
                if (!result.sourceError) running.metrics.meteringSucceeded();
              },
            }),
        }
      : {}),
    onLeading: (leading) => {
      running.metrics.leading(leading);
      if (meteringOn && leading)
        process.stderr.write(
          `metering ${m.inventory} every minute from ${prometheusUrl ?? "the agents (embedded mode)"}\n`,
        );
      else if (meteringOn) process.stderr.write("metering stopped here: another instance runs it\n");
    },
  });
}

/** Runs until SIGINT or SIGTERM, then stops the scheduled work and the server, in that order. */
async function untilSignalled(scheduled: Work, running: RunningDashboard): Promise<void> {
  await new Promise<void>((resolve) => {
    const stop = () =>
      void scheduled
        .stop()
        .then(() => running.stop())
        .then(resolve);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

function registerUsersCommands(program: Command): void {
  const users = program.command("users").description("dashboard accounts: add, change password, disable, enable, list");
  const withDb = (c: Command) => addSettingOptions(c, { databaseUrl: databaseUrlSetting });
  withDb(
    users
      .command("add")
      .description("add an account; the password is read from standard input")
      .argument("<username>")
      .requiredOption("--role <role>", `one of ${roles.join(", ")}`)
      .option("--department <id...>", "for department-controller: the department(s) they may see")
      .option("--name <display name>", "the name shown in the dashboard"),
  ).action(async (username: string, opts: { role: string; department?: string[]; name?: string }, command: Command) => {
    const password = await readPassword();
    const { addUser } = await import("../auth/userStore.js");
    await withLedger(command, (ledger) =>
      addUser(
        ledger,
        {
          username,
          password,
          role: opts.role,
          departments: opts.department ?? [],
          ...(opts.name ? { displayName: opts.name } : {}),
        },
        actor(),
      ),
    );
    process.stdout.write(`user ${username} added (${opts.role})\n`);
  });
  withDb(
    users
      .command("passwd")
      .description("set a new password (from standard input); ends the user's sessions")
      .argument("<username>"),
  ).action(async (username: string, _opts: unknown, command: Command) => {
    const password = await readPassword();
    const { setPassword } = await import("../auth/userStore.js");
    await withLedger(command, (ledger) => setPassword(ledger, username, password, actor()));
    process.stdout.write(`password of ${username} changed\n`);
  });
  for (const [name, disabled] of [
    ["disable", true],
    ["enable", false],
  ] as const) {
    withDb(
      users
        .command(name)
        .description(disabled ? "disable an account and end its sessions" : "enable a disabled account")
        .argument("<username>"),
    ).action(async (username: string, _opts: unknown, command: Command) => {
      const { setDisabled } = await import("../auth/userStore.js");
      await withLedger(command, (ledger) => setDisabled(ledger, username, disabled, actor()));
      process.stdout.write(`user ${username} ${name}d\n`);
    });
  }
  withDb(users.command("list").description("list the accounts")).action(async (_opts: unknown, command: Command) => {
    const { listUsers } = await import("../auth/userStore.js");
    const list = await withLedger(command, (ledger) => listUsers(ledger));
    for (const u of list)
      process.stdout.write(
        `${u.username}\t${u.role}\t${u.departments.join(",") || "-"}\t${u.disabled ? "disabled" : "enabled"}\n`,
      );
  });
}
