import { describe, expect, it } from "vitest";
import { comparePlans, differingPaths } from "../../stacks/planCompare.js";
import type { PreviewDigest, PreviewStep } from "../../contracts/pulumiDocuments.js";

function step(name: string, type: string, inputs: Record<string, unknown>, parent?: string): PreviewStep {
  const urn = `urn:pulumi:dev::muniops::${type}::${name}`;
  return {
    op: "create",
    urn,
    newState: { urn, custom: !type.startsWith("muniops:"), type, inputs, ...(parent ? { parent } : {}) },
  };
}
const digest = (...steps: PreviewStep[]): PreviewDigest => ({ steps });

describe("plan comparison", () => {
  it("finds the leaf paths that differ", () => {
    expect(differingPaths({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] }, d: true })).toEqual(["b.c[1]", "d"]);
    expect(differingPaths({ a: 1 }, { a: 1 })).toEqual([]);
  });

  it("groups adds, removes and changes by department, inheriting the department of untagged children", () => {
    const server = step("bz-app-01", "muniops:compute:DepartmentServer", {});
    const vmBefore = step(
      "bz-app-01-vm",
      "azure-native:compute:VirtualMachine",
      { tags: { department: "burgerzaken" }, hardwareProfile: { vmSize: "Standard_B2s" } },
      server.urn,
    );
    const vmAfter = step(
      "bz-app-01-vm",
      "azure-native:compute:VirtualMachine",
      { tags: { department: "burgerzaken" }, hardwareProfile: { vmSize: "Standard_D4s_v5" } },
      server.urn,
    );
    const extension = step(
      "bz-app-01-agent",
      "azure-native:compute:VirtualMachineExtension",
      { settings: {} },
      server.urn,
    );
    const share = step("file-shares-archief", "azure-native:storage:FileShare", {
      metadata: { department: "archief" },
    });
    const subnet = step("servers-app", "azure-native:network:Subnet", { addressPrefix: "10.0.0.0/24" });
    const result = comparePlans(digest(server, vmBefore, share, subnet), digest(server, vmAfter, extension, subnet));
    expect(result.changes.map((c) => [c.department, c.kind, c.name, c.paths])).toEqual([
      ["archief", "remove", "file-shares-archief", []],
      ["burgerzaken", "add", "bz-app-01-agent", []],
      ["burgerzaken", "change", "bz-app-01-vm", ["hardwareProfile.vmSize"]],
    ]);
    expect(result.byDepartment).toEqual([
      { department: "archief", add: 0, remove: 1, change: 0 },
      { department: "burgerzaken", add: 1, remove: 0, change: 1 },
    ]);
  });
});
