// The ledger's records as the layers above see them: camelCase, money as bigint. The data-access
// repositories map rows to these; the domain computes on them.

export interface Department {
  id: string;
  name: string;
  costCenter: string;
  headcount: number;
  annualBudgetCents: bigint | null;
}

export interface Host {
  name: string;
  department: string | null;
  service: string | null;
  environment: string | null;
  vcpus: number;
  memoryMib: number;
  existedFrom: string;
  existedTo: string | null;
}

export interface Share {
  name: string;
  department: string | null;
  quotaGib: number;
  tier: string;
  existedFrom: string;
  existedTo: string | null;
}

export interface RateVersion {
  validFrom: string;
  note: string | null;
  /** meter → EUR per unit, in millionths of a euro. */
  prices: Record<string, bigint>;
}

export const licenceTypes = ["per-user", "per-device", "per-core", "concurrent", "site"] as const;
export type LicenceType = (typeof licenceTypes)[number];

export interface LicenceProduct {
  id: string;
  name: string;
  licenceType: LicenceType;
}

export interface LicenceContract {
  id: string;
  productId: string;
  quantity: number;
  unitPriceMicroEur: bigint;
  startDate: string;
  endDate: string | null;
  supplier: string;
  purchaseOrder: string;
}

export interface LicenceAssignment {
  id: string;
  productId: string;
  department: string;
  seats: number;
  validFrom: string;
  validTo: string | null;
}

export const costDrivers = ["even", "headcount", "direct-cost", "fixed", "none", "metered"] as const;
export type CostDriver = (typeof costDrivers)[number];

export interface CostItem {
  id: string;
  name: string;
  monthlyCents: bigint;
  driver: CostDriver;
  /** For `fixed`: department → basis points (1/100 of a percent), summing to 10000. */
  percentages: Record<string, number> | null;
  validFrom: string;
  validTo: string | null;
  /**
   * For `metered`: the counter with a `charge_department` label the month's cost is split by (e.g.
   * muniops_digital_counter_transactions_total); absent or null for the other drivers.
   */
  metric?: string | null;
}

export interface Adjustment {
  id: number;
  period: string;
  department: string;
  amountCents: bigint;
  reason: string;
  refersToPeriod: string | null;
  actor: string;
  at: string;
}

/** Usage summed per owner, day and meter (from the daily rollup). */
export interface UsageAggregate {
  department: string | null;
  day: string;
  meter: string;
  valueHours: bigint;
  hoursGap: number;
}

export interface MasterData {
  departments: Department[];
  hosts: Host[];
  shares: Share[];
  rateVersions: RateVersion[];
  licenceProducts: LicenceProduct[];
  licenceContracts: LicenceContract[];
  licenceAssignments: LicenceAssignment[];
  costItems: CostItem[];
}

/** Where the chain stood after a record: what the audit log and the statement PDF carry. */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

export interface HostSnapshot {
  host: string;
  at: string;
  up: boolean;
  cpuBusyRatio: number | null;
  cpuSeconds: number | null;
  cpuIdleSeconds: number | null;
  memoryTotalBytes: bigint | null;
  memoryAvailableBytes: bigint | null;
  fsUsedBytes: bigint | null;
  fullest: { mountpoint: string; sizeBytes: bigint; availBytes: bigint } | null;
}

export interface HostAvailability {
  /** Σ up seconds over the month's measured hours. */
  upSeconds: bigint;
  measuredHours: number;
  gapHours: number;
}

export type HostRecord = Pick<Host, "name" | "department" | "service" | "environment" | "vcpus" | "memoryMib">;

/** The kinds of master data, in the order they must be written (references point backwards). */
export const entityKinds = [
  "departments",
  "hosts",
  "shares",
  "rateVersions",
  "licenceProducts",
  "licenceContracts",
  "licenceAssignments",
  "costItems",
] as const;
export type EntityKind = (typeof entityKinds)[number];
