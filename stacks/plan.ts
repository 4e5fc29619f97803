// `planStack`: evaluate the Pulumi program offline under mocks and return what `pulumi preview --json`
// would show for a new stack, the inventory and a summary. Used by `muniops plan`, by `muniops audit
// --stack` and by the tests. No cloud credentials, no Pulumi CLI.
import * as pulumi from "@pulumi/pulumi";
import { OperationFailedError } from "../errors.js";
import { parseStackConfig, secretKeys, type SecretKey, type StackConfig } from "./config.js";
import type { Inventory } from "../contracts/inventory.js";
import { buildDigest, projectName } from "./planDigest.js";
import { AzureMocks } from "./planMocks.js";
import { PlanRecorder } from "./planRecorder.js";
import { summarizePlan, type PlanSummary } from "./planSummary.js";
import type { PreviewDigest } from "../contracts/pulumiDocuments.js";
import { readStackFile, stackFilePath, type StackFile } from "./stackFile.js";
import type { LandingZoneOutputs } from "./program.js";

export interface PlanOptions {
  stack: string;
  /** The `muniops:` config values to use instead of Pulumi.<stack>.yaml (keys without the namespace). */
  config?: Record<string, unknown>;
  /** Another settings file than Pulumi.<stack>.yaml next to Pulumi.yaml. */
  stackFile?: string;
  /** Called after each resource registration (for a progress bar). */
  onProgress?: (registered: number) => void;
}

/** The plan: the `pulumi preview --json` document and what is derived from it. */
export interface PlanResult {
  digest: PreviewDigest;
  /**
   * What the mocks answered for each resource (URN → outputs, with `id`). A preview of a new stack shows
   * no outputs; the program's own wiring (a peering naming the hub's id) is checked against these.
   */
  mockOutputs: ReadonlyMap<string, Record<string, unknown>>;
  inventory: Inventory;
  summary: PlanSummary;
  stackConfig: StackConfig;
}

/** Only one plan runs at a time: the Pulumi runtime's mock state is global to the process. */
let running: Promise<unknown> = Promise.resolve();

export function planStack(options: PlanOptions): Promise<PlanResult> {
  const next = running.then(() => runPlan(options));
  running = next.catch(() => undefined);
  return next;
}

/** Placeholders for secrets: offline there is no secrets provider to decrypt them with. */
function placeholderSecrets(): Record<SecretKey, pulumi.Output<string>> {
  return Object.fromEntries(secretKeys.map((k) => [k, pulumi.secret(`placeholder-${k}`)])) as Record<
    SecretKey,
    pulumi.Output<string>
  >;
}

async function runPlan(options: PlanOptions): Promise<PlanResult> {
  const { stack } = options;
  const file: StackFile | undefined =
    options.config === undefined ? readStackFile(options.stackFile ?? stackFilePath(stack)) : undefined;
  const values = options.config ?? file?.values ?? {};
  const warnings: string[] = [];
  const cfg = parseStackConfig(stack, values, placeholderSecrets(), file ? (path) => file.locate(path) : "config");
  if (file) {
    const needed: SecretKey[] = [
      "vpnSharedKey",
      ...(cfg.allServers.some((s) => s.os === "windows") ? (["windowsAdminPassword"] as const) : []),
    ];
    for (const key of needed) {
      if (!file.secretsSet.includes(key))
        warnings.push(
          `muniops:${key} is not set in ${file.path}: set it with \`pulumi config set --secret ` +
            `muniops:${key}\` before \`pulumi up\` (the plan used a placeholder)`,
        );
    }
  }

  const recorder = new PlanRecorder(options.onProgress);
  await pulumi.runtime.setMocks(new AzureMocks(), projectName, stack, true);
  recorder.attach(pulumi.runtime.getMonitor());
  // Every registration captures a stack trace; the plan doesn't need them and they cost a third of the time.
  const traceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = process.env.MUNIOPS_PLAN_DEBUG ? 50 : 0;
  // Resource.callsites() raises the limit again to record each resource's source position (shown by
  // the Pulumi Cloud UI, not in a preview document); with source maps that is the costliest step.
  const resourceClass = pulumi.Resource as unknown as { callsites: () => unknown[] };
  const callsites = resourceClass.callsites;
  resourceClass.callsites = () => [];
  let outputs: LandingZoneOutputs | undefined;
  try {
    const { buildLandingZone } = await import("./program.js");
    await pulumi.runtime.runInPulumiStack(() => {
      // azure-native declares an alias for every past API version of each type (about a hundred per
      // resource); they only matter when migrating existing state, which a plan of a new stack has
      // none of, and resolving them costs most of the plan's memory and time.
      pulumi.runtime.registerStackTransformation((args) => ({
        props: args.props,
        opts: { ...args.opts, aliases: [] },
      }));
      outputs = buildLandingZone(cfg);
      return Promise.resolve(outputs as unknown as Record<string, unknown>);
    });
    await pulumi.runtime.disconnect();
  } finally {
    Error.stackTraceLimit = traceLimit;
    resourceClass.callsites = callsites;
  }
  if (!outputs) throw new Error("the program returned no outputs");
  if (recorder.duplicates.length > 0)
    throw new OperationFailedError(
      `the program registers ${recorder.duplicates.length} ` +
        `resource${recorder.duplicates.length === 1 ? "" : "s"} twice (pulumi up would refuse): ` +
        recorder.duplicates.slice(0, 5).join(", "),
    );
  const ids = new Map<string, string>();
  for (const r of recorder.registrations) {
    if (!r.custom || r.id === "") continue;
    const other = ids.get(r.id.toLowerCase());
    if (other)
      throw new OperationFailedError(`two resources would be the same Azure resource ${r.id}: ${other} and ${r.urn}`);
    ids.set(r.id.toLowerCase(), r.urn);
  }

  const digest = buildDigest(stack, recorder.registrations, file?.digestConfig ?? digestConfigOf(values));
  const inventory = outputs.inventory;
  const mockOutputs = new Map(
    recorder.registrations.map((r) => [r.urn, { ...r.outputs, ...(r.id ? { id: r.id } : {}) }]),
  );
  return {
    digest,
    mockOutputs,
    inventory,
    summary: summarizePlan(stack, digest, inventory, warnings),
    stackConfig: cfg,
  };
}

function digestConfigOf(values: Record<string, unknown>): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(values))
    config[`muniops:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  return config;
}
