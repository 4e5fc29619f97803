import { describe, expect, it } from "vitest";
import { formatListPrice, listPriceFor, listPricesForHost } from "../../../dashboard/domain/listPrices.js";
import { vmSizes } from "../../../stacks/vmSizes.js";

describe("list prices", () => {
  it("prices every VM size central ICT offers, Windows above Linux, a month being 730 hours", () => {
    for (const vmSize of Object.keys(vmSizes)) {
      const linux = listPriceFor({ kind: "vm", vmSize, os: "linux" });
      const windows = listPriceFor({ kind: "vm", vmSize, os: "windows" });
      expect(linux?.perMonthMicro, vmSize).toBe((linux?.unitPriceMicro ?? 0n) * 730n);
      expect((windows?.unitPriceMicro ?? 0n) > (linux?.unitPriceMicro ?? 0n), vmSize).toBe(true);
    }
    const d4 = listPriceFor({ kind: "vm", vmSize: "Standard_D4s_v5", os: "windows" });
    expect(d4).toMatchObject({ meter: "vm/Standard_D4s_v5/windows", unit: "1 Hour", serviceCategory: "Compute" });
    expect(formatListPrice(d4?.perMonthMicro ?? 0n)).toBe("289.08");
  });

  it("prices a disk at the smallest tier that holds it; ZRS costs more", () => {
    expect(listPriceFor({ kind: "disk", sku: "Premium_LRS", sizeGiB: 129 })?.meter).toBe("disk/Premium_LRS/P15");
    expect(listPriceFor({ kind: "disk", sku: "Premium_LRS", sizeGiB: 1024 })?.perMonthMicro).toBe(125_270_000n);
    expect(listPriceFor({ kind: "disk", sku: "Premium_ZRS", sizeGiB: 1024 })?.perMonthMicro).toBe(187_905_000n);
    expect(listPriceFor({ kind: "disk", sku: "Ultra_LRS", sizeGiB: 64 })).toBeUndefined();
  });

  it("prices shares by quota, shared resources by type, free types at zero and unknown types not at all", () => {
    expect(listPriceFor({ kind: "share", tier: "Cool", quotaGiB: 8192 })?.perMonthMicro).toBe(122_880_000n);
    expect(listPriceFor({ kind: "resource", type: "azure-native:network:AzureFirewall" })?.perMonthMicro).toBe(
      861_400_000n,
    );
    expect(listPriceFor({ kind: "resource", type: "azure-native:network:Subnet" })?.perMonthMicro).toBe(0n);
    expect(listPriceFor({ kind: "resource", type: "azure-native:cdn:Profile" })).toBeUndefined();
  });

  it("prices an inventory host as its VM and its disks", () => {
    const lines = listPricesForHost({
      vmSize: "Standard_D2s_v5",
      os: "linux",
      disks: [{ name: "x-os", sizeGiB: 64, sku: "Premium_LRS" }],
    });
    expect(lines.map((l) => [l.item, l.price?.meter])).toEqual([
      ["Standard_D2s_v5", "vm/Standard_D2s_v5/linux"],
      ["x-os", "disk/Premium_LRS/P6"],
    ]);
  });
});
