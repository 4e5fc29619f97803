// The action behind `muniops agents agentless-exporter`: serve until SIGINT/SIGTERM.
import type { Command } from "commander";
import { logger } from "../../logger.js";
import { resolveSettings } from "../../settings.js";
import { readInventory } from "../../contracts/inventory.js";
import { agentlessFetcher } from "./fetcher.js";
import { agentlessHosts, startAgentlessExporter } from "./exporter.js";
import { agentlessOptionsFromSettings, exporterSettings } from "./settings.js";

export async function runAgentlessExporter(command: Command, configFile: string | undefined): Promise<void> {
  const config = resolveSettings(exporterSettings, { command, configFile });
  const inventory = readInventory(config.inventory);
  const options = await agentlessOptionsFromSettings({ command, configFile });
  const separator = config.listenAddress.lastIndexOf(":");
  const host = config.listenAddress.slice(0, separator).replace(/^\[|\]$/g, "") || "0.0.0.0";
  const port = Number(config.listenAddress.slice(separator + 1));
  const exporter = await startAgentlessExporter(inventory, agentlessFetcher(options), host, port);
  logger().info(
    { url: `${exporter.url}/metrics`, targets: [...agentlessHosts(inventory).keys()] },
    "agentless exporter listening",
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      void exporter.close().then(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
