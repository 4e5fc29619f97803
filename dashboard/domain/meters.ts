// What metering records and how each meter is priced. A quantity in the ledger is always "value-hours"
// (Σ over hours of the hourly value); `divisor` turns value-hours into the unit the rate card prices.
import { hoursInPeriod } from "./period.js";

export const hostMeters = ["up_seconds", "vcpus", "memory_bytes", "fs_used_bytes"] as const;
export const shareMeters = ["share_used_bytes"] as const;
export type MeterName = (typeof hostMeters)[number] | (typeof shareMeters)[number];

export interface PricedMeter {
  meter: MeterName;
  costType: "compute" | "storage";
  /** The rate-card key this meter is priced at. */
  rate: string;
  unit: string;
  divisor(period: string): bigint;
}

const GiB = 1024n ** 3n;
const GB = 1000n ** 3n;

export const pricedMeters: readonly PricedMeter[] = [
  { meter: "vcpus", costType: "compute", rate: "compute.vcpuHour", unit: "vCPU-hours", divisor: () => 1n },
  { meter: "memory_bytes", costType: "compute", rate: "compute.memoryGibHour", unit: "GiB-hours", divisor: () => GiB },
  {
    meter: "fs_used_bytes",
    costType: "storage",
    rate: "storage.serverGbMonth",
    unit: "GB-months",
    divisor: (p) => GB * BigInt(hoursInPeriod(p)),
  },
  {
    meter: "share_used_bytes",
    costType: "storage",
    rate: "storage.shareGbMonth",
    unit: "GB-months",
    divisor: (p) => GB * BigInt(hoursInPeriod(p)),
  },
];

/** Every rate-card key, including those only the forecast uses. */
export const rateKeys = pricedMeters.map((m) => m.rate);
