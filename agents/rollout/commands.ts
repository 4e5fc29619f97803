// The actions behind `muniops agents rollback|status`, and what deploy (deployCommand.ts) shares with them:
// resolve settings, pick the hosts, gather credentials once, run the fleet, report, and fail (exit 1) if any
// host failed.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Command } from "commander";
import { OperationFailedError, UsageError } from "../../errors.js";
import { logger } from "../../logger.js";
import { packageVersion } from "../../packageInfo.js";
import { resolveSettings, type SettingsOf } from "../../settings.js";
import { readInventory, type InventoryHost } from "../../contracts/inventory.js";
import { hostMatcher, runFleet } from "./fleet.js";
import {
  rollbackHost,
  statusOfHost,
  type AgentBundle,
  type HostResult,
  type OperationOptions,
} from "./hostOperations.js";
import { KnownHostsFile } from "./knownHosts.js";
import { versionPattern } from "./layout.js";
import { createReporter, isFailure } from "./report.js";
import { connectionSettings, defaultSshUser, expandHome } from "./settings.js";
import { loadCredentials, promptHidden } from "./sshConnection.js";

type ConnectionConfig = SettingsOf<typeof connectionSettings>;

/** The inventory hosts an agent is installed on: `--hosts` matches, agentless (`collect: ssh`) ones left out. */
export function selectHosts(hosts: readonly InventoryHost[], patterns: string | undefined): InventoryHost[] {
  const matches = hostMatcher(patterns);
  const selected = hosts.filter((h) => matches(h.name) && h.collect !== "ssh");
  if (selected.length === 0)
    throw new UsageError(
      `no inventory host matches --hosts ${JSON.stringify(patterns ?? "")} (hosts with "collect": "ssh" get no agent)`,
    );
  return selected;
}

export async function operationOptions(config: ConnectionConfig): Promise<OperationOptions> {
  const credentials = await loadCredentials({
    // Settings without a default resolve to undefined, whatever zod's output type says.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    user: config.sshUser ?? defaultSshUser(),
    identity: config.identity ? expandHome(config.identity) : undefined,
    passphrase: config.passphrase,
    ...(process.stdin.isTTY ? { promptPassphrase: promptHidden } : {}),
  });
  const knownHosts = await KnownHostsFile.load(expandHome(config.knownHosts));
  return {
    credentials,
    hostKeys: { knownHosts, acceptNew: config.acceptNew, dryRun: config.dryRun },
    sshPort: config.sshPort,
    connectTimeoutMs: config.connectTimeout * 1000,
    layout: {
      prefix: config.prefix,
      serviceUser: config.serviceUser,
      serviceManager: config.serviceManager,
      sudo: config.sudo,
    },
    healthTimeoutMs: config.healthTimeout * 1000,
    dryRun: config.dryRun,
  };
}

/** Load a prebuilt bundle, asking it for its version (`node bundle --version`), as the host will run it. */
export async function loadBundle(path: string, configPath: string | undefined): Promise<AgentBundle> {
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (error) {
    throw new UsageError(
      `couldn't read the agent bundle ${path} (--bundle): ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  let version: string;
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [path, "--version"], { timeout: 15_000 });
    version = stdout.trim();
  } catch (error) {
    throw new UsageError(
      `the agent bundle ${path} (--bundle) doesn't answer --version: ` +
        (error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error)),
    );
  }
  if (!versionPattern.test(version))
    throw new UsageError(
      `the agent bundle ${path} (--bundle) reports the version ${JSON.stringify(version)}, which is not a ` +
        `valid release name (letters, digits, . + _ -)`,
    );
  let config = "# muniops agent configuration, written by `muniops agents deploy`\n";
  if (configPath) {
    try {
      config = await readFile(configPath, "utf8");
    } catch (error) {
      throw new UsageError(
        `couldn't read the agent configuration ${configPath} (--agent-config): ` +
          ((error as NodeJS.ErrnoException).code ?? String(error)),
      );
    }
  }
  const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
  return { version, content, sha256: sha256(content), config, configSha256: sha256(config) };
}

export async function buildBundle(configPath: string | undefined): Promise<AgentBundle> {
  const dir = await mkdtemp(join(tmpdir(), "muniops-bundle-"));
  try {
    const outFile = join(dir, "muniops-agent.mjs");
    // The bundler belongs to the agent part; imported lazily so the rollout works with --bundle alone.
    const bundlerModule = "../bundle.js"; // a variable: the bundler is the agent part's, and optional here
    const bundler = (await import(bundlerModule)) as {
      buildAgentBundle(options: { outFile: string; version: string }): Promise<unknown>;
    };
    await bundler.buildAgentBundle({ outFile, version: packageVersion() });
    return await loadBundle(outFile, configPath);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runOperation(
  command: Command,
  configFile: string | undefined,
  name: string,
  settingsGroup: typeof connectionSettings,
  operate: (
    options: OperationOptions,
    config: ConnectionConfig,
  ) => Promise<(host: InventoryHost, step: (s: string) => void) => Promise<HostResult>>,
): Promise<HostResult[]> {
  const config = resolveSettings(settingsGroup, { command, configFile });
  const inventory = readInventory(config.inventory);
  const hosts = selectHosts(inventory.hosts, config.hosts);
  const options = await operationOptions(config);
  const operation = await operate(options, config);
  logger().info(
    { operation: name, hosts: hosts.length, parallel: config.parallel, dryRun: config.dryRun },
    `agents ${name}`,
  );
  const reporter = createReporter(name, hosts.length);
  const results = await runFleet(hosts, config.parallel, operation, reporter);
  reporter.finish(results);
  return results;
}

export function failIfAny(results: readonly HostResult[], what: string): void {
  const failed = results.filter(isFailure);
  if (failed.length > 0)
    throw new OperationFailedError(
      `${what} failed on ${failed.length} of ${results.length} hosts: ${failed.map((r) => r.host).join(", ")}`,
    );
}

export async function rollbackCommand(command: Command, configFile: string | undefined): Promise<void> {
  const results = await runOperation(command, configFile, "rollback", connectionSettings, (options) =>
    Promise.resolve((host, step) => rollbackHost(host, options, step)),
  );
  failIfAny(results, "rollback");
}

export async function statusCommand(command: Command, configFile: string | undefined): Promise<void> {
  const results = await runOperation(command, configFile, "status", connectionSettings, (options) =>
    Promise.resolve((host, step) => statusOfHost(host, options, step)),
  );
  failIfAny(results, "status");
}
