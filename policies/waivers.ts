// Waivers (exemptions) in the format of shared/reference/bio-checks.md §6.2: reviewable YAML in Git,
// each with a justification, a risk owner, an approver, a ticket and an expiry date. The same module
// serves the CrossGuard pack (index.ts) and `muniops audit`, so a waiver means the same in both.
//
// Rules: a waiver suppresses only the violations it matches (its policies × its scope); a waived
// violation is still reported, marked waived; an expired or invalid waiver matches nothing and is
// itself a mandatory violation (policy `muniops-waiver-require-valid`).
import { isMap, isScalar, isSeq, type Node as YamlNode } from "yaml";
import { parseYaml, readTextFile } from "../yamlFile.js";
import { z } from "zod";
import { UsageError } from "../errors.js";
import { policyById } from "./catalog.js";
import { hostCheckById } from "./hostChecks.js";
import { nameOfUrn, stackOfUrn } from "./lib/props.js";

/** The longest a waiver may run from its approval: a year, so every waiver is reviewed at least yearly. */
export const maxWaiverDays = 366;
/** Waivers expiring within this many days are flagged in reports (and fail the repository's waiver test). */
export const expiryWarningDays = 30;
export const waiverPolicyId = "muniops-waiver-require-valid";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");
const nonEmpty = z.string().trim().min(1, "must not be empty");

export const waiverSchema = z.strictObject({
  id: z.string().regex(/^[A-Z][A-Z0-9]*-[A-Za-z0-9-]+$/, "an id such as WVR-2026-001"),
  policies: z.array(z.string()).min(1, "name at least one policy"),
  bioControls: z.array(z.string()).optional(),
  scope: z
    .strictObject({
      stacks: z.array(z.string()).min(1).optional(),
      resourceTypes: z.array(z.string()).min(1).optional(),
      urns: z.array(z.string().startsWith("urn:pulumi:")).min(1).optional(),
      names: z.array(z.string()).min(1).optional(),
      /** Servers by inventory name, for host checks (policies/hostChecks.ts) such as the patch rule. */
      hosts: z.array(z.string()).min(1).optional(),
      /** Every server of these departments, for host checks; wide, so it needs `broad: true`. */
      departments: z.array(z.string()).min(1).optional(),
    })
    .refine(
      (s) => [s.stacks, s.resourceTypes, s.urns, s.names, s.hosts, s.departments].some((v) => v !== undefined),
      "give at least one selector (stacks, resourceTypes, urns, names, hosts, departments)",
    ),
  broad: z.boolean().optional(),
  category: z.enum(["Waiver", "Mitigated"]),
  justification: nonEmpty,
  compensatingControls: z.string().optional(),
  riskOwner: nonEmpty,
  /**
   * The risk analysis that accepts this risk (a document id or link): BIO2 backs every exception in the
   * VvT's annex with one, so a waiver without it is invalid (and fails the audit, naming file and line).
   */
  riskAnalysis: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? "required: BIO2 backs every exception with a risk analysis; give its document id or link"
          : "a document id or link",
    })
    .trim()
    .min(1, "must not be empty")
    .max(300, "at most 300 characters: a reference, not the analysis"),
  /** The BIO2 measures the exception concerns; optional, must be measures of the waived policies. */
  bio2Measures: z.array(z.string()).min(1).optional(),
  requestedBy: z.string().optional(),
  approvedBy: nonEmpty,
  approvedOn: isoDate,
  ticket: nonEmpty,
  expiresOn: isoDate,
  reviewCadence: z.string().optional(),
});

export type Waiver = z.infer<typeof waiverSchema>;

export type WaiverState = "active" | "expired" | "invalid";

export interface WaiverStatus {
  /** The waiver's id, or `#N` (its position) when the entry has no usable id. */
  id: string;
  state: WaiverState;
  /** Why it is invalid or expired; empty when active. */
  problems: string[];
  line: number;
  waiver?: Waiver;
  daysLeft?: number;
  /** Violations it suppressed in this evaluation (filled in by the caller). */
  matched: number;
}

export interface WaiverSet {
  file: string;
  statuses: WaiverStatus[];
}

export const emptyWaivers: WaiverSet = { file: "(none)", statuses: [] };

const dayMs = 86_400_000;
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);
}
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Read and check a waivers file. Unreadable or malformed YAML is a UsageError naming the file and line. */
export function loadWaivers(path: string, now: Date = new Date()): WaiverSet {
  return parseWaivers(readTextFile(path, "waivers file"), path, now);
}

export function parseWaivers(text: string, path: string, now: Date = new Date()): WaiverSet {
  const { doc, errors, lineOf } = parseYaml(text, path, "waivers file");
  const firstError = errors[0];
  if (firstError) throw new UsageError(`waivers file ${path}:${firstError.line}: ${firstError.message}`);
  if (doc.contents === null) return { file: path, statuses: [] };
  if (!isMap(doc.contents))
    throw new UsageError(`waivers file ${path}:1: expected a mapping with schemaVersion and waivers`);
  const version: unknown = doc.get("schemaVersion");
  if (version !== 1) {
    throw new UsageError(
      `waivers file ${path}:${lineOf(doc.contents)}: schemaVersion must be 1, got ` +
        (version === undefined ? "nothing" : JSON.stringify(version)),
    );
  }
  const list = doc.get("waivers", true) as YamlNode | undefined;
  if (list === undefined || (isScalar(list) && list.value === null)) return { file: path, statuses: [] };
  if (!isSeq(list)) throw new UsageError(`waivers file ${path}:${lineOf(list)}: waivers must be a list`);

  const today = isoDay(now);
  const seen = new Map<string, number>();
  const statuses = list.items.map((item, index): WaiverStatus => {
    const node = item as YamlNode;
    const line = lineOf(node);
    const raw: unknown = node.toJSON();
    const parsed = waiverSchema.safeParse(raw);
    const rawId = (raw as { id?: unknown } | null)?.id;
    const id = typeof rawId === "string" && rawId !== "" ? rawId : `#${index + 1}`;
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(entry)"}: ${issue.message}`,
      );
      return { id, state: "invalid", problems, line, matched: 0 };
    }
    const waiver = parsed.data;
    const problems = semanticProblems(waiver, today);
    const previous = seen.get(waiver.id);
    if (previous !== undefined) problems.push(`duplicate id (also at line ${previous})`);
    seen.set(waiver.id, line);
    if (problems.length > 0) return { id, state: "invalid", problems, line, waiver, matched: 0 };
    const daysLeft = daysBetween(today, waiver.expiresOn);
    if (daysLeft < 0)
      return { id, state: "expired", problems: [`expired on ${waiver.expiresOn}`], line, waiver, daysLeft, matched: 0 };
    return { id, state: "active", problems: [], line, waiver, daysLeft, matched: 0 };
  });
  return { file: path, statuses };
}

function semanticProblems(waiver: Waiver, today: string): string[] {
  const problems: string[] = [];
  const controls = new Set<string>();
  for (const id of waiver.policies) {
    const policy = policyById(id);
    if (policy) policy.bioControls.forEach((c) => controls.add(c));
    else if (!hostCheckById(id)) problems.push(`policies: unknown policy "${id}"`);
  }
  problems.push(...hostScopeProblems(waiver));
  for (const control of waiver.bioControls ?? []) {
    if (controls.size > 0 && !controls.has(control))
      problems.push(`bioControls: ${control} is not a control of the waived policies (${[...controls].join(", ")})`);
  }
  const measures = new Set(
    waiver.policies.flatMap((id) => policyById(id)?.bio2Measures ?? hostCheckById(id)?.bio2Measures ?? []),
  );
  for (const measure of waiver.bio2Measures ?? []) {
    if (!measures.has(measure)) {
      const valid = measures.size > 0 ? `: ${[...measures].join(", ")}` : ": they name none";
      problems.push(`bio2Measures: ${measure} is not a BIO2 measure of the waived policies${valid}`);
    }
  }
  if (waiver.category === "Mitigated" && !waiver.compensatingControls?.trim())
    problems.push("compensatingControls: required for category Mitigated");
  if (!waiver.scope.urns && !waiver.scope.hosts && !waiver.broad)
    problems.push(
      "scope: without urns the waiver covers many resources; list urns, or set broad: true so auditors see it is wide",
    );
  for (const pattern of waiver.scope.names ?? []) {
    try {
      new RegExp(pattern);
    } catch {
      problems.push(`scope.names: "${pattern}" is not a valid regular expression`);
    }
  }
  if (Number.isNaN(Date.parse(waiver.approvedOn))) problems.push(`approvedOn: ${waiver.approvedOn} is not a date`);
  if (Number.isNaN(Date.parse(waiver.expiresOn))) problems.push(`expiresOn: ${waiver.expiresOn} is not a date`);
  if (problems.length > 0) return problems;
  if (waiver.approvedOn > today) problems.push(`approvedOn: ${waiver.approvedOn} is in the future`);
  const span = daysBetween(waiver.approvedOn, waiver.expiresOn);
  if (span <= 0) problems.push(`expiresOn: ${waiver.expiresOn} is not after approvedOn ${waiver.approvedOn}`);
  else if (span > maxWaiverDays)
    problems.push(
      `expiresOn: ${waiver.expiresOn} is more than ${maxWaiverDays} days after approvedOn ${waiver.approvedOn}`,
    );
  return problems;
}

/** Host checks and pack policies select differently: servers by name or department, resources by URN. */
function hostScopeProblems(waiver: Waiver): string[] {
  const hostChecks = waiver.policies.filter((id) => hostCheckById(id) !== undefined);
  const { hosts, departments, stacks, resourceTypes, urns, names } = waiver.scope;
  const hostScope = hosts !== undefined || departments !== undefined;
  if (hostChecks.length === 0)
    return hostScope
      ? ["scope: hosts and departments select servers, for host checks only (policies/hostChecks.ts)"]
      : [];
  const problems: string[] = [];
  if (hostChecks.length < waiver.policies.length)
    problems.push("policies: a waiver of a host check waives host checks only; put pack policies in another waiver");
  if (!hostScope || [stacks, resourceTypes, urns, names].some((v) => v !== undefined))
    problems.push("scope: a host check is waived for servers (hosts) or departments, not stacks or resources");
  return problems;
}

export interface ViolationKey {
  policyId: string;
  /** Undefined for a stack-wide violation. */
  urn?: string;
  type?: string;
  /** The stack, for stack-wide violations (otherwise taken from the URN). */
  stack?: string;
}

/** The active waiver that covers a violation, if any. */
export function matchWaiver(set: WaiverSet, violation: ViolationKey): WaiverStatus | undefined {
  for (const status of set.statuses) {
    const waiver = status.waiver;
    if (status.state !== "active" || !waiver) continue;
    if (!waiver.policies.includes(violation.policyId)) continue;
    // Servers and departments never match a Pulumi resource (host checks are evaluated by the dashboard).
    if (waiver.scope.hosts || waiver.scope.departments) continue;
    const { stacks, resourceTypes, urns, names } = waiver.scope;
    const stack = violation.urn !== undefined ? stackOfUrn(violation.urn) : violation.stack;
    if (stacks && (stack === undefined || !stacks.includes(stack))) continue;
    if (violation.urn === undefined) {
      // A stack-wide violation can only be waived for whole stacks.
      if (resourceTypes || urns || names) continue;
      return status;
    }
    if (resourceTypes && !resourceTypes.includes(violation.type ?? "")) continue;
    if (urns && !urns.includes(violation.urn)) continue;
    if (names) {
      const name = nameOfUrn(violation.urn);
      if (!names.some((pattern) => new RegExp(pattern).test(name))) continue;
    }
    return status;
  }
  return undefined;
}

/** One line per expired or invalid waiver: the violations of `muniops-waiver-require-valid`. */
export function waiverViolations(set: WaiverSet): { status: WaiverStatus; message: string }[] {
  return set.statuses
    .filter((s) => s.state !== "active")
    .map((status) => ({
      status,
      message:
        status.state === "expired"
          ? `waiver ${status.id} (${set.file}:${status.line}) expired on ${status.waiver?.expiresOn ?? "?"}; ` +
            `renew its approval or fix the violations it covered`
          : `waiver ${status.id} (${set.file}:${status.line}) is invalid: ${status.problems.join("; ")}; fix the entry`,
    }));
}

/** Active waivers that expire within the warning window. */
export function expiringSoon(set: WaiverSet, withinDays = expiryWarningDays): WaiverStatus[] {
  return set.statuses.filter((s) => s.state === "active" && s.daysLeft !== undefined && s.daysLeft <= withinDays);
}
