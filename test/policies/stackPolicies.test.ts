// Stack policies: remove or change one resource of the compliant baseline and assert the exact violation.
/* eslint-disable @typescript-eslint/no-unsafe-member-access -- cases mutate arbitrary preview JSON */
import { describe, expect, it } from "vitest";
import { audit } from "../../policies/audit/evaluate.js";
import { unknownValue } from "../../contracts/pulumiDocuments.js";
import { compliantSpecs, departmentsConfig, documentOf, previewOf } from "../fixtures/policies/compliantPreview.js";

type Specs = ReturnType<typeof compliantSpecs>;
type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function findings(change: (specs: Specs) => Specs, departments: unknown = departmentsConfig): string[] {
  const digest = previewOf(change(structuredClone(compliantSpecs(1))));
  digest.config = { ...digest.config, "muniops:departments": JSON.stringify(departments) };
  return audit(documentOf(digest)).findings.map(
    (f) => `${f.outcome} ${f.policyId} ${f.name ?? "(stack)"}: ${f.message}`,
  );
}
const without = (name: string) => (specs: Specs) => specs.filter((s) => s.name !== name);
const inputsOf = (specs: Specs, name: string): Inputs => specs.find((s) => s.name === name)!.inputs;

describe("stack policies", () => {
  it("a VM without a protected item is not backed up", () => {
    expect(findings(without("bz-app-01-backup"))).toEqual([
      "fail compute-virtualmachine-require-backup bz-app-01: virtual machine bz-app-01 has no backup (no " +
        "ProtectedItem refers to it); add an Azure Backup protected item with a backup policy",
    ]);
  });

  it("a protected item named after the VM counts even without a dependency", () => {
    expect(
      findings((specs) => {
        const item = specs.find((s) => s.name === "bz-app-01-backup")!;
        item.deps = {};
        return specs;
      }),
    ).toEqual([]);
  });

  it("a critical resource without a diagnostic setting to the workspace", () => {
    expect(findings(without("diag-kv-muniops"))).toEqual([
      "fail monitor-diagnosticsetting-require-critical-resources kv-muniops: Vault kv-muniops sends no " +
        "diagnostics to the central workspace; add a DiagnosticSetting with resourceUri → it and workspaceId → " +
        "the workspace",
    ]);
  });

  it("a location without a Network Watcher", () => {
    expect(findings(without("nw-westeurope"))).toEqual([
      "fail network-networkwatcher-require-per-location (stack): no Network Watcher in westeurope; add a " +
        "NetworkWatcher in each location",
    ]);
  });

  it("a subnet without an NSG (GatewaySubnet is exempt)", () => {
    expect(
      findings((specs) => {
        delete inputsOf(specs, "vnet-spoke").subnets[0].networkSecurityGroup;
        return specs;
      }),
    ).toEqual([
      "fail network-subnet-require-nsg vnet-spoke: subnet snet-app has no network security group; associate " +
        "one (networkSecurityGroup.id)",
    ]);
  });

  it("an NSG without a flow log", () => {
    expect(findings(without("fl-nsg-app"))).toEqual([
      "fail network-networksecuritygroup-require-flow-log nsg-app: network security group nsg-app has no " +
        "flow log; add a FlowLog targeting it or its virtual network",
    ]);
  });

  it("a department without a cost centre in the configuration", () => {
    const departments = departmentsConfig.map((d) => (d.id === "burgerzaken" ? { id: d.id, name: d.name } : d));
    expect(findings((s) => s, departments)).toEqual([
      'fail azure-department-require-cost-centre nsg-app: department "burgerzaken" has no cost centre in the ' +
        "configuration; add costCenter",
    ]);
  });

  it("a cost centre tag that differs from the department's", () => {
    const result = findings((specs) => {
      inputsOf(specs, "stbzshares").tags.costCenter = "KP-9999";
      return specs;
    });
    expect(result).toEqual([
      'fail azure-department-require-cost-centre stbzshares: costCenter tag is "KP-9999" but department ' +
        '"burgerzaken" has cost centre "KP-4100"; set the tag to "KP-4100"',
    ]);
  });

  it("an unknown location during preview gives the Network Watcher policy no verdict", () => {
    const result = findings((specs) => {
      inputsOf(specs, "nw-westeurope").location = unknownValue;
      return specs;
    });
    expect(result.filter((f) => f.startsWith("fail"))).toEqual([]);
    expect(result.some((f) => f.startsWith("unknown network-networkwatcher-require-per-location"))).toBe(true);
  });
});
