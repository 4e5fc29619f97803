// What deploy, rollback and status do on one host. Each returns a HostResult and never throws: one
// host's failure is that host's row in the summary, never the end of the fleet's rollout.
import type { InventoryHost } from "../../contracts/inventory.js";
import { probeAgent, waitForVersion } from "./healthCheck.js";
import { openSession, type ConnectionOptions, type HostSession } from "./hostSession.js";
import { instructionLine, readyLine, type RemoteState } from "./platform.js";

export type HostStatus =
  "deployed" | "unchanged" | "skipped" | "not-started" | "would-deploy" | "rolled-back" | "failed" | "up" | "down";

export interface HostResult {
  host: string;
  address: string;
  status: HostStatus;
  /** Installed version before the operation (deploy/rollback), or the running version (status). */
  from?: string;
  to?: string;
  previous?: string;
  /** The version /metrics reports (status). */
  running?: string;
  hostKey?: string;
  /** Deploy: the host already had this exact bundle (same SHA-256), so it wasn't uploaded again. */
  reused?: boolean;
  error?: string;
  durationMs: number;
}

export interface AgentBundle {
  version: string;
  content: Buffer;
  sha256: string;
  /** The agent's configuration file (YAML), uploaded beside the bundle. */
  config: string;
  configSha256: string;
}

export interface OperationOptions extends ConnectionOptions {
  healthTimeoutMs: number;
  dryRun: boolean;
  /** Deploy: a host whose current release is this version with this bundle's SHA-256 and config is skipped. */
  resume?: boolean;
}

export type StepListener = (step: string) => void;

const minimumNodeMajor = 20;

/** Why the host can't run the agent, if its node is missing or too old; undefined when node is fine. */
function nodeProblem(state: RemoteState): string | undefined {
  if (state.nodePath === "" || state.nodeVersion === "")
    return `node is not installed on the host (the agent needs Node.js ${minimumNodeMajor} or later)`;
  if (state.nodeVersion === undefined) return undefined;
  const major = Number(/^v?(\d+)/.exec(state.nodeVersion)?.[1]);
  return major >= minimumNodeMajor
    ? undefined
    : `node ${state.nodeVersion} on the host is too old (the agent needs Node.js ${minimumNodeMajor} or later)`;
}

async function withSession(
  host: InventoryHost,
  options: OperationOptions,
  step: StepListener,
  work: (session: HostSession, result: HostResult) => Promise<void>,
): Promise<HostResult> {
  const started = Date.now();
  const result: HostResult = { host: host.name, address: host.address, status: "failed", durationMs: 0 };
  let session: HostSession | undefined;
  try {
    step("connect");
    session = await openSession(host, options);
    result.hostKey = `${session.hostKey.status} ${session.hostKey.fingerprint}`;
    await work(session, result);
  } catch (error) {
    result.status = "failed";
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    session?.close();
    result.durationMs = Date.now() - started;
  }
  return result;
}

export function deployHost(
  host: InventoryHost,
  bundle: AgentBundle,
  options: OperationOptions,
  step: StepListener = () => undefined,
): Promise<HostResult> {
  return withSession(host, options, step, async (session, result) => {
    const { platform, ssh } = session;
    step("probe");
    // A deploy probes and installs in one exec: the script prints the host's state and waits for the
    // instruction. A dry run only reads, so it runs the read-only probe, and asks for node's version
    // too (that costs a node start on the host; a deploy asks only when the new agent fails, see recover).
    const remote = options.dryRun
      ? undefined
      : await session.start(platform.deploy(bundle.version, bundle.sha256, bundle.config));
    const state = platform.parseProbe(
      remote
        ? await remote.readUntil(readyLine)
        : await session.run(platform.probe({ nodeVersion: true, release: bundle.version })),
    );
    const skip = async (): Promise<void> => {
      await remote?.finish([instructionLine({ action: "skip" })]);
    };
    if (state.current) result.from = state.current;
    result.to = bundle.version;
    // Resuming an interrupted rollout: the host already runs this exact release (version, bundle and
    // configuration checked on the host), so an earlier run finished it. No health check, no restart.
    if (
      options.resume &&
      state.current === bundle.version &&
      state.releaseSha256 === bundle.sha256 &&
      state.configSha256 === bundle.configSha256
    ) {
      await skip();
      result.status = "skipped";
      return;
    }
    const problem = nodeProblem(state);
    if (problem) {
      await skip().catch(() => undefined);
      throw new Error(problem);
    }

    // Same version, same configuration and answering: nothing to do (a re-run after a partial failure).
    if (state.current === bundle.version && state.configSha256 === bundle.configSha256) {
      const running = await probeAgent(ssh, host.address, host.agentPort);
      if (running.up && running.version === bundle.version) {
        await skip();
        result.status = "unchanged";
        return;
      }
    }
    if (!remote) {
      result.status = "would-deploy";
      return;
    }

    // Redeploying the running version keeps the previous one as the rollback target.
    const previous = state.current === bundle.version ? state.previous : state.current;
    // The identical bundle is already on the host (a roll-forward after a rollback, a config change):
    // don't send 772 KiB again. The script checks its SHA-256 once more before using it.
    const reuse = state.releaseSha256 === bundle.sha256;
    try {
      step("install");
      await remote.finish([
        instructionLine({ action: reuse ? "reuse" : "upload", previous }),
        ...(reuse ? [] : [bundle.content]),
      ]);
      step("verify");
      await waitForVersion(ssh, host.address, host.agentPort, bundle.version, options.healthTimeoutMs);
    } catch (error) {
      await recover(session, host, state, bundle.version, error, options, result, step);
      return;
    }
    if (previous) result.previous = previous;
    if (reuse) result.reused = true;
    result.status = "deployed";
  });
}

/** The new version failed: put back exactly what ran before (current and previous), and say so. */
async function recover(
  session: HostSession,
  host: InventoryHost,
  before: RemoteState,
  failedVersion: string,
  cause: unknown,
  options: OperationOptions,
  result: HostResult,
  step: StepListener,
): Promise<void> {
  const { platform, run, ssh } = session;
  const diagnosis = await run(platform.probe({ nodeVersion: true })).then(
    (out) => nodeProblem(platform.parseProbe(out)),
    () => undefined,
  );
  const reason = [cause instanceof Error ? cause.message : String(cause), diagnosis].filter(Boolean).join("; ");
  result.status = "failed";
  if (!before.current || before.current === failedVersion) {
    step("uninstall");
    if (!before.current) await run(platform.uninstall(failedVersion)).catch(() => undefined);
    result.error = `${reason}; nothing to roll back to`;
    return;
  }
  step("rollback");
  try {
    await run(platform.activate(before.current, before.previous));
    await waitForVersion(ssh, host.address, host.agentPort, before.current, options.healthTimeoutMs);
  } catch (rollbackError) {
    result.error =
      `${reason}; ROLLBACK TO ${before.current} FAILED: ` +
      (rollbackError instanceof Error ? rollbackError.message : String(rollbackError));
    return;
  }
  if (before.previous !== failedVersion) await run(platform.removeRelease(failedVersion)).catch(() => undefined);
  result.status = "rolled-back";
  result.error = `${reason}; rolled back to ${before.current}, which is running`;
}

/** Take back a first install (a wave that was stopped): stop the agent and remove the version. */
export function uninstallHost(
  host: InventoryHost,
  version: string,
  options: OperationOptions,
  step: StepListener = () => undefined,
): Promise<HostResult> {
  return withSession(host, options, step, async (session, result) => {
    step("uninstall");
    await session.run(session.platform.uninstall(version));
    result.from = version;
    result.status = "rolled-back";
  });
}

/** Swap current and previous and verify the previous version runs; undo the swap if it doesn't. */
export function rollbackHost(
  host: InventoryHost,
  options: OperationOptions,
  step: StepListener = () => undefined,
): Promise<HostResult> {
  return withSession(host, options, step, async (session, result) => {
    const { platform, run, ssh } = session;
    step("probe");
    const state = platform.parseProbe(await run(platform.probe()));
    if (state.current) result.from = state.current;
    if (!state.current || !state.previous)
      throw new Error(
        state.current ? `no previous version to roll back to (running ${state.current})` : "no agent installed",
      );
    result.to = state.previous;
    if (options.dryRun) {
      result.status = "would-deploy";
      return;
    }
    step("restart");
    try {
      await run(platform.activate(state.previous, state.current));
      step("verify");
      await waitForVersion(ssh, host.address, host.agentPort, state.previous, options.healthTimeoutMs);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await run(platform.activate(state.current, state.previous)).catch(() => undefined);
      throw new Error(`${reason}; kept ${state.current}`, { cause: error });
    }
    result.previous = state.current;
    result.status = "rolled-back";
  });
}

/** Installed version and whether /metrics answers with it. */
export function statusOfHost(
  host: InventoryHost,
  options: OperationOptions,
  step: StepListener = () => undefined,
): Promise<HostResult> {
  return withSession(host, options, step, async (session, result) => {
    const { platform, run, ssh } = session;
    step("probe");
    const state = platform.parseProbe(await run(platform.probe()));
    if (state.current) result.to = state.current;
    if (state.previous) result.previous = state.previous;
    const probe = await probeAgent(ssh, host.address, host.agentPort);
    if (probe.up) {
      if (probe.version !== undefined) result.running = probe.version;
      result.status = "up";
      if (state.current && probe.version !== state.current)
        result.error = `running ${probe.version ?? "an unknown version"}, installed ${state.current}`;
    } else {
      result.status = "down";
      result.error = state.current ? probe.error : "no agent installed";
    }
  });
}
