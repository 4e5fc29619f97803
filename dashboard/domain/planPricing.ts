// The cost models `muniops plan --compare` prices a change with (contracts/planCosting.ts): the internal
// rate card — what departments will be charged, priced as the forecast does (forecast.ts: every server
// all month, its disks and shares full) — and the list prices (listPrices.ts) — what the cloud bill will
// roughly say. The rate card prices servers and storage only: hub, gateways and the other shared
// resources are recharged through the shared cost items, so at internal rates they cost 0 per resource.
import { hoursPerMonth, type CostModel, type PricedResource } from "../../contracts/planCosting.js";
import { listPriceFor } from "./listPrices.js";
import { divRound } from "./money.js";
import type { RateVersion } from "./records.js";

const GiB = 1024n ** 3n;
const GB = 1000n ** 3n;

export const listPriceModel: CostModel = {
  label: "list price",
  monthlyMicro: (resource) => listPriceFor(resource)?.perMonthMicro,
};

export function rateCardModel(version: RateVersion): CostModel {
  const price = (key: string): bigint | undefined => version.prices[key];
  const monthly = (resource: PricedResource): bigint | undefined => {
    switch (resource.kind) {
      case "vm": {
        const vcpu = price("compute.vcpuHour");
        const memory = price("compute.memoryGibHour");
        if (resource.vcpus === undefined || resource.memoryGiB === undefined) return undefined;
        if (vcpu === undefined || memory === undefined) return undefined;
        const memoryMiB = BigInt(Math.round(resource.memoryGiB * 1024));
        return BigInt(resource.vcpus) * hoursPerMonth * vcpu + divRound(memoryMiB * hoursPerMonth * memory, 1024n);
      }
      case "disk": {
        const perGb = price("storage.serverGbMonth");
        return perGb === undefined ? undefined : divRound(BigInt(resource.sizeGiB) * GiB * perGb, GB);
      }
      case "share": {
        const perGb = price("storage.shareGbMonth");
        return perGb === undefined ? undefined : divRound(BigInt(resource.quotaGiB) * GiB * perGb, GB);
      }
      case "resource":
        return 0n;
    }
  };
  return { label: `internal rates ${version.validFrom}`, monthlyMicro: monthly };
}
