// updates: patch state, for BIO2 measure 8.08.01 (high-risk vulnerabilities mitigated within a week).
// Pending updates split security/other, held updates, whether a reboot is required and for how long, the
// age of the oldest pending security update, and the last successful check with its duration. A check asks
// the package manager (apt on Debian and Ubuntu, dnf on the RHEL family, the Windows Update agent), which
// takes seconds and spawns processes, so it runs in the background on --collector.updates.interval and a
// scrape only reads its last result: no process is ever spawned by a scrape.
import { registerCollector, type AgentEnvironment, type Collector } from "../collector.js";
import { gauge, type MetricFamily } from "../exposition.js";
import { defineSetting, z } from "../../settings.js";
import { logger } from "../../logger.js";
import { aptAvailable, aptCheck } from "../updates/apt.js";
import { dnfAvailable, dnfCheck } from "../updates/dnf.js";
import { windowsUpdateCheck } from "../updates/windowsUpdate.js";
import {
  advancePatchState,
  loadPatchState,
  oldestSecurityAge,
  savePatchState,
  type PatchCheck,
  type PatchState,
} from "../updates/patchState.js";
import { agentMetrics } from "../../contracts/metrics.js";

const defaultStateDir = (): string =>
  process.platform === "win32"
    ? `${process.env.ProgramData ?? "C:\\ProgramData"}\\muniops-agent`
    : "/var/lib/muniops-agent";

const settings = {
  interval: defineSetting({
    key: "agent.collector.updates.interval",
    type: "number",
    schema: z.number().min(60),
    default: 3600,
    flag: "--collector.updates.interval",
    description: "seconds between patch checks, run in the background (never per scrape)",
  }),
  stateDir: defineSetting({
    key: "agent.collector.updates.stateDir",
    type: "string",
    schema: z.string().min(1),
    default: defaultStateDir(),
    flag: "--collector.updates.state-dir",
    description: "directory for the small state file that keeps when each security update was first seen pending",
  }),
  aptConfig: defineSetting({
    key: "agent.collector.updates.aptConfig",
    type: "string",
    schema: z.string(),
    default: "",
    flag: "--collector.updates.apt-config",
    description: "an extra apt configuration file given to apt-get -c (none when empty)",
  }),
};

export interface UpdatesOptions {
  interval: number;
  stateDir: string;
  aptConfig: string;
}

/** How one check went; the collector reports the latest. */
interface CheckOutcome {
  success: boolean;
  durationSeconds: number;
  check?: PatchCheck;
}

export function updatesFamilies(outcome: CheckOutcome | undefined, state: PatchState, now: number): MetricFamily[] {
  const families: MetricFamily[] = [];
  if (state.lastSuccess !== undefined) {
    const { name, help } = agentMetrics.updatesLastSuccessTimestampSeconds;
    families.push(gauge(name, help, [{ value: state.lastSuccess }]));
  }
  // Before the first check after a start there is nothing to say yet (the check starts with the agent).
  if (!outcome) return families;
  families.push(
    gauge(agentMetrics.updatesCheckSuccess.name, agentMetrics.updatesCheckSuccess.help, [
      { value: outcome.success ? 1 : 0 },
    ]),
    gauge(agentMetrics.updatesCheckDurationSeconds.name, agentMetrics.updatesCheckDurationSeconds.help, [
      { value: outcome.durationSeconds },
    ]),
  );
  const check = outcome.check;
  if (!check) return families;
  const backend = { backend: check.backend };
  families.push(
    gauge(agentMetrics.updatesPending.name, agentMetrics.updatesPending.help, [
      { labels: { ...backend, kind: "security" }, value: new Set(check.security).size },
      { labels: { ...backend, kind: "other" }, value: check.otherCount },
    ]),
    gauge(agentMetrics.updatesHeld.name, agentMetrics.updatesHeld.help, [{ labels: backend, value: check.held }]),
    gauge(agentMetrics.updatesSecurityOldestAgeSeconds.name, agentMetrics.updatesSecurityOldestAgeSeconds.help, [
      { labels: backend, value: oldestSecurityAge(state, now) },
    ]),
    gauge(agentMetrics.rebootRequired.name, agentMetrics.rebootRequired.help, [
      { value: check.rebootRequired ? 1 : 0 },
    ]),
    gauge(agentMetrics.rebootRequiredAgeSeconds.name, agentMetrics.rebootRequiredAgeSeconds.help, [
      {
        value:
          check.rebootRequired && state.rebootRequiredSince !== undefined
            ? Math.max(0, now - state.rebootRequiredSince)
            : 0,
      },
    ]),
  );
  return families;
}

/** The package manager of this machine, chosen at each check (a system may gain one). */
async function runCheck(options: UpdatesOptions, env: AgentEnvironment, timeoutMs: number): Promise<PatchCheck> {
  if (env.platform === "win32") return windowsUpdateCheck(timeoutMs);
  if (env.platform === "linux" && aptAvailable())
    return aptCheck({ aptConfig: options.aptConfig || undefined, rootfs: env.rootfs, timeoutMs });
  if (env.platform === "linux" && dnfAvailable()) return dnfCheck({ rootfs: env.rootfs, timeoutMs });
  throw new Error("no supported package manager (apt-get, dnf or the Windows Update agent) on this system");
}

export interface UpdatesCollector extends Collector {
  /** Run a check now (the background timer calls this too); concurrent calls share one check. */
  refresh(): Promise<void>;
}

export function createUpdatesCollector(
  options: UpdatesOptions,
  env: AgentEnvironment,
  autoStart = true,
): UpdatesCollector {
  let state = loadPatchState(options.stateDir);
  let outcome: CheckOutcome | undefined;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  // A check may take minutes on a slow mirror cache; never longer than the interval.
  const timeoutMs = Math.min(600, options.interval) * 1000;

  const check = async (): Promise<void> => {
    const started = performance.now();
    try {
      const result = await runCheck(options, env, timeoutMs);
      state = advancePatchState(state, result, env.now());
      outcome = { success: true, durationSeconds: (performance.now() - started) / 1000, check: result };
      try {
        savePatchState(options.stateDir, state);
      } catch (error) {
        // The figures stay right until a restart; the log says why the clock would restart then.
        logger().warn(
          { dir: options.stateDir, err: error instanceof Error ? error.message : String(error) },
          "couldn't save patch state",
        );
      }
    } catch (error) {
      logger().warn({ err: error instanceof Error ? error.message : String(error) }, "patch check failed");
      // Keep the last good findings: a failed check does not make pending updates disappear.
      outcome = { success: false, durationSeconds: (performance.now() - started) / 1000, check: outcome?.check };
    }
  };
  const refresh = (): Promise<void> => (running ??= check().finally(() => (running = undefined)));
  const schedule = (delayMs: number): void => {
    if (closed) return;
    timer = setTimeout(() => {
      void refresh().then(() => {
        schedule(options.interval * 1000);
      });
    }, delayMs);
    // The check must never keep the process alive on its own.
    timer.unref();
  };
  if (autoStart) schedule(0);

  return {
    refresh,
    update() {
      return Promise.resolve(updatesFamilies(outcome, state, env.now()));
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}

registerCollector({
  id: "updates",
  // On by default where a package manager is known; elsewhere (macOS) it would only report failures.
  defaultEnabled: process.platform === "linux" || process.platform === "win32",
  description: "patch state: pending security and other updates, held, reboot required, oldest security update's age",
  settings,
  create(options, env) {
    return createUpdatesCollector(options, env);
  },
});
