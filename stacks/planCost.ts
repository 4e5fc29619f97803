// What a change costs before it is made: the monthly cost of two plans (`pulumi preview --json`
// documents) per department under each cost model — the internal rate card and the list prices, handed
// in by the caller (contracts/planCosting.ts) — and the difference. Resources are read from the steps'
// inputs: a VM is its size and OS plus one disk each for its OS and data disks, a file share its quota
// and tier, anything else its type. A resource a model has no price for is counted, never priced as 0.
import type { CostModel, PricedResource } from "../contracts/planCosting.js";
import type { PreviewDigest, PreviewStep } from "../contracts/pulumiDocuments.js";
import { managedSteps } from "./planCompare.js";
import { departmentsOfSteps } from "./planSummary.js";
import { vmSize } from "./vmSizes.js";

export interface DepartmentCost {
  department: string;
  /** Per model, in the order given: EUR millionths per month. */
  before: bigint[];
  after: bigint[];
  delta: bigint[];
}

export interface PlanCost {
  models: string[];
  departments: DepartmentCost[];
  total: { before: bigint[]; after: bigint[]; delta: bigint[] };
  /** Resources of the new plan a model has no price for, by model and type. */
  unpriced: { model: string; type: string; count: number }[];
}

const unowned = "(shared)";

const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const count = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

function osOf(inputs: Record<string, unknown>): "linux" | "windows" {
  const osProfile = record(inputs.osProfile);
  if ("windowsConfiguration" in osProfile) return "windows";
  if ("linuxConfiguration" in osProfile) return "linux";
  const storage = record(inputs.storageProfile);
  const osType = text(record(storage.osDisk).osType);
  if (osType !== undefined) return osType.toLowerCase() === "windows" ? "windows" : "linux";
  return /windows/i.test(text(record(storage.imageReference).publisher) ?? "") ? "windows" : "linux";
}

/** An OS disk without a size has the image's: 30 GiB for Azure's Linux images, 127 GiB for Windows'. */
function diskOf(disk: unknown, imageDefaultGiB?: number): PricedResource[] {
  const d = record(disk);
  const sizeGiB = count(d.diskSizeGB) ?? imageDefaultGiB;
  const sku = text(record(d.managedDisk).storageAccountType) ?? "Premium_LRS";
  return sizeGiB === undefined ? [] : [{ kind: "disk", sku, sizeGiB }];
}

function virtualMachine(inputs: Record<string, unknown>): PricedResource[] {
  const size = text(record(inputs.hardwareProfile).vmSize) ?? "(unknown size)";
  const facts = vmSize(size);
  const storage = record(inputs.storageProfile);
  const dataDisks = Array.isArray(storage.dataDisks) ? storage.dataDisks : [];
  const os = osOf(inputs);
  const vm: PricedResource = { kind: "vm", vmSize: size, os, ...(facts ?? {}) };
  return [vm, ...diskOf(storage.osDisk, os === "windows" ? 127 : 30), ...dataDisks.flatMap((d) => diskOf(d))];
}

/** The priceable parts of one step's resource (its new state, else its old one). */
export function pricedResourcesOf(step: PreviewStep): PricedResource[] {
  const state = step.newState ?? step.oldState;
  if (!state) return [];
  const inputs = record(state.inputs);
  switch (state.type) {
    case "azure-native:compute:VirtualMachine":
      return virtualMachine(inputs);
    case "azure-native:storage:FileShare": {
      const quotaGiB = count(inputs.shareQuota);
      const tier = text(inputs.accessTier) ?? "TransactionOptimized";
      return quotaGiB === undefined ? [{ kind: "resource", type: state.type }] : [{ kind: "share", tier, quotaGiB }];
    }
    default:
      return [{ kind: "resource", type: state.type }];
  }
}

const typeOf = (r: PricedResource): string =>
  r.kind === "resource"
    ? r.type
    : r.kind === "vm"
      ? `vm ${r.vmSize}`
      : r.kind === "disk"
        ? `disk ${r.sku}`
        : `share ${r.tier}`;

/** Σ per department and model of one plan; unpriced parts counted into `missing` when given. */
function planTotals(
  digest: PreviewDigest,
  models: readonly CostModel[],
  missing?: Map<string, { model: string; type: string; count: number }>,
): Map<string, bigint[]> {
  const departments = departmentsOfSteps(digest.steps ?? []);
  const totals = new Map<string, bigint[]>();
  for (const [urn, step] of managedSteps(digest)) {
    const department = departments.get(urn) ?? unowned;
    const sums = totals.get(department) ?? models.map(() => 0n);
    for (const resource of pricedResourcesOf(step))
      models.forEach((model, i) => {
        const price = model.monthlyMicro(resource);
        if (price !== undefined) sums[i] = (sums[i] ?? 0n) + price;
        else if (missing) {
          const key = `${model.label}\u0000${typeOf(resource)}`;
          const row = missing.get(key) ?? { model: model.label, type: typeOf(resource), count: 0 };
          row.count += 1;
          missing.set(key, row);
        }
      });
    totals.set(department, sums);
  }
  return totals;
}

/** The monthly cost of both plans per department and model, and the difference. */
export function planCost(before: PreviewDigest, after: PreviewDigest, models: readonly CostModel[]): PlanCost {
  const missing = new Map<string, { model: string; type: string; count: number }>();
  const old = planTotals(before, models);
  const now = planTotals(after, models, missing);
  const zero = (): bigint[] => models.map(() => 0n);
  const names = [...new Set([...old.keys(), ...now.keys()])].sort();
  // each department's month rounded to the cent once, so the rows add up to the total shown
  const cents = (micro: bigint[]): bigint[] =>
    micro.map((x) => ((x < 0n ? x - 5_000n : x + 5_000n) / 10_000n) * 10_000n);
  const departments = names.map((department) => {
    const b = cents(old.get(department) ?? zero());
    const a = cents(now.get(department) ?? zero());
    return { department, before: b, after: a, delta: a.map((x, i) => x - (b[i] ?? 0n)) };
  });
  const sum = (pick: (d: DepartmentCost) => bigint[]): bigint[] =>
    models.map((_, i) => departments.reduce((acc, d) => acc + (pick(d)[i] ?? 0n), 0n));
  return {
    models: models.map((m) => m.label),
    departments,
    total: { before: sum((d) => d.before), after: sum((d) => d.after), delta: sum((d) => d.delta) },
    unpriced: [...missing.values()].sort((a, b) => a.model.localeCompare(b.model) || a.type.localeCompare(b.type)),
  };
}
