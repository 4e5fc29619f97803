// One reader for every Pulumi document an auditor hands over, normalised to what the audit evaluates:
// one resource state per URN, Pulumi's own errors, and how much of the stack the document shows.
// - `pulumi preview --json` (PreviewDigest), with or without `--show-sames`, `--show-replacement-steps`,
//   `--refresh`; `muniops plan` writes the same document;
// - the streaming preview (PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1: one engine event per line);
// - `pulumi stack export` (deployment version 3): what is deployed, not a change.
// The shapes are in contracts/pulumiDocuments.ts, with the pulumi/pulumi source file of each.
import { createHash } from "node:crypto";
import { UsageError } from "../../errors.js";
import {
  engineEvent,
  knownStepOps,
  previewDigest,
  stackExport,
  type EngineEvent,
  type EventState,
  type PreviewDigest,
  type StackExport,
  type StepState,
} from "../../contracts/pulumiDocuments.js";
import { mayContainSecrets, normaliseProperties } from "./secrets.js";

export type PulumiDocumentKind = "preview" | "engine-events" | "stack-export";

/** One resource as the policies see it. */
export interface ResourceSnapshot {
  urn: string;
  type: string;
  custom: boolean;
  /** What resource policies read (CrossGuard's Analyze gets the program's inputs). */
  inputs: Record<string, unknown>;
  /** What stack policies read (AnalyzeStack gets the resulting state). */
  stackProps: Record<string, unknown>;
  parent?: string;
  provider?: string;
  dependencies: readonly string[];
  propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** The step whose state this is (`export` for a stack export). */
  op: string;
}

export interface PulumiDiagnostic {
  urn?: string;
  message: string;
}

export interface DocumentCoverage {
  /** Resources the document shows and the audit evaluates (not the stack, components' bookkeeping or providers). */
  shown: number;
  /** Resources the stack has after the change, as far as the document tells (undefined: it does not). */
  total: number | undefined;
  /** True when resources of the stack are missing from the document; stack policies cannot be judged then. */
  partial: boolean;
  /** Why the document is partial, in words that say how to get a complete one. */
  partialReason?: string;
  /** False for engine events, which carry no dependency edges between resources. */
  dependencies: boolean;
}

export interface PulumiDocument {
  kind: PulumiDocumentKind;
  /** The file it was read from, for messages. */
  path: string;
  config: Record<string, unknown>;
  stack: string | undefined;
  /** One per URN, in document order: the root stack, providers and components included. */
  resources: ResourceSnapshot[];
  /** Pulumi's own errors (diagnostics of severity "error"): the preview failed. */
  errors: PulumiDiagnostic[];
  /** What the reader tolerated but the auditor should know (an operation it does not know, …). */
  warnings: string[];
  coverage: DocumentCoverage;
  /**
   * SHA-256 (hex) of the document's text as read: what `sha256sum` gives for the file, so an audit stored
   * in the ledger names exactly the document it judged. Absent for a document built in memory.
   */
  sha256?: string;
}

/** Steps whose resource does not exist after the change, or is not the program's to judge. */
const notEvaluatedOps = new Set([
  "delete",
  "delete-replaced",
  "read",
  "read-replacement",
  "discard",
  "discard-replaced",
  "remove-pending-replace",
]);
/** Steps whose newState's outputs are the deployed state (same resources); elsewhere outputs are stale or absent. */
const deployedStateOps = new Set(["same", "refresh"]);
/** The steps of one replacement; one evaluation for all of them. */
const replacementOps = new Set(["replace", "create-replacement", "delete-replaced"]);
const knownOps = new Set<string>(knownStepOps);

const rootStackType = "pulumi:pulumi:Stack";
const defaultProviderPattern = /::pulumi:providers:[^:]+::default(_[0-9a-z_-]+)?$/;

/** Parse a document's text; `path` names it in every error. */
export function parsePulumiDocument(text: string, path: string): PulumiDocument {
  return { ...parseDocumentText(text, path), sha256: createHash("sha256").update(text, "utf8").digest("hex") };
}

function parseDocumentText(text: string, path: string): PulumiDocument {
  const body = text.replace(/^\uFEFF/, "");
  const walkSecrets = mayContainSecrets(body);
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    if (looksLikeEventLines(body)) return readEngineEvents(body, path, walkSecrets);
    throw new UsageError(
      `${path}${jsonErrorPosition(body, error)} is not valid JSON: ${errorMessage(error)}; ${whatToPass}`,
    );
  }
  if (isRecord(data) && "version" in data && "deployment" in data) return readStackExport(data, path, walkSecrets);
  if (
    isRecord(data) &&
    "sequence" in data &&
    ("preludeEvent" in data ||
      "resourcePreEvent" in data ||
      "diagnosticEvent" in data ||
      "summaryEvent" in data ||
      "cancelEvent" in data)
  ) {
    return readEngineEvents(body, path, walkSecrets);
  }
  if (isRecord(data) && "checkpoint" in data && "version" in data) {
    throw new UsageError(
      `${path} is a Pulumi state checkpoint, not an export: run \`pulumi stack export --file stack.json\` ` +
        `and audit that`,
    );
  }
  return readPreview(data, path, walkSecrets);
}

/**
 * A document already parsed from JSON (tests and the benchmark build them in memory). Secrets are looked
 * for everywhere, since there is no text to rule them out cheaply.
 */
export function pulumiDocumentOf(data: unknown, path: string): PulumiDocument {
  if (isRecord(data) && "version" in data && "deployment" in data) return readStackExport(data, path, true);
  return readPreview(data, path, true);
}

const whatToPass = "pass the output of `pulumi preview --json --show-sames`, `pulumi stack export` or `muniops plan`";

function readPreview(data: unknown, path: string, walkSecrets: boolean): PulumiDocument {
  const parsed = previewDigest.safeParse(data);
  if (!parsed.success || !isRecord(data)) {
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    const at = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    throw new UsageError(
      `${path} is not a \`pulumi preview --json\` document${at}: ` +
        `${issue?.message ?? "expected a JSON object"}; ${whatToPass}`,
    );
  }
  const digest: PreviewDigest = parsed.data;
  const looksLikePreview = ["steps", "diagnostics", "changeSummary", "config", "duration"].some((key) => key in data);
  if (!looksLikePreview)
    throw new UsageError(
      `${path} is not a \`pulumi preview --json\` document: it has none of steps, diagnostics, ` +
        `changeSummary; ${whatToPass}`,
    );
  const errors = (digest.diagnostics ?? [])
    .filter((d) => d.severity === "error")
    .map((d) => ({ ...(d.urn ? { urn: d.urn } : {}), message: `${d.prefix ?? ""}${d.message ?? ""}`.trim() }));
  const steps = (digest.steps ?? []).map((step) => ({
    op: step.op,
    urn: step.urn,
    state: step.newState,
    oldState: step.oldState,
    provider: step.provider,
  }));
  return fromSteps("preview", path, digest.config ?? {}, steps, errors, digest.changeSummary, true, walkSecrets);
}

interface NormalisedStep {
  op: string;
  urn: string;
  state: StepState | undefined;
  oldState: StepState | undefined;
  provider: string | undefined;
}

/** The heart of the reader: one state per URN from a preview's steps, and the preview's coverage. */
function fromSteps(
  kind: PulumiDocumentKind,
  path: string,
  config: Record<string, unknown>,
  steps: readonly NormalisedStep[],
  errors: PulumiDiagnostic[],
  changeSummary: Record<string, number> | null | undefined,
  dependencies: boolean,
  walkSecrets: boolean,
): PulumiDocument {
  const warnings: string[] = [];
  const chosen = new Map<string, NormalisedStep>();
  const opsOf = new Map<string, Set<string>>();
  for (const step of steps) {
    const ops = opsOf.get(step.urn) ?? new Set<string>();
    ops.add(step.op);
    opsOf.set(step.urn, ops);
    if (!knownOps.has(step.op)) {
      warnings.push(
        `${step.urn}: unknown step operation "${step.op}" (a newer Pulumi CLI?); ` +
          (step.state ? "its new state is evaluated" : "it has no new state and is not evaluated"),
      );
    }
    if (notEvaluatedOps.has(step.op) || !step.state) continue;
    const current = chosen.get(step.urn);
    // The program's step wins over `refresh` (the old deployed state, which the program's step changes);
    // among the steps of one replacement the first carrying a new state stands for all of them.
    if (current && !(current.op === "refresh" && step.op !== "refresh")) continue;
    chosen.set(step.urn, step);
  }
  // A URN whose steps include a delete and no program step is gone after the change.
  for (const [urn, ops] of opsOf) {
    const kept = chosen.get(urn);
    if (kept?.op === "refresh" && [...ops].some((op) => notEvaluatedOps.has(op) && !replacementOps.has(op)))
      chosen.delete(urn);
  }
  const resources = [...chosen.values()].map((step) => snapshotOfStep(step, walkSecrets));
  const coverage = previewCoverage(steps, resources, opsOf, changeSummary, dependencies);
  return { kind, path, config, stack: stackOfResources(resources, steps), resources, errors, warnings, coverage };
}

function snapshotOfStep(step: NormalisedStep, walkSecrets: boolean): ResourceSnapshot {
  const state = step.state as StepState;
  const inputs = normaliseProperties(state.inputs, walkSecrets);
  const outputs = normaliseProperties(state.outputs, walkSecrets);
  // Same (and refreshed) resources carry their deployed outputs, which AnalyzeStack would see; a create,
  // update or replacement is judged on what the program asks for, since its outputs are not known yet.
  const stackProps = deployedStateOps.has(step.op) && Object.keys(outputs).length > 0 ? outputs : inputs;
  const provider = state.provider ?? step.provider;
  return {
    urn: state.urn,
    type: state.type,
    custom: state.custom ?? false,
    inputs,
    stackProps,
    ...(state.parent ? { parent: state.parent } : {}),
    ...(provider ? { provider } : {}),
    dependencies: state.dependencies ?? [],
    propertyDependencies: state.propertyDependencies ?? {},
    op: step.op,
  };
}

/**
 * How much of the stack a preview shows. Without `--show-sames` the CLI prints only changed resources
 * (shouldShow in pkg/backend/display), but its changeSummary still counts the unchanged ones under
 * "same"; the root stack's step is always printed. Default providers are neither printed nor counted.
 */
function previewCoverage(
  steps: readonly NormalisedStep[],
  resources: readonly ResourceSnapshot[],
  opsOf: ReadonlyMap<string, ReadonlySet<string>>,
  changeSummary: Record<string, number> | null | undefined,
  dependencies: boolean,
): DocumentCoverage {
  const shown = resources.filter((r) => !r.type.startsWith("pulumi:")).length;
  // Unchanged resources the document does show: a printed same step, or (with --refresh) a refresh step
  // standing alone, which is what a hidden same step's resource looks like.
  let sameShown = 0;
  let reads = 0;
  for (const [urn, ops] of opsOf) {
    if (defaultProviderPattern.test(urn)) continue;
    if (ops.has("same") || (ops.size === 1 && ops.has("refresh"))) sameShown++;
    else if (ops.has("read")) reads++;
  }
  if (changeSummary) {
    // A read that found nothing changed is counted as "same" (ShouldRecordReadStep, pkg/engine), though
    // printed as a read step; changed reads are counted as "read".
    const unchangedReads = Math.max(0, reads - (changeSummary.read ?? 0));
    const missing = Math.max(0, (changeSummary.same ?? 0) - sameShown - unchangedReads);
    const partialReason =
      missing > 0
        ? `${missing} unchanged resource${missing === 1 ? " is" : "s are"} not in the document (it was made ` +
          `without --show-sames): run \`pulumi preview --json --show-sames\``
        : undefined;
    return {
      shown,
      total: shown + missing,
      partial: missing > 0,
      ...(partialReason ? { partialReason } : {}),
      dependencies,
    };
  }
  // No changeSummary (a hand-made or truncated document). A new stack (every step a create) is whole, and
  // so is one that shows an unchanged resource besides the root stack; otherwise nothing tells.
  const allCreates = steps.every((s) => s.op === "create" || defaultProviderPattern.test(s.urn));
  const showsSames = steps.some((s) => s.op === "same" && !s.urn.includes(`::${rootStackType}::`));
  if (allCreates || showsSames) return { shown, total: shown, partial: false, dependencies };
  return {
    shown,
    total: undefined,
    partial: true,
    partialReason:
      "the document has no changeSummary to tell how many unchanged resources it leaves out: run `pulumi " +
      "preview --json --show-sames`",
    dependencies,
  };
}

function readStackExport(data: Record<string, unknown>, path: string, walkSecrets: boolean): PulumiDocument {
  const version = data.version;
  if (version !== 3) {
    const advice =
      typeof version === "number" && version < 3
        ? "export it again with a current Pulumi CLI"
        : "this muniops reads version 3";
    throw new UsageError(
      `${path} is a \`pulumi stack export\` of deployment version ${JSON.stringify(version)}: ${advice}`,
    );
  }
  const parsed = stackExport.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `${path} is not a valid \`pulumi stack export\` document at ${issue?.path.join(".") ?? "?"}: ` +
        (issue?.message ?? "invalid"),
    );
  }
  const exported: StackExport = parsed.data;
  // `delete: true` marks the old half of a replacement still to be deleted; `pendingReplacement` one
  // already deleted and not yet recreated: neither is what the stack runs on.
  const live = (exported.deployment.resources ?? []).filter((r) => r.delete !== true && r.pendingReplacement !== true);
  const resources = live.map((state): ResourceSnapshot => {
    const inputs = normaliseProperties(state.inputs, walkSecrets);
    return {
      urn: state.urn,
      type: state.type,
      custom: state.custom ?? false,
      inputs,
      // As `pulumi policy analyze` does: resource policies on inputs, stack policies on outputs.
      stackProps: normaliseProperties(state.outputs, walkSecrets),
      ...(state.parent ? { parent: state.parent } : {}),
      ...(state.provider ? { provider: state.provider } : {}),
      dependencies: state.dependencies ?? [],
      propertyDependencies: state.propertyDependencies ?? {},
      op: "export",
    };
  });
  const shown = resources.filter((r) => !r.type.startsWith("pulumi:")).length;
  return {
    kind: "stack-export",
    path,
    config: {},
    stack: stackOfResources(resources, []),
    resources,
    errors: [],
    warnings: [],
    coverage: { shown, total: shown, partial: false, dependencies: true },
  };
}

function looksLikeEventLines(text: string): boolean {
  const first = text.trimStart().split("\n", 1)[0] ?? "";
  return first.startsWith("{") && first.includes('"sequence"');
}

/** The streaming preview: one EngineEvent per line (ShowJSONEvents, pkg/backend/display/json.go). */
function readEngineEvents(text: string, path: string, walkSecrets: boolean): PulumiDocument {
  const events: EngineEvent[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "") continue;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (error) {
      throw new UsageError(
        `${path}:${i + 1} is not a JSON engine event: ${errorMessage(error)} (the streaming preview, ` +
          `PULUMI_ENABLE_STREAMING_JSON_PREVIEW, prints one per line)`,
      );
    }
    const parsed = engineEvent.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UsageError(
        `${path}:${i + 1} is not a Pulumi engine event at ${issue?.path.join(".") ?? "?"}: ` +
          (issue?.message ?? "invalid"),
      );
    }
    events.push(parsed.data);
  }
  events.sort((a, b) => a.sequence - b.sequence);
  let config: Record<string, unknown> = {};
  let changeSummary: Record<string, number> | null | undefined;
  const steps: NormalisedStep[] = [];
  const errors: PulumiDiagnostic[] = [];
  for (const event of events) {
    if (event.preludeEvent?.config) config = event.preludeEvent.config;
    if (event.summaryEvent) changeSummary = event.summaryEvent.resourceChanges ?? {};
    const diagnostic = event.diagnosticEvent;
    if (diagnostic && diagnostic.severity === "error" && diagnostic.ephemeral !== true) {
      errors.push({
        ...(diagnostic.urn ? { urn: diagnostic.urn } : {}),
        message: `${diagnostic.prefix ?? ""}${diagnostic.message}`.trim(),
      });
    }
    const metadata = event.resourcePreEvent?.metadata;
    if (metadata) {
      steps.push({
        op: metadata.op,
        urn: metadata.urn,
        state: stateOfEvent(metadata.new),
        oldState: stateOfEvent(metadata.old),
        provider: metadata.provider || undefined,
      });
    }
  }
  const document = fromSteps("engine-events", path, config, steps, errors, changeSummary, false, walkSecrets);
  return document;
}

/** StepEventStateMetadata → ResourceV3: the same fields, but no dependency edges. */
function stateOfEvent(state: EventState | null | undefined): StepState | undefined {
  if (!state) return undefined;
  return {
    urn: state.urn,
    type: state.type,
    custom: state.custom ?? false,
    inputs: state.inputs ?? {},
    outputs: state.outputs ?? {},
    ...(state.parent ? { parent: state.parent } : {}),
    ...(state.provider ? { provider: state.provider } : {}),
  };
}

function stackOfResources(
  resources: readonly ResourceSnapshot[],
  steps: readonly NormalisedStep[],
): string | undefined {
  const urn = resources[0]?.urn ?? steps[0]?.urn;
  return urn?.startsWith("urn:pulumi:") ? urn.slice("urn:pulumi:".length).split("::")[0] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function jsonErrorPosition(text: string, error: unknown): string {
  const position = /position (\d+)/.exec(errorMessage(error));
  if (!position) return "";
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  return `:${before.split("\n").length}:${offset - before.lastIndexOf("\n")}`;
}
