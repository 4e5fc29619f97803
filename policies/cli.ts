// The `muniops` subcommands this part adds. Heavy modules are imported inside the actions, so that
// `muniops --help` stays fast.
import type { Command } from "commander";
import { globalOptions } from "../muniops.js";
import { addSettingOptions, resolveSettings } from "../settings.js";
import { auditSettings, defaultWaiversPath } from "./settings.js";

export function registerPolicyCommands(program: Command): void {
  const command = program
    .command("audit")
    .description("evaluate the BIO policy pack offline on a Pulumi document (exit 1 on an unwaived mandatory violation, 2 when it can't be audited)")
    .argument("[document]", "`pulumi preview --json --show-sames` output, its streaming form, or `pulumi stack export` (`-` for stdin); or use --stack")
    .option("--stack <name>", "plan this stack offline (muniops plan) and audit the result");
  addSettingOptions(command, auditSettings);
  command.action(async (preview: string | undefined, opts: { stack?: string }, cmd: Command) => {
    const settings = resolveSettings(auditSettings, { command: cmd, configFile: globalOptions(cmd).config });
    const waiversExplicit = cmd.getOptionValueSource("waivers") === "cli" || process.env.MUNIOPS_AUDIT_WAIVERS !== undefined;
    const { runAudit } = await import("./audit/run.js");
    await runAudit({
      preview,
      stack: opts.stack,
      format: settings.format,
      baseline: settings.baseline,
      out: settings.out,
      waivers: waiversExplicit || settings.waivers !== auditSettings.waivers.default ? settings.waivers : defaultWaiversPath(),
      policyConfig: settings.policyConfig,
      allowPartial: settings.allowPartial,
    });
  });
}
