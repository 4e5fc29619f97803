// What a plan creates, for people: resources by type and, per department, its resources, servers,
// vCPUs, memory, disk and share quota (the figures the chargeback forecast prices).
import type { Inventory } from "../contracts/inventory.js";
import type { PreviewDigest, PreviewStep } from "../contracts/pulumiDocuments.js";

export interface DepartmentSummary {
  department: string;
  name: string;
  resources: number;
  servers: number;
  vcpus: number;
  memoryGiB: number;
  diskGiB: number;
  shareQuotaGiB: number;
}

export interface PlanSummary {
  stack: string;
  resources: number;
  byType: { type: string; count: number }[];
  byDepartment: DepartmentSummary[];
  warnings: string[];
}

/** The department of every step: its own tag, a share's metadata, else that of its nearest tagged ancestor or child. */
export function departmentsOfSteps(steps: readonly PreviewStep[]): Map<string, string> {
  const own = new Map<string, string>();
  const parentOf = new Map<string, string>();
  for (const step of steps) {
    const state = step.newState ?? step.oldState;
    if (!state) continue;
    if (state.parent) parentOf.set(step.urn, state.parent);
    const inputs = state.inputs ?? {};
    const department =
      (inputs.tags as Record<string, unknown> | undefined)?.department ??
      (inputs.metadata as Record<string, unknown> | undefined)?.department;
    if (typeof department === "string") own.set(step.urn, department);
  }
  // A component belongs to a department when all its tagged children do (a DepartmentServer).
  const childDepartments = new Map<string, Set<string>>();
  for (const [urn, department] of own) {
    const parent = parentOf.get(urn);
    if (!parent) continue;
    const set = childDepartments.get(parent) ?? new Set<string>();
    set.add(department);
    childDepartments.set(parent, set);
  }
  const result = new Map<string, string>();
  for (const step of steps) {
    let department = own.get(step.urn);
    for (let urn: string | undefined = step.urn; !department && urn; urn = parentOf.get(urn)) {
      const children = childDepartments.get(urn);
      department = own.get(urn) ?? (children?.size === 1 ? [...children][0] : undefined);
    }
    if (department) result.set(step.urn, department);
  }
  return result;
}

export function summarizePlan(
  stack: string,
  digest: PreviewDigest,
  inventory: Inventory,
  warnings: string[] = [],
): PlanSummary {
  const steps = digest.steps ?? [];
  const custom = steps.filter((s) => s.newState?.custom === true && !s.newState.type.startsWith("pulumi:"));
  const byType = new Map<string, number>();
  for (const step of custom) {
    const type = step.newState?.type ?? "";
    byType.set(type, (byType.get(type) ?? 0) + 1);
  }
  const departmentOf = departmentsOfSteps(steps);
  const byDepartment = inventory.departments.map<DepartmentSummary>((d) => {
    const hosts = inventory.hosts.filter((h) => h.department === d.id);
    return {
      department: d.id,
      name: d.name,
      resources: custom.filter((s) => departmentOf.get(s.urn) === d.id).length,
      servers: hosts.length,
      vcpus: hosts.reduce((n, h) => n + h.vcpus, 0),
      memoryGiB: hosts.reduce((n, h) => n + h.memoryGiB, 0),
      diskGiB: hosts.reduce((n, h) => n + h.disks.reduce((m, disk) => m + disk.sizeGiB, 0), 0),
      shareQuotaGiB: inventory.shares.filter((s) => s.department === d.id).reduce((n, s) => n + s.quotaGiB, 0),
    };
  });
  return {
    stack,
    resources: custom.length,
    byType: [...byType]
      .map(([type, count]) => ({ type, count }))
      .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
    byDepartment,
    warnings,
  };
}
