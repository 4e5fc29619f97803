// The review operations attach to a change: what a new plan adds, removes or changes compared with an
// earlier one (two `pulumi preview --json` documents, from `muniops plan` or the real CLI), per
// department, with the input paths that differ.
import { departmentsOfSteps } from "./planSummary.js";
import type { PreviewDigest, PreviewStep } from "../contracts/pulumiDocuments.js";

export type ChangeKind = "add" | "remove" | "change";

export interface PlanChange {
  kind: ChangeKind;
  urn: string;
  type: string;
  name: string;
  department: string;
  /** For "change": the input paths that differ (e.g. `hardwareProfile.vmSize`). */
  paths: string[];
}

export interface PlanComparison {
  changes: PlanChange[];
  byDepartment: { department: string; add: number; remove: number; change: number }[];
}

const unowned = "(shared)";

function stateOf(step: PreviewStep): { type: string; inputs: Record<string, unknown> } {
  const state = step.newState ?? step.oldState;
  return { type: state?.type ?? "", inputs: state?.inputs ?? {} };
}

function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** Leaf paths where two values differ (arrays compared by index). */
export function differingPaths(a: unknown, b: unknown, prefix = ""): string[] {
  if (Object.is(a, b)) return [];
  const bothObjects =
    typeof a === "object" && a !== null && typeof b === "object" && b !== null && Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) return [prefix || "(value)"];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const paths: string[] = [];
  for (const key of [...keys].sort()) {
    const path = Array.isArray(a) ? `${prefix}[${key}]` : prefix ? `${prefix}.${key}` : key;
    paths.push(...differingPaths((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path));
  }
  return paths;
}

/** Only resources managed by a provider count; the stack, components and providers are bookkeeping. */
export function managedSteps(digest: PreviewDigest): Map<string, PreviewStep> {
  const steps = new Map<string, PreviewStep>();
  for (const step of digest.steps ?? []) {
    const state = step.newState ?? step.oldState;
    if (state?.custom === true && !state.type.startsWith("pulumi:")) steps.set(step.urn, step);
  }
  return steps;
}

export function comparePlans(before: PreviewDigest, after: PreviewDigest): PlanComparison {
  const oldSteps = managedSteps(before);
  const newSteps = managedSteps(after);
  const oldDepartments = departmentsOfSteps(before.steps ?? []);
  const newDepartments = departmentsOfSteps(after.steps ?? []);
  const changes: PlanChange[] = [];
  for (const [urn, step] of newSteps) {
    const { type, inputs } = stateOf(step);
    const department = newDepartments.get(urn) ?? oldDepartments.get(urn) ?? unowned;
    const previous = oldSteps.get(urn);
    if (!previous) {
      changes.push({ kind: "add", urn, type, name: nameOf(urn), department, paths: [] });
      continue;
    }
    const paths = differingPaths(stateOf(previous).inputs, inputs);
    if (paths.length > 0) changes.push({ kind: "change", urn, type, name: nameOf(urn), department, paths });
  }
  for (const [urn, step] of oldSteps) {
    if (!newSteps.has(urn))
      changes.push({
        kind: "remove",
        urn,
        type: stateOf(step).type,
        name: nameOf(urn),
        department: oldDepartments.get(urn) ?? unowned,
        paths: [],
      });
  }
  changes.sort(
    (a, b) => a.department.localeCompare(b.department) || a.kind.localeCompare(b.kind) || a.urn.localeCompare(b.urn),
  );
  const counts = new Map<string, { department: string; add: number; remove: number; change: number }>();
  for (const change of changes) {
    const row = counts.get(change.department) ?? { department: change.department, add: 0, remove: 0, change: 0 };
    row[change.kind] += 1;
    counts.set(change.department, row);
  }
  return { changes, byDepartment: [...counts.values()] };
}
