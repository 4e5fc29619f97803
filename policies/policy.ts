// The shape of every muniops policy: a CrossGuard policy (name, description, enforcementLevel,
// configSchema, validateResource/validateStack) plus the metadata auditors need — BIO2 measures, ISO
// controls, BIO Cloud-theme controls, CIS references, remediation. The pack (index.ts) and the offline audit
// (audit/evaluate.ts) run these same
// objects, so a rule cannot behave differently in `pulumi preview` and in `muniops audit`.
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationArgs,
  Severity,
  StackValidationArgs,
} from "@pulumi/policy";

export type { EnforcementLevel, ReportViolation, ResourceValidationArgs, Severity, StackValidationArgs };

interface PolicyMetadata {
  /** Stable kebab-case id `<service>-<resource>-<verb>-<object>`; CrossGuard's policy `name`. */
  name: string;
  /** Human title, e.g. "Storage accounts allow only TLS 1.2 or newer". */
  displayName: string;
  description: string;
  severity: Severity;
  enforcementLevel: EnforcementLevel;
  /** BIO Cloud-theme control ids (policies/bioControls.ts), e.g. ["U.05.1"]: the BIO 1.04-era second key. */
  bioControls: readonly string[];
  /**
   * The BIO2 measures (policies/baselines/bio2-1.3.json) this policy gives evidence for, e.g. ["8.21.04"];
   * empty when no measure fits (then isoControls says what it does evidence).
   */
  bio2Measures: readonly string[];
  /** The subset of bio2Measures evidenced only in part (an enabler, or some resources of the measure's scope). */
  bio2Partial?: readonly string[];
  /** ISO/IEC 27002:2022 controls whose guidance the policy implements, e.g. ["8.24"]; ids only (NEN copyright). */
  isoControls: readonly string[];
  /** CIS Microsoft Azure Foundations Benchmark recommendations, where one applies. */
  cisAzure?: readonly string[];
  remediationSteps: string;
  configSchema?: PolicyConfigSchema;
}

export interface MuniResourcePolicy extends PolicyMetadata {
  kind: "resource";
  /** The azure-native types this rule reads; "*" for rules on every resource (tags, location). */
  resourceTypes: readonly string[] | "*";
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => void;
}

export interface MuniStackPolicy extends PolicyMetadata {
  kind: "stack";
  validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => void;
}

export type MuniPolicy = MuniResourcePolicy | MuniStackPolicy;

export function resourcePolicy(policy: Omit<MuniResourcePolicy, "kind">): MuniResourcePolicy {
  return { kind: "resource", ...policy };
}

export function stackPolicy(policy: Omit<MuniStackPolicy, "kind">): MuniStackPolicy {
  return { kind: "stack", ...policy };
}

/**
 * The policy's configuration over its defaults. The Pulumi CLI fills configSchema defaults before it
 * calls `configure`, but a pack run without any config (and the offline audit) gets `{}`. Validation
 * functions are called unbound by CrossGuard, so they pass their defaults rather than use `this`.
 */
export function configOf<T extends object>(args: Pick<ResourceValidationArgs, "getConfig">, defaults: T): T {
  return { ...defaults, ...args.getConfig<Partial<T>>() };
}
