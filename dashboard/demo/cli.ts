// `muniops demo` (what `npm start` runs): its settings and the command. The heavy modules load inside
// the action so `muniops --help` stays fast.
import type { Command } from "commander";
import { configFileOf } from "../../cliContext.js";
import { addSettingOptions, defineSetting, resolveSettings, z } from "../../settings.js";
import {
  dashboardHostSetting,
  dashboardPortSetting,
  loginAttemptsSetting,
  sessionTtlSetting,
  slaTargetSetting,
} from "../server/dashboardSettings.js";
import { durationMs } from "../settings.js";

const demoSettings = {
  dataDir: defineSetting({
    key: "demo.dataDir",
    type: "string",
    schema: z.string().min(1),
    default: ".muniops-demo",
    flag: "--data-dir",
    description: "where the demo keeps its ledger, inventory and Prometheus data",
  }),
  fresh: defineSetting({
    key: "demo.fresh",
    type: "boolean",
    schema: z.boolean(),
    default: false,
    flag: "--fresh",
    description: "wipe the data directory first and start from a new history",
  }),
  metering: defineSetting({
    key: "demo.metering",
    type: "string",
    schema: z.enum(["auto", "embedded", "prometheus"], { error: "auto, embedded or prometheus" }),
    default: "auto",
    flag: "--metering",
    description:
      "embedded (metering scrapes the agents), prometheus (a real Prometheus, history backfilled with " +
      "promtool), or auto: prometheus when it is on PATH",
  }),
  seed: defineSetting({
    key: "demo.seed",
    type: "integer",
    schema: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1),
    default: 125_000,
    flag: "--seed",
    description: "seed of the simulated fleet: the same seed gives the same fleet and history",
  }),
  stack: defineSetting({
    key: "demo.stack",
    type: "string",
    schema: z.string().min(1),
    default: "leiden-prod",
    flag: "--stack",
    description: "the stack whose offline plan gives the demo's inventory",
  }),
  host: dashboardHostSetting,
  port: dashboardPortSetting,
  sessionTtl: sessionTtlSetting,
  slaTarget: slaTargetSetting,
  loginAttempts: loginAttemptsSetting,
};

const logins = (
  url: string,
  users: readonly { username: string; role: string; departments: readonly string[] }[],
): string =>
  [
    `  open ${url} and log in with password "demo" as:`,
    ...users.map(
      (u) =>
        `    ${u.username.padEnd(24)} ${u.role}${u.departments.length > 0 ? ` (${u.departments.join(", ")})` : ""}`,
    ),
  ].join("\n");

export function registerDemoCommand(program: Command): void {
  const demo = program
    .command("demo")
    .description(
      "run the whole platform locally on a simulated fleet: stack plan, agent, fleet simulator, 13 months of " +
        "ledger history, metering and the dashboard with demo logins (npm start)",
    );
  addSettingOptions(demo, demoSettings);
  demo.action(async (_opts: unknown, command: Command) => {
    const s = resolveSettings(demoSettings, { command, configFile: configFileOf(command) });
    const { startDemo } = await import("./runDemo.js");
    const { demoUsers } = await import("./demoUsers.js");
    const { StepProgress, seconds } = await import("./progress.js");
    // Time to ready counts from the process's start (Node, tsx and the imports included), not from here.
    const progress = new StepProgress(process.stderr, performance.timeOrigin);
    process.stderr.write(
      `muniops demo: a simulated municipality (${s.stack}) on this machine, data in ${s.dataDir}/\n`,
    );
    // One handler from the start: Ctrl-C while starting undoes what was started, as it does once ready.
    const interrupted = new AbortController();
    const interrupt = (): void => {
      interrupted.abort();
    };
    process.once("SIGINT", interrupt);
    process.once("SIGTERM", interrupt);
    try {
      const dashboard = {
        sessionTtlMs: durationMs(s.sessionTtl),
        slaTarget: s.slaTarget,
        loginAttempts: s.loginAttempts,
      };
      let running;
      try {
        running = await startDemo({
          dataDir: s.dataDir,
          fresh: s.fresh,
          host: s.host,
          port: s.port,
          metering: s.metering,
          seed: s.seed,
          stack: s.stack,
          dashboard,
          progress,
          signal: interrupted.signal,
        });
      } catch (error) {
        if (!interrupted.signal.aborted) throw error;
        process.stderr.write("muniops demo: interrupted while starting; stopped\n");
        return;
      }
      process.stdout.write(
        [
          `muniops demo ready in ${seconds(running.readyMs)}: ${running.url} (metering: ${running.mode})`,
          logins(running.url, demoUsers),
          `  fleet simulator (SIMULATED metrics): ${running.simulatorUrl}/   this machine's agent: ` +
            `${running.agentUrl}${running.prometheusUrl ? `   Prometheus: ${running.prometheusUrl}` : ""}`,
          "  Ctrl-C stops everything; --fresh starts over with a new history.",
          "",
        ].join("\n"),
      );
      if (!interrupted.signal.aborted) {
        await new Promise((resolve) => {
          interrupted.signal.addEventListener("abort", resolve, { once: true });
        });
      }
      process.stderr.write("muniops demo: stopping\n");
      await running.stop();
    } finally {
      process.removeListener("SIGINT", interrupt);
      process.removeListener("SIGTERM", interrupt);
    }
    process.stderr.write("muniops demo: stopped\n");
  });
}
