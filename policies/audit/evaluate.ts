// The offline audit: run every policy of the pack over a Pulumi document (read by pulumiDocument.ts: one
// state per URN) with the argument shapes CrossGuard passes (server.js in @pulumi/policy 1.21.0): resource
// policies get the inputs as `props` behind the unknown-checking proxy, with type, urn, name, opts,
// provider, stackTags, isType/asType, getConfig and notApplicable; stack policies get every resource (the
// resulting state as props) with parent, dependencies and propertyDependencies resolved to resource
// objects. Stack policies never run on a partial document: they would judge a stack that is not there.
import type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import type { DocumentCoverage, PulumiDocument, PulumiDocumentKind, ResourceSnapshot } from "./pulumiDocument.js";
import { policies as allPolicies } from "../catalog.js";
import type { EnforcementLevel, MuniPolicy, MuniResourcePolicy } from "../policy.js";
import { nameOfUrn } from "../lib/props.js";
import {
  emptyWaivers,
  matchWaiver,
  waiverPolicyId,
  waiverViolations,
  type WaiverSet,
  type WaiverStatus,
} from "../waivers.js";
import { isSecretValueError, isUnknownValueError, unknownCheckingProxy } from "./unknowns.js";

export type PolicyConfigEntry = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);
/** `--policy-pack-config` / `--policy-config`: per policy, an enforcement level or settings. */
export type PolicyPackConfig = Record<string, PolicyConfigEntry>;

export type Outcome = "pass" | "fail" | "waived" | "unknown";

export interface Finding {
  policyId: string;
  enforcementLevel: EnforcementLevel;
  outcome: Exclude<Outcome, "pass">;
  message: string;
  urn?: string;
  type?: string;
  name?: string;
  waiverId?: string;
  /** Why an unknown has no verdict: "preview" (known only after `pulumi up`) or "secret" (hidden by the document). */
  reason?: "preview" | "secret";
}

export interface PolicyTally {
  policyId: string;
  enforcementLevel: EnforcementLevel;
  pass: number;
  fail: number;
  waived: number;
  unknown: number;
  notApplicable: number;
  /** Why the policy did not run at all (a stack policy on a partial document). */
  skipped?: string;
}

export interface AuditResult {
  stack: string | undefined;
  resourceCount: number;
  /** What the document was and how much of the stack it showed. */
  document: { kind: PulumiDocumentKind; coverage: DocumentCoverage; sha256?: string };
  findings: Finding[];
  tallies: Map<string, PolicyTally>;
  waivers: WaiverSet;
  policies: readonly MuniPolicy[];
  generatedAt: string;
}

export interface AuditOptions {
  policyConfig?: PolicyPackConfig;
  waivers?: WaiverSet;
  policies?: readonly MuniPolicy[];
  now?: Date;
}

const defaultOptions: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

class NotApplicable extends Error {}

function typeOfClass(resourceClass: unknown): string | undefined {
  return (resourceClass as { __pulumiType?: string }).__pulumiType;
}

export function effectiveLevel(policy: MuniPolicy, config: PolicyPackConfig): EnforcementLevel {
  const entry = config[policy.name];
  const level = typeof entry === "string" ? entry : (entry?.enforcementLevel ?? policy.enforcementLevel);
  // Like CrossGuard: a remediate level on a policy that cannot remediate reports as mandatory.
  return level === "remediate" ? "mandatory" : level;
}

function configFor(policy: MuniPolicy, config: PolicyPackConfig): Record<string, unknown> {
  const entry = config[policy.name];
  if (entry === undefined || typeof entry === "string") return {};
  const { enforcementLevel: _level, ...props } = entry;
  return props;
}

/** The stack configuration's departments (`muniops:departments`), as the department policies' default. */
function departmentsFromStackConfig(document: PulumiDocument): unknown {
  const raw = document.config["muniops:departments"];
  if (typeof raw === "string") {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return undefined;
    }
  }
  return raw;
}

export function audit(document: PulumiDocument, options: AuditOptions = {}): AuditResult {
  const policies = options.policies ?? allPolicies;
  const config = withStackDepartments(policies, { ...options.policyConfig }, document);
  // The caller's waiver set is left as it is: this run counts its matches in its own copy.
  const source = options.waivers ?? emptyWaivers;
  const waivers: WaiverSet = { ...source, statuses: source.statuses.map((status) => ({ ...status, matched: 0 })) };
  const run = new AuditRun(policies, config, waivers, document.stack);
  const active = policies.filter((p) => effectiveLevel(p, config) !== "disabled");
  runResourcePolicies(run, active, document.resources);
  runStackPolicies(run, active, document);
  run.countWaiverViolations();
  return {
    stack: document.stack,
    resourceCount: document.coverage.shown,
    document: { kind: document.kind, coverage: document.coverage, sha256: document.sha256 },
    findings: run.findings,
    tallies: run.tallies,
    waivers,
    policies,
    generatedAt: (options.now ?? new Date()).toISOString(),
  };
}

/** The department policies take the stack configuration's departments unless the pack config names some. */
function withStackDepartments(
  policies: readonly MuniPolicy[],
  config: PolicyPackConfig,
  document: PulumiDocument,
): PolicyPackConfig {
  const departments = departmentsFromStackConfig(document);
  if (!Array.isArray(departments)) return config;
  for (const policy of policies) {
    if (!policy.configSchema?.properties.departments) continue;
    const entry = config[policy.name];
    if (typeof entry === "string") config[policy.name] = { enforcementLevel: entry, departments };
    else if (entry?.departments === undefined) config[policy.name] = { ...entry, departments };
  }
  return config;
}

const throwNotApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

/** What one audit accumulates: a tally per policy, the findings, and the waivers' matches. */
class AuditRun {
  readonly findings: Finding[] = [];
  readonly tallies = new Map<string, PolicyTally>();

  constructor(
    policies: readonly MuniPolicy[],
    readonly config: PolicyPackConfig,
    private readonly waivers: WaiverSet,
    private readonly stack: string | undefined,
  ) {
    for (const policy of policies) {
      this.tallies.set(policy.name, { ...emptyTally(policy.name), enforcementLevel: effectiveLevel(policy, config) });
    }
  }

  /** A violation, waived when an active waiver covers it. */
  record(
    policy: MuniPolicy,
    level: EnforcementLevel,
    message: string,
    where: { urn?: string; type?: string },
  ): Outcome {
    const violation = { policyId: policy.name, urn: where.urn, type: where.type, stack: this.stack };
    const waiver: WaiverStatus | undefined = matchWaiver(this.waivers, violation);
    if (waiver) waiver.matched++;
    this.findings.push({
      policyId: policy.name,
      enforcementLevel: level,
      outcome: waiver ? "waived" : "fail",
      message,
      urn: where.urn,
      type: where.type,
      name: where.urn ? nameOfUrn(where.urn) : undefined,
      waiverId: waiver?.id,
    });
    return waiver ? "waived" : "fail";
  }

  /** Expired and invalid waivers are violations themselves. */
  countWaiverViolations(): void {
    const tally: PolicyTally = { ...emptyTally(waiverPolicyId), enforcementLevel: "mandatory" };
    for (const { message } of waiverViolations(this.waivers)) {
      tally.fail++;
      this.findings.push({ policyId: waiverPolicyId, enforcementLevel: "mandatory", outcome: "fail", message });
    }
    tally.pass = this.waivers.statuses.length - tally.fail;
    this.tallies.set(waiverPolicyId, tally);
  }
}

function emptyTally(policyId: string): PolicyTally {
  return { policyId, enforcementLevel: "advisory", pass: 0, fail: 0, waived: 0, unknown: 0, notApplicable: 0 };
}

type ProviderObject = { type: string; props: Record<string, unknown>; urn: string; name: string } | undefined;

/** One provider object per provider reference ("<urn>::<id>"), shared by the resources it manages. */
function providerLookup(states: readonly ResourceSnapshot[]): (reference: string) => ProviderObject {
  const providers = new Map(states.filter((s) => s.type.startsWith("pulumi:providers:")).map((s) => [s.urn, s]));
  const objects = new Map<string, ProviderObject>();
  return (reference) => {
    if (!objects.has(reference)) {
      const state = providers.get(reference.slice(0, reference.lastIndexOf("::")));
      const object = state
        ? { type: state.type, props: unknownCheckingProxy(state.inputs), urn: state.urn, name: nameOfUrn(state.urn) }
        : undefined;
      objects.set(reference, object);
    }
    return objects.get(reference);
  };
}

/** Resource policies, once per resource, as CrossGuard's Analyze call does. */
function runResourcePolicies(run: AuditRun, active: readonly MuniPolicy[], states: readonly ResourceSnapshot[]): void {
  const resourcePolicies = active.filter((p): p is MuniResourcePolicy => p.kind === "resource");
  // Built once, not per resource: 10,000 resources × 50 policies must not allocate 500,000 argument bags.
  const getConfigOf = new Map(
    active.map((p) => {
      const policyConfig = configFor(p, run.config);
      return [p.name, () => policyConfig] as const;
    }),
  );
  const policiesByType = new Map<string, MuniResourcePolicy[]>();
  const applicableTo = (type: string): MuniResourcePolicy[] => {
    let list = policiesByType.get(type);
    if (!list) {
      list = resourcePolicies.filter((p) => p.resourceTypes === "*" || p.resourceTypes.includes(type));
      policiesByType.set(type, list);
    }
    return list;
  };
  const providerOf = providerLookup(states);
  for (const state of states) {
    if (state.type.startsWith("pulumi:")) continue;
    const args = resourceArgs(state, state.provider ? providerOf(state.provider) : undefined);
    for (const policy of applicableTo(state.type)) {
      const tally = run.tallies.get(policy.name);
      if (!tally) continue;
      args.getConfig = getConfigOf.get(policy.name) ?? args.getConfig;
      evaluateResource(run, policy, tally, state, args);
    }
  }
}

type ResourceArgs = Omit<ResourceValidationArgs, "getConfig"> & { getConfig: () => unknown };

/** The argument bag CrossGuard passes a resource policy (server.js in @pulumi/policy 1.21.0). */
function resourceArgs(state: ResourceSnapshot, provider: ProviderObject): ResourceArgs {
  const args = {
    ...policyResourceView(state, state.inputs),
    stackTags: new Map<string, string>(),
    provider,
    notApplicable: throwNotApplicable,
    getConfig: (): unknown => ({}),
  };
  return args as unknown as ResourceArgs;
}

/** What CrossGuard shows a policy of any resource: its identity and props behind the unknown-checking proxy. */
function policyResourceView(state: ResourceSnapshot, rawProps: Record<string, unknown>) {
  const props = unknownCheckingProxy(rawProps);
  return {
    type: state.type,
    props,
    urn: state.urn,
    name: nameOfUrn(state.urn),
    opts: { ...defaultOptions, parent: state.parent },
    isType: (resourceClass: unknown) => typeOfClass(resourceClass) === state.type,
    asType: (resourceClass: unknown) => (typeOfClass(resourceClass) === state.type ? props : undefined),
  };
}

function evaluateResource(
  run: AuditRun,
  policy: MuniResourcePolicy,
  tally: PolicyTally,
  state: ResourceSnapshot,
  args: ResourceArgs,
): void {
  const messages: string[] = [];
  try {
    policy.validateResource(args as unknown as ResourceValidationArgs, (message: string) => {
      messages.push(message);
    });
  } catch (error) {
    countPolicyThrow(error, policy.name, tally, run.findings, {
      urn: state.urn,
      type: state.type,
      name: nameOfUrn(state.urn),
    });
    return;
  }
  if (messages.length === 0) {
    tally.pass++;
    return;
  }
  const where = { urn: state.urn, type: state.type };
  const outcomes = messages.map((m) => run.record(policy, tally.enforcementLevel, m, where));
  if (outcomes.includes("fail")) tally.fail++;
  else tally.waived++;
}

/**
 * Stack policies, once, as CrossGuard's AnalyzeStack call does; never on a stack the document only
 * partly shows (a verdict on resources nobody saw would be a guess).
 */
function runStackPolicies(run: AuditRun, active: readonly MuniPolicy[], document: PulumiDocument): void {
  const stackResources = buildStackResources(document.resources);
  const byUrn = new Map(stackResources.map((r) => [r.urn, r]));
  const skipReason = stackPoliciesSkipReason(document.coverage);
  for (const policy of active) {
    if (policy.kind !== "stack") continue;
    const tally = run.tallies.get(policy.name);
    if (!tally) continue;
    if (skipReason !== undefined) {
      tally.skipped = skipReason;
      continue;
    }
    const policyConfig = configFor(policy, run.config);
    const args: StackValidationArgs = {
      resources: stackResources,
      stackTags: new Map(),
      getConfig: (() => policyConfig) as StackValidationArgs["getConfig"],
      notApplicable: throwNotApplicable,
    };
    const violations: { message: string; urn?: string }[] = [];
    try {
      policy.validateStack(args, (message: string, urn?: string) => {
        violations.push({ message, urn });
      });
    } catch (error) {
      countPolicyThrow(error, policy.name, tally, run.findings, {});
      continue;
    }
    if (violations.length === 0) tally.pass++;
    for (const v of violations) {
      const where = { urn: v.urn, type: v.urn ? byUrn.get(v.urn)?.type : undefined };
      const outcome = run.record(policy, tally.enforcementLevel, v.message, where);
      if (outcome === "fail") tally.fail++;
      else tally.waived++;
    }
  }
}

function stackPoliciesSkipReason(coverage: DocumentCoverage): string | undefined {
  if (coverage.partial) return "partial document: " + (coverage.partialReason ?? "resources of the stack are missing");
  if (!coverage.dependencies) return "the streaming preview's engine events carry no dependencies between resources";
  return undefined;
}

/**
 * A policy that throws has either declared itself not applicable, or read a value Pulumi knows only after
 * `pulumi up` (counted as unknown and reported as an advisory finding on `subject`); anything else is a
 * bug in the policy and stops the audit, naming the resource when there is one.
 */
function countPolicyThrow(
  error: unknown,
  policyId: string,
  tally: PolicyTally,
  findings: Finding[],
  subject: Pick<Finding, "urn" | "type" | "name">,
): void {
  if (error instanceof NotApplicable) {
    tally.notApplicable++;
    return;
  }
  if (isUnknownValueError(error)) {
    tally.unknown++;
    findings.push({
      policyId,
      enforcementLevel: "advisory",
      outcome: "unknown",
      reason: "preview",
      message: `can't be evaluated during preview: ${error.message}`,
      ...subject,
    });
    return;
  }
  if (isSecretValueError(error)) {
    tally.unknown++;
    findings.push({
      policyId,
      enforcementLevel: "advisory",
      outcome: "unknown",
      reason: "secret",
      message: `can't be evaluated: ${error.message}`,
      ...subject,
    });
    return;
  }
  const on = subject.urn ? ` on ${subject.urn}` : "";
  throw new Error(`policy ${policyId} failed${on}: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}

function buildStackResources(states: readonly ResourceSnapshot[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const resources = states.map((state) => {
    const resource = {
      ...policyResourceView(state, state.stackProps),
      dependencies: [] as PolicyResource[],
      propertyDependencies: {} as Record<string, PolicyResource[]>,
    } as unknown as PolicyResource;
    byUrn.set(state.urn, resource);
    return resource;
  });
  states.forEach((state, i) => {
    const resource = resources[i] as PolicyResource;
    const resolve = (urns: readonly string[]): PolicyResource[] =>
      urns.map((u) => byUrn.get(u)).filter((r): r is PolicyResource => r !== undefined);
    if (state.parent) {
      const parent = byUrn.get(state.parent);
      if (parent) resource.parent = parent;
    }
    resource.dependencies = resolve(state.dependencies);
    for (const [key, urns] of Object.entries(state.propertyDependencies))
      resource.propertyDependencies[key] = resolve(urns);
  });
  return resources;
}

/** Exit status: any unwaived violation of a mandatory policy fails the audit. */
export function hasMandatoryFailure(result: AuditResult): boolean {
  return result.findings.some((f) => f.outcome === "fail" && f.enforcementLevel === "mandatory");
}
