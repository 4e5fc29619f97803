// The ledger's tables as kysely sees them. One definition for both backends: amounts and byte counts are
// BIGINT (PostgreSQL returns them as strings, SQLite as numbers: read them through `big()`), times are
// ISO-8601 text in UTC (hours as `YYYY-MM-DDTHH`, days as `YYYY-MM-DD`), so both sort and compare alike.
import type { Generated } from "kysely";

type BigIntColumn = number | string | bigint;

export interface DepartmentsTable {
  id: string;
  name: string;
  cost_center: string;
  headcount: number;
  annual_budget_cents: BigIntColumn | null;
}

export interface HostsTable {
  name: string;
  department: string | null;
  service: string | null;
  environment: string | null;
  vcpus: number;
  memory_mib: number;
  /** First and last hour (inclusive start, exclusive end) the host existed; null end = still exists. */
  existed_from: string;
  existed_to: string | null;
}

export interface SharesTable {
  name: string;
  department: string | null;
  quota_gib: number;
  tier: string;
  existed_from: string;
  existed_to: string | null;
}

export interface RateVersionsTable {
  valid_from: string;
  note: string | null;
}

export interface RatePricesTable {
  valid_from: string;
  meter: string;
  /** EUR per unit in millionths of a euro: rates need sub-cent precision, and stay integers. */
  micro_eur: BigIntColumn;
}

export interface LicenceProductsTable {
  id: string;
  name: string;
  licence_type: string;
}

export interface LicenceContractsTable {
  id: string;
  product_id: string;
  quantity: number;
  unit_price_micro_eur: BigIntColumn;
  start_date: string;
  end_date: string | null;
  supplier: string;
  purchase_order: string;
}

export interface LicenceAssignmentsTable {
  id: string;
  product_id: string;
  department: string;
  seats: number;
  valid_from: string;
  valid_to: string | null;
}

export interface CostItemsTable {
  id: string;
  name: string;
  monthly_cents: BigIntColumn;
  driver: string;
  /** For the `fixed` driver: {"department": basisPoints, …}, summing to 10000. */
  percentages: string | null;
  valid_from: string;
  valid_to: string | null;
  /** For the `metered` driver: the counter it is split by (migration 0010); null for the other drivers. */
  metric: string | null;
}

export interface UsageHourlyTable {
  subject: string;
  meter: string;
  hour: string;
  department: string | null;
  /** Null when status is `gap`: the source had nothing for that hour. */
  value: BigIntColumn | null;
  status: string;
}

export interface UsageDailyTable {
  subject: string;
  meter: string;
  day: string;
  department: string | null;
  /** Σ value over the day's measured hours (e.g. byte-hours, vCPU-hours). */
  value_hours: BigIntColumn;
  hours_ok: number;
  hours_gap: number;
}

export interface UsageDepartmentDailyTable {
  /** '' for subjects no department owns. */
  department: string;
  day: string;
  meter: string;
  value_hours: BigIntColumn;
  hours_gap: number;
}

export interface ScrapeSamplesTable {
  host: string;
  at: string;
  up: number;
  fs_used_bytes: BigIntColumn | null;
}

export interface HostStatusTable {
  host: string;
  at: string;
  up: number;
  /** Busy share of all CPUs between the last two scrapes, 0..1; null after the first. */
  cpu_busy_ratio: number | null;
  cpu_seconds: number | null;
  cpu_idle_seconds: number | null;
  memory_total_bytes: BigIntColumn | null;
  memory_available_bytes: BigIntColumn | null;
  fs_used_bytes: BigIntColumn | null;
  fullest_mountpoint: string | null;
  fullest_size_bytes: BigIntColumn | null;
  fullest_avail_bytes: BigIntColumn | null;
}

export interface AuditReportsTable {
  id: Generated<number | string>;
  stack: string;
  generated_at: string;
  received_at: string;
  received_from: string;
  source: string;
  passed: number;
  resources: number;
  mandatory_failures: number;
  advisory_failures: number;
  waived: number;
  report: string;
  /** 0007: the audited Pulumi document's SHA-256 and the report's baseline (null before, or unknown). */
  document_sha256: string | null;
  baseline: string | null;
}

/** 0007: one stored audit's result per BIO2 entry (pass/fail/waived/not-covered). */
export interface AuditMeasureResultsTable {
  report_id: number | string;
  stack: string;
  generated_at: string;
  measure: string;
  state: string;
  pass: number;
  fail: number;
  waived: number;
}

/** 0008: a server's patch state on a day, as last read that day (dashboard/data-access/patchSnapshots.ts). */
export interface PatchSnapshotsTable {
  day: string;
  host: string;
  department: string | null;
  at: string;
  security_pending: number | null;
  other_pending: number | null;
  security_oldest_age_seconds: number | null;
  reboot_required: number | null;
  reboot_required_age_seconds: number | null;
}

export interface PeriodsTable {
  period: string;
  status: string;
  seq: number;
  closed_at: string;
  closed_by: string;
  statement: string;
  prev_hash: string;
  hash: string;
}

export interface StatementStatusTable {
  period: string;
  department: string;
  status: string;
  actor: string;
  at: string;
  comment: string | null;
}

/** One record of the tamper-evident chain (ledgerChain.ts): a close, a sign-off or a dispute. */
export interface LedgerChainTable {
  seq: number | string;
  kind: string;
  period: string;
  department: string | null;
  actor: string;
  at: string;
  comment: string | null;
  statement_hash: string;
  prev_hash: string;
  hash: string;
}

export interface AdjustmentsTable {
  id: Generated<number | string>;
  period: string;
  department: string;
  amount_cents: BigIntColumn;
  reason: string;
  refers_to_period: string | null;
  actor: string;
  at: string;
}

export interface AuditLogTable {
  id: Generated<number | string>;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  before: string | null;
  after: string | null;
}

/** A metered driver's measured quantity per hour and department (migration 0010), in thousandths of a unit. */
export interface MeteredHourlyTable {
  metric: string;
  hour: string;
  department: string;
  quantity_milli: BigIntColumn;
}

/** Embedded mode: each scrape's readings of counters labelled charge_department (migration 0010). */
export interface MeteredSamplesTable {
  host: string;
  at: string;
  metric: string;
  /** The series' labels as JSON, keys sorted. */
  labels: string;
  value: number;
}

export interface LedgerSchema {
  departments: DepartmentsTable;
  hosts: HostsTable;
  shares: SharesTable;
  rate_versions: RateVersionsTable;
  rate_prices: RatePricesTable;
  licence_products: LicenceProductsTable;
  licence_contracts: LicenceContractsTable;
  licence_assignments: LicenceAssignmentsTable;
  cost_items: CostItemsTable;
  metered_hourly: MeteredHourlyTable;
  metered_samples: MeteredSamplesTable;
  usage_hourly: UsageHourlyTable;
  usage_daily: UsageDailyTable;
  usage_department_daily: UsageDepartmentDailyTable;
  scrape_samples: ScrapeSamplesTable;
  host_status: HostStatusTable;
  patch_snapshots: PatchSnapshotsTable;
  audit_reports: AuditReportsTable;
  audit_measure_results: AuditMeasureResultsTable;
  periods: PeriodsTable;
  statement_status: StatementStatusTable;
  ledger_chain: LedgerChainTable;
  adjustments: AdjustmentsTable;
  audit_log: AuditLogTable;
}

/** A BIGINT column's value as a bigint, whichever backend returned it. */
export function big(value: BigIntColumn | null | undefined): bigint {
  if (value === null || value === undefined) return 0n;
  return typeof value === "bigint" ? value : BigInt(value);
}
