// The seam between a plan and a price list: what a Pulumi resource is, as far as pricing goes, and a cost
// model that prices it per month. stacks/ reads the resources out of `pulumi preview --json` documents
// (stacks/planCost.ts); the dashboard supplies the models — the internal rate card and the list prices
// (dashboard/domain/planPricing.ts) — so neither side imports the other's internals.

/** One priceable thing a plan deploys. */
export type PricedResource =
  /** A virtual machine's compute, without its disks (they are resources of their own here). */
  | { kind: "vm"; vmSize: string; os: "linux" | "windows"; vcpus?: number; memoryGiB?: number }
  | { kind: "disk"; sku: string; sizeGiB: number }
  /** A file share, priced by its quota. */
  | { kind: "share"; tier: string; quotaGiB: number }
  /** Any other resource by its Pulumi type token, e.g. "azure-native:network:AzureFirewall". */
  | { kind: "resource"; type: string };

/** A price list for plans: a month of a resource in EUR millionths, or undefined when it has no price. */
export interface CostModel {
  /** A short name for report headers, e.g. "internal rates 2026-01-01" or "list price". */
  label: string;
  monthlyMicro(resource: PricedResource): bigint | undefined;
}

/** A month, for monthly estimates of hourly prices: 730 hours, as Azure's pricing calculator has it. */
export const hoursPerMonth = 730n;
