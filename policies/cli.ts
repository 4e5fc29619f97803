// The `muniops` subcommands this part adds. Heavy modules are imported inside the actions, so that
// `muniops --help` stays fast.
import type { Command } from "commander";
import type { AuditReport } from "./audit/report.js";
import { configFileOf } from "../cliContext.js";
import { addSettingOptions, resolveSettings, type Setting } from "../settings.js";
import { actorSetting, databaseUrlSetting } from "../dashboard/settings.js";
import { auditSettings, defaultApplicabilityPath, defaultWaiversPath, vvtSettings } from "./settings.js";

export function registerPolicyCommands(program: Command): void {
  const command = program
    .command("audit")
    .description(
      "evaluate the BIO policy pack offline on a Pulumi document (exit 1 on an unwaived mandatory violation, " +
        "2 when it can't be audited)",
    )
    .argument(
      "[document]",
      "`pulumi preview --json --show-sames` output, its streaming form, or `pulumi stack export` (`-` for " +
        "stdin); or use --stack",
    )
    .option("--stack <name>", "plan this stack offline (muniops plan) and audit the result");
  addSettingOptions(command, auditSettings);
  addSettingOptions(command, ledgerSettings);
  command.action(async (preview: string | undefined, opts: { stack?: string }, cmd: Command) => {
    const settings = resolveSettings(auditSettings, { command: cmd, configFile: configFileOf(cmd) });
    const ledger = resolveSettings(ledgerSettings, { command: cmd, configFile: configFileOf(cmd) });
    const waiversExplicit =
      cmd.getOptionValueSource("waivers") === "cli" || process.env.MUNIOPS_AUDIT_WAIVERS !== undefined;
    const { runAudit } = await import("./audit/run.js");
    await runAudit({
      preview,
      stack: opts.stack,
      format: settings.format,
      baseline: settings.baseline,
      out: settings.out,
      waivers:
        waiversExplicit || settings.waivers !== auditSettings.waivers.default ? settings.waivers : defaultWaiversPath(),
      policyConfig: settings.policyConfig,
      allowPartial: settings.allowPartial,
      record: settings.record ? recorder(ledger.databaseUrl, ledger.actor) : undefined,
    });
  });
  registerVvtCommand(program);
}

/** The ledger `--record` writes to, named as every ledger command names it. */
const ledgerSettings = { databaseUrl: databaseUrlSetting, actor: actorSetting };

function recorder(databaseUrl: string, actor: string | undefined) {
  return async (report: AuditReport): Promise<string> => {
    const { recordAuditReport } = await import("../dashboard/app/recordAudit.js");
    const { actorName } = await import("../dashboard/ledgerCommands.js");
    const { id, location } = await recordAuditReport(databaseUrl, report, { actor: actorName(actor), now: Date.now() });
    return `recorded as audit ${id} in ${location}`;
  };
}

/**
 * A path the user gave (flag, environment or config file) is used as given, relative to the current
 * directory; the default names the file bundled with the package, wherever muniops runs from.
 */
function pathOrBundled(cmd: Command, setting: Setting, value: string, bundled: () => string): string {
  const option = (setting.flag ?? "").replace(/^--/, "").replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
  const fromUser = cmd.getOptionValueSource(option) === "cli" || process.env[setting.env] !== undefined;
  return fromUser || value !== setting.default ? value : bundled();
}

function registerVvtCommand(program: Command): void {
  const command = program
    .command("vvt")
    .description(
      "the BIO2 statement of applicability (VvT): one row per BIO2 entry with its policies' results, " +
        "and the annex of exceptions from the waivers (exit 2 on bad input)",
    )
    .argument("[document]", "Pulumi document to take the results from (as for `muniops audit`; `-`: stdin); or --stack")
    .option("--stack <name>", "plan this stack offline (muniops plan) and take the results from that");
  addSettingOptions(command, vvtSettings);
  command.action(async (document: string | undefined, opts: { stack?: string }, cmd: Command) => {
    const settings = resolveSettings(vvtSettings, { command: cmd, configFile: configFileOf(cmd) });
    const { runVvt } = await import("./vvt/run.js");
    await runVvt({
      document,
      stack: opts.stack,
      format: settings.format,
      out: settings.out,
      applicability: pathOrBundled(cmd, vvtSettings.applicability, settings.applicability, defaultApplicabilityPath),
      waivers: pathOrBundled(cmd, vvtSettings.waivers, settings.waivers, defaultWaiversPath),
    });
  });
}
