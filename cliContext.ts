// The global flags of the `muniops` and `muniops-agent` programs, as every part's subcommands read them.
// The entry modules declare the flags; the parts read them here rather than importing an entry module back
// (muniops.ts imports each part's cli.ts, so that would be a runtime cycle), and the config file is looked
// up in this one place.
import type { Command } from "commander";

/** The file named by the global --config flag, if any; resolveSettings then falls back to MUNIOPS_CONFIG
 *  and ./muniops.yaml. */
export function configFileOf(command: Command): string | undefined {
  return command.optsWithGlobals<{ config?: string }>().config;
}
