// The cost of a change before it is made: two `pulumi preview --json` documents shaped as the real CLI
// writes them (test/fixtures/policies/pulumiDocuments.ts), priced per department at the internal rate
// card and at the list prices, and rendered for a pull-request comment.
import { describe, expect, it } from "vitest";
import { previewDigest, type PreviewDigest } from "../../contracts/pulumiDocuments.js";
import { listPriceModel, rateCardModel } from "../../dashboard/domain/planPricing.js";
import { planCost, pricedResourcesOf } from "../../stacks/planCost.js";
import { euros, renderComparisonMarkdown, renderPlanCost } from "../../stacks/planCostReport.js";
import { comparePlans } from "../../stacks/planCompare.js";
import {
  deployedStack,
  previewDocument,
  providerRef,
  resourceNamed,
  stack,
  updateStep,
} from "../fixtures/policies/pulumiDocuments.js";
import { urnOf } from "../fixtures/policies/compliantPreview.js";

const rates = rateCardModel({
  validFrom: "2026-01-01",
  note: null,
  prices: {
    "compute.vcpuHour": 30_000n,
    "compute.memoryGibHour": 5_000n,
    "storage.serverGbMonth": 100_000n,
    "storage.shareGbMonth": 50_000n,
  },
});
const models = [rates, listPriceModel];
const digest = (doc: Record<string, unknown>): PreviewDigest => previewDigest.parse(doc);

/** The deployed stack, and a preview that doubles the VM and its data disk and adds a file share. */
function scenario(): { before: PreviewDigest; after: PreviewDigest } {
  const deployed = deployedStack();
  const vm = deployed.find((r) => r.type === "azure-native:compute:VirtualMachine")!;
  const inputs = structuredClone(vm.inputs!) as Record<string, Record<string, unknown>>;
  inputs.hardwareProfile = { vmSize: "Standard_D8s_v5" };
  (inputs.storageProfile!.dataDisks as { diskSizeGB: number }[])[0]!.diskSizeGB = 512;
  const shareUrn = urnOf(stack, "azure-native:storage:FileShare", "file-shares-archief");
  const shareInputs = { shareQuota: 1024, accessTier: "Cool", metadata: { department: "archief" } };
  const share = { urn: shareUrn, custom: true, type: "azure-native:storage:FileShare", inputs: shareInputs };
  const changes = [
    updateStep(vm, inputs, ["hardwareProfile", "storageProfile"]),
    { op: "create", urn: shareUrn, provider: providerRef, newState: share, detailedDiff: null },
  ];
  return { before: digest(previewDocument([])), after: digest(previewDocument(changes)) };
}

describe("plan cost", () => {
  it("reads a VM as its size, OS and disks (the OS disk at the image's size when none is given)", () => {
    const deployed = deployedStack();
    const vm = deployed.find((r) => r.type === "azure-native:compute:VirtualMachine")!;
    const resources = pricedResourcesOf({ op: "same", urn: vm.urn, newState: vm as never });
    expect(resources).toEqual([
      { kind: "vm", vmSize: "Standard_D4s_v5", os: "linux", vcpus: 4, memoryGiB: 16 },
      { kind: "disk", sku: "Premium_LRS", sizeGiB: 30 },
      { kind: "disk", sku: "Premium_LRS", sizeGiB: 256 },
    ]);
    expect(resourceNamed(deployed, "rg-hub").type).toBe("azure-native:resources:ResourceGroup");
  });

  it("prices the change per department at the rate card and at list price", () => {
    const { before, after } = scenario();
    const cost = planCost(before, after, models);
    expect(cost.models).toEqual(["internal rates 2026-01-01", "list price"]);
    const byDepartment = Object.fromEntries(cost.departments.map((d) => [d.department, d.delta.map((x) => euros(x))]));
    // D4s_v5 → D8s_v5: 4 more vCPUs and 16 GiB more for 730 h at 0.03 and 0.005 = 146.00, and 256 GiB more disk
    // at 0.10/GB-month (274.88 GB: 27.49); at list price 154.76 for the VM and P15 → P20 (35.17 → 67.79).
    expect(byDepartment.burgerzaken).toEqual(["173.49", "187.38"]);
    // a 1 TiB Cool share: 1099.51 GB at 0.05 = 54.98; list 1024 GiB at 0.015 = 15.36
    expect(byDepartment.archief).toEqual(["54.98", "15.36"]);
    expect(cost.total.delta.map((x) => euros(x, true))).toEqual(["+228.47", "+202.74"]);
    // the shared hub costs nothing per resource internally (it is a shared cost item), but has a list price
    const ict = cost.departments.find((d) => d.department === "ict")!;
    expect(ict.before[0]).toBe(0n);
    expect(ict.before[1]! > 0n).toBe(true);
    expect(ict.delta).toEqual([0n, 0n]);
    // usage-priced resources have no monthly list price: named, not counted as free
    expect(cost.unpriced.map((u) => [u.model, u.type, u.count])).toEqual([
      ["list price", "azure-native:keyvault:Vault", 1],
      ["list price", "azure-native:network:FlowLog", 1],
      ["list price", "azure-native:operationalinsights:Workspace", 1],
      ["list price", "azure-native:storage:StorageAccount", 1],
    ]);
  });

  it("renders a table and a Markdown pull-request comment", () => {
    const { before, after } = scenario();
    const cost = planCost(before, after, models);
    const table = renderPlanCost(cost);
    expect(table).toMatch(
      /burgerzaken[\s│]+176\.71[\s│]+350\.20[\s│]+\+173\.49[\s│]+194\.83[\s│]+382\.21[\s│]+\+187\.38/,
    );
    const markdown = renderComparisonMarkdown(comparePlans(before, after), cost, {
      before: "old.json",
      after: "stack leiden-prod",
    });
    expect(markdown).toContain("### muniops plan: changes from `old.json` to `stack leiden-prod`");
    expect(markdown).toContain("| department | add | remove | change |");
    expect(markdown).toContain("| archief | 1 | 0 | 0 |");
    expect(markdown).toMatch(/\| burgerzaken \| [\d.]+ \| [\d.]+ \| \+173\.49 \| [\d.]+ \| [\d.]+ \| \+187\.38 \|/);
    expect(markdown).toMatch(/\| total \| .* \| \+228\.47 \| .* \| \+202\.74 \|/);
    expect(markdown).toContain("`~` **burgerzaken** `azure-native:compute:VirtualMachine`");
  });
});
