// `muniops evidence --year YYYY --out DIR`: the yearly ENSIA dossier from the ledger's audit history
// (dashboard/app/evidence/). Heavy modules are imported inside the action, so that `muniops --help` stays fast.
import type { Command } from "commander";
import { configFileOf } from "../cliContext.js";
import { UsageError } from "../errors.js";
import { defaultApplicabilityPath, defaultWaiversPath, vvtSettings } from "../policies/settings.js";
import { addSettingOptions, resolveSettings } from "../settings.js";
import { databaseUrlSetting } from "./settings.js";

const evidenceSettings = {
  databaseUrl: databaseUrlSetting,
  applicability: vvtSettings.applicability,
  waivers: vvtSettings.waivers,
};

function parseYear(text: string): number {
  if (!/^\d{4}$/.test(text)) throw new UsageError(`--year must be a year such as 2026, got "${text}"`);
  return Number(text);
}

export function registerEvidenceCommand(program: Command): void {
  const command = program
    .command("evidence")
    .description(
      "the yearly ENSIA evidence dossier (peildatum 31 December): per BIO2 measure opzet, bestaan and werking " +
        "from the ledger's audit history, waivers, asset inventory, VvT and manifest.sha256 (exit 2 on bad input)",
    )
    .requiredOption("--year <YYYY>", "the year of the dossier", parseYear)
    .requiredOption("--out <dir>", "folder to write the dossier into (created)")
    .option("--stack <name>", "the stack (default: the only stack with audits)")
    .option("--inventory <file>", "the stack's inventory.json for the asset inventory (BIO2 5.09.01)");
  addSettingOptions(command, evidenceSettings);
  command.action(async (opts: { year: number; out: string; stack?: string; inventory?: string }, cmd: Command) => {
    const s = resolveSettings(evidenceSettings, { command: cmd, configFile: configFileOf(cmd) });
    const fromUser = (name: string) => cmd.getOptionValueSource(name) === "cli";
    const { openLedger } = await import("./data-access/database.js");
    const { buildEvidenceDossier, writeDossier } = await import("./app/evidence/evidenceDossier.js");
    const ledger = await openLedger(s.databaseUrl);
    try {
      const dossier = await buildEvidenceDossier(ledger.db, {
        year: opts.year,
        stack: opts.stack,
        waiversFile:
          fromUser("waivers") || s.waivers !== vvtSettings.waivers.default ? s.waivers : defaultWaiversPath(),
        applicabilityFile:
          fromUser("applicability") || s.applicability !== vvtSettings.applicability.default
            ? s.applicability
            : defaultApplicabilityPath(),
        inventoryFile: opts.inventory,
        now: Date.now(),
      });
      writeDossier(opts.out, dossier);
      process.stderr.write(
        `wrote the ${dossier.year} dossier of ${dossier.stack} to ${opts.out}: ${dossier.files.length} files; ` +
          `check with: (cd ${opts.out} && sha256sum -c manifest.sha256)\n`,
      );
    } finally {
      await ledger.close();
    }
  });
}
