// `muniops agent` and the standalone `muniops-agent`: the same options and the same action, so the two
// cannot drift apart.
import type { Command } from "commander";
import { configFileOf } from "../cliContext.js";
import { addSettingOptions, resolveSettings } from "../settings.js";
import { logger } from "../logger.js";
import { registeredCollectors } from "./collector.js";
import { agentSettings } from "./agentSettings.js";
import "./collectors/index.js";

export function configureAgentCommand(command: Command): Command {
  addSettingOptions(command, agentSettings);
  for (const c of registeredCollectors()) {
    addSettingOptions(command, { enabled: c.enabledSetting });
    command.option(`--no-collector.${c.id}`, `disable the ${c.id} collector`);
    addSettingOptions(command, c.settings);
  }
  return command.action(async (_options: unknown, cmd: Command) => {
    await runAgent(cmd);
  });
}

async function runAgent(command: Command): Promise<void> {
  const resolveOptions = { command, configFile: configFileOf(command) };
  const settings = resolveSettings(agentSettings, resolveOptions);
  const collectors: string[] = [];
  const collectorOptions: Record<string, Record<string, unknown>> = {};
  for (const c of registeredCollectors()) {
    // With --collector.disable-defaults only collectors switched on explicitly run.
    const enabledSetting = settings.disableDefaults ? { ...c.enabledSetting, default: false } : c.enabledSetting;
    if (resolveSettings({ enabled: enabledSetting }, resolveOptions).enabled) collectors.push(c.id);
    collectorOptions[c.id] = resolveSettings(c.settings, resolveOptions);
  }
  const { startAgent } = await import("./agent.js");
  const agent = await startAgent({
    listenAddress: settings.listenAddress,
    webConfigFile: settings.webConfigFile,
    maxRequests: settings.maxRequests,
    collectors,
    collectorOptions,
    timeoutSeconds: settings.timeout,
    environment: { procfs: settings.procfs, sysfs: settings.sysfs, rootfs: settings.rootfs },
  });
  logger().info({ url: `${agent.url}/metrics`, collectors }, "muniops agent listening");
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger().info({ signal }, "stopping");
      process.off("SIGINT", stop).off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop).on("SIGTERM", stop);
  });
  await agent.close();
}
