// Invariants of the landing zone, checked on the plan of both sample stacks (the program evaluated
// under mocks that fail on anything unexpected): what auditors and operations rely on.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cidrsOverlap } from "../../stacks/cidr.js";
import { planStack, type PlanResult } from "../../stacks/plan.js";
import { previewDigest, type StepState } from "../../contracts/pulumiDocuments.js";
import { requiredTagKeys, taggableTypes } from "../../stacks/tagging.js";
import { repoRoot } from "../helpers/cli.js";

const stacks = ["dev", "leiden-prod"] as const;
const plans = new Map<string, PlanResult>();

beforeAll(async () => {
  for (const stack of stacks) plans.set(stack, await planStack({ stack }));
}, 180_000);

function resources(stack: string, type?: string): StepState[] {
  const plan = plans.get(stack);
  if (!plan) throw new Error(`no plan for ${stack}`);
  return plan.digest.steps!.flatMap((s) =>
    s.newState && s.newState.custom && (!type || s.newState.type === type) ? [s.newState] : [],
  );
}
const inputs = (r: StepState): Record<string, unknown> => r.inputs ?? {};
// A preview of a new stack has no outputs: what the program was given (ids, a firewall's address) is the
// mocks' answer, which the plan keeps beside the document.
let currentStack: string = stacks[0];
const outputs = (r: StepState): Record<string, unknown> => plans.get(currentStack)?.mockOutputs.get(r.urn) ?? {};
const idOf = (r: StepState): string => String(outputs(r).id);
const at = (value: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);

/** Whether the provider's typings say the type's arguments take tags (the source of truth). */
function argsTakeTags(type: string): boolean {
  const [, module, name] = type.split(":");
  const file = join(
    repoRoot,
    "node_modules",
    "@pulumi",
    "azure-native",
    module ?? "",
    `${(name ?? "").charAt(0).toLowerCase()}${(name ?? "").slice(1)}.d.ts`,
  );
  const text = readFileSync(file, "utf8");
  const args = new RegExp(`export interface ${name ?? ""}Args \\{([\\s\\S]*?)\\n\\}`).exec(text)?.[1] ?? "";
  return /\n\s+tags\?:/.test(args);
}

describe.each(stacks)("the %s plan", (stack) => {
  beforeEach(() => {
    currentStack = stack;
  });
  it(
    "is the `pulumi preview --json --show-sames` document: a create step for the stack and every resource, " +
      "none for the default provider",
    () => {
      const plan = plans.get(stack)!;
      const steps = plan.digest.steps!;
      expect(previewDigest.safeParse(JSON.parse(JSON.stringify(plan.digest))).success).toBe(true);
      expect(steps[0]!.newState!.type).toBe("pulumi:pulumi:Stack");
      expect(steps.every((s) => s.op === "create")).toBe(true);
      expect(plan.digest.changeSummary).toEqual({ create: steps.length });
      // The CLI never reports a default provider's step (shouldReportStep in pkg/engine), and a create
      // step's state is captured before the resource exists, so it has no outputs.
      expect(steps.filter((s) => /::pulumi:providers:azure-native::default_/.test(s.urn))).toEqual([]);
      expect(steps.filter((s) => s.newState?.outputs !== undefined).map((s) => s.urn)).toEqual([]);
      for (const r of resources(stack).filter((r) => r.type.startsWith("azure-native:"))) {
        expect(r.provider, r.urn).toMatch(/^urn:pulumi:.*::pulumi:providers:azure-native::default_3_28_0::/);
        expect(r.urn).toMatch(new RegExp(`^urn:pulumi:${stack}::muniops::`));
      }
    },
  );

  it("knows exactly which types take tags (checked against the azure-native typings)", () => {
    const types = new Set(
      resources(stack)
        .map((r) => r.type)
        .filter((t) => t.startsWith("azure-native:")),
    );
    for (const type of types) expect(taggableTypes.has(type), type).toBe(argsTakeTags(type));
  });

  it("tags every taggable resource with all required tags and a known department", () => {
    const departments = new Set(plans.get(stack)!.inventory.departments.map((d) => d.id));
    const taggable = resources(stack).filter((r) => taggableTypes.has(r.type));
    expect(taggable.length).toBeGreaterThan(50);
    for (const r of taggable) {
      const tags = inputs(r).tags as Record<string, string> | undefined;
      for (const key of requiredTagKeys) expect(tags?.[key], `${r.urn} tag ${key}`).toBeTruthy();
      expect(departments.has(tags!.department!), `${r.urn}: department ${tags!.department}`).toBe(true);
      expect(tags!.managedBy).toBe("pulumi");
    }
    // Department servers carry their own department, not central ICT's.
    const inventory = plans.get(stack)!.inventory;
    for (const host of inventory.hosts) {
      const vm = resources(stack, "azure-native:compute:VirtualMachine").find((v) => inputs(v).vmName === host.name)!;
      expect((inputs(vm).tags as Record<string, string>).department).toBe(host.department);
    }
  });

  it(
    "gives no NIC a public IP, and public IPs only to the firewall, Bastion, VPN gateway and application " + "gateway",
    () => {
      for (const nic of resources(stack, "azure-native:network:NetworkInterface")) {
        for (const config of inputs(nic).ipConfigurations as Record<string, unknown>[])
          expect(config.publicIPAddress, nic.urn).toBeUndefined();
      }
      const allowed = new Set([
        "azure-native:network:AzureFirewall",
        "azure-native:network:BastionHost",
        "azure-native:network:VirtualNetworkGateway",
        "azure-native:network:ApplicationGateway",
      ]);
      const publicIps = resources(stack, "azure-native:network:PublicIPAddress");
      expect(publicIps).toHaveLength(4);
      for (const pip of publicIps) {
        const users = resources(stack).filter(
          (r) =>
            r !== pip &&
            JSON.stringify(inputs(r)).includes(`"${idOf(pip)}"`) &&
            r.type !== "azure-native:monitor:DiagnosticSetting",
        );
        expect(
          users.map((u) => u.type),
          pip.urn,
        ).toHaveLength(1);
        expect(allowed.has(users[0]!.type), `${pip.urn} used by ${users[0]!.type}`).toBe(true);
      }
    },
  );

  it("peers every spoke with the hub in both directions, with gateway transit", () => {
    const vnets = resources(stack, "azure-native:network:VirtualNetwork");
    const hub = vnets.find((v) => String(inputs(v).virtualNetworkName).endsWith("-hub"))!;
    const spokes = vnets.filter((v) => v !== hub);
    expect(spokes).toHaveLength(3);
    const peerings = resources(stack, "azure-native:network:VirtualNetworkPeering");
    for (const spoke of spokes) {
      const toHub = peerings.find(
        (p) =>
          inputs(p).virtualNetworkName === inputs(spoke).virtualNetworkName &&
          at(inputs(p), "remoteVirtualNetwork.id") === idOf(hub),
      );
      const fromHub = peerings.find(
        (p) =>
          inputs(p).virtualNetworkName === inputs(hub).virtualNetworkName &&
          at(inputs(p), "remoteVirtualNetwork.id") === idOf(spoke),
      );
      expect(toHub?.inputs?.useRemoteGateways, `${spoke.urn} → hub`).toBe(true);
      expect(fromHub?.inputs?.allowGatewayTransit, `hub → ${spoke.urn}`).toBe(true);
    }
  });

  it("gives every workload subnet an NSG and a route table whose default route is the firewall's private IP", () => {
    const firewall = resources(stack, "azure-native:network:AzureFirewall")[0]!;
    const firewallIp = at((outputs(firewall).ipConfigurations as unknown[])[0], "privateIPAddress");
    expect(firewallIp).toMatch(/^10\.\d+\.\d+\.4$/);
    const routeTables = new Map(resources(stack, "azure-native:network:RouteTable").map((t) => [idOf(t), t]));
    const spokeSubnets = resources(stack, "azure-native:network:Subnet").filter(
      (s) => !String(inputs(s).virtualNetworkName).endsWith("-hub"),
    );
    const workload = spokeSubnets.filter((s) => inputs(s).subnetName !== "appGateway");
    expect(workload.length).toBeGreaterThanOrEqual(6);
    for (const subnet of spokeSubnets)
      expect(at(inputs(subnet), "networkSecurityGroup.id"), subnet.urn).toMatch(/networkSecurityGroups\//);
    for (const subnet of workload) {
      const table = routeTables.get(String(at(inputs(subnet), "routeTable.id")));
      const defaultRoute = (inputs(table!).routes as Record<string, unknown>[]).find(
        (r) => r.addressPrefix === "0.0.0.0/0",
      );
      expect(defaultRoute, subnet.urn).toMatchObject({ nextHopType: "VirtualAppliance", nextHopIpAddress: firewallIp });
    }
  });

  it("has address spaces that don't overlap (VNets and the town hall)", () => {
    const spaces = [
      ...resources(stack, "azure-native:network:VirtualNetwork").flatMap(
        (v) => at(inputs(v), "addressSpace.addressPrefixes") as string[],
      ),
      ...resources(stack, "azure-native:network:LocalNetworkGateway").flatMap(
        (g) => at(inputs(g), "localNetworkAddressSpace.addressPrefixes") as string[],
      ),
    ];
    expect(spaces.length).toBeGreaterThanOrEqual(5);
    for (let i = 0; i < spaces.length; i++)
      for (let j = i + 1; j < spaces.length; j++)
        expect(cidrsOverlap(spaces[i]!, spaces[j]!), `${spaces[i]} / ${spaces[j]}`).toBe(false);
  });

  it("backs up every VM and encrypts it at host with trusted launch; Linux VMs take SSH keys only", () => {
    const vms = resources(stack, "azure-native:compute:VirtualMachine");
    expect(vms).toHaveLength(plans.get(stack)!.inventory.hosts.length);
    const protectedItems = resources(stack, "azure-native:recoveryservices:ProtectedItem");
    for (const vm of vms) {
      expect(at(inputs(vm), "securityProfile")).toMatchObject({
        encryptionAtHost: true,
        securityType: "TrustedLaunch",
        uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
      });
      const item = protectedItems.find((p) => at(inputs(p), "properties.sourceResourceId") === idOf(vm));
      expect(item, `backup of ${vm.urn}`).toBeDefined();
      expect(item!.propertyDependencies?.properties).toContain(vm.urn);
      const linux = at(inputs(vm), "osProfile.linuxConfiguration");
      if (linux) expect(linux).toMatchObject({ disablePasswordAuthentication: true });
      else expect(at(inputs(vm), "osProfile.adminPassword")).toBe("[secret]");
    }
  });

  it("has unique names: no URN or Azure resource id twice", () => {
    const all = resources(stack);
    expect(new Set(all.map((r) => r.urn)).size).toBe(all.length);
    const ids = all.map(idOf).filter((id) => id !== "undefined");
    expect(new Set(ids.map((id) => id.toLowerCase())).size).toBe(ids.length);
  });

  it("keeps secrets secret in the preview", () => {
    const connection = resources(stack, "azure-native:network:VirtualNetworkGatewayConnection")[0]!;
    expect(inputs(connection).sharedKey).toBe("[secret]");
    expect(JSON.stringify(plans.get(stack)!.digest)).not.toContain("placeholder-");
  });

  it("builds the security baselines the BIO policies check", () => {
    for (const account of resources(stack, "azure-native:storage:StorageAccount")) {
      expect(inputs(account)).toMatchObject({
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: false,
        networkRuleSet: { defaultAction: "Deny" },
        encryption: { requireInfrastructureEncryption: true },
      });
    }
    expect(inputs(resources(stack, "azure-native:keyvault:Vault")[0]!).properties).toMatchObject({
      enableSoftDelete: true,
      enablePurgeProtection: true,
      enableRbacAuthorization: true,
      networkAcls: { defaultAction: "Deny" },
    });
    expect(
      inputs(resources(stack, "azure-native:network:WebApplicationFirewallPolicy")[0]!).policySettings,
    ).toMatchObject({ mode: "Prevention", state: "Enabled" });
    expect(inputs(resources(stack, "azure-native:network:FirewallPolicy")[0]!)).toMatchObject({
      threatIntelMode: "Deny",
      dnsSettings: { enableProxy: true },
    });
    expect(inputs(resources(stack, "azure-native:network:ApplicationGateway")[0]!)).toMatchObject({
      sslPolicy: { policyName: "AppGwSslPolicy20220101S" },
      sku: { tier: "WAF_v2" },
    });
    expect(inputs(resources(stack, "azure-native:storage:FileServiceProperties")[0]!)).toMatchObject({
      protocolSettings: { smb: { versions: "SMB3.1.1", channelEncryption: "AES-256-GCM" } },
      shareDeleteRetentionPolicy: { enabled: true },
    });
    for (const r of resources(stack).filter((r) => typeof inputs(r).location === "string"))
      expect(["westeurope", "global"], r.urn).toContain(inputs(r).location);
    // Diagnostics reach the workspace from every critical resource.
    const workspace = idOf(resources(stack, "azure-native:operationalinsights:Workspace")[0]!);
    const watched = new Set(
      resources(stack, "azure-native:monitor:DiagnosticSetting")
        .filter((d) => inputs(d).workspaceId === workspace)
        .map((d) => String(inputs(d).resourceUri)),
    );
    for (const type of [
      "AzureFirewall",
      "ApplicationGateway",
      "NetworkSecurityGroup",
      "BastionHost",
      "VirtualNetworkGateway",
      "PublicIPAddress",
    ]) {
      for (const r of resources(stack, `azure-native:network:${type}`))
        expect(watched.has(idOf(r)), `diagnostics for ${r.urn}`).toBe(true);
    }
    for (const r of [
      ...resources(stack, "azure-native:keyvault:Vault"),
      ...resources(stack, "azure-native:storage:StorageAccount"),
    ])
      expect(watched.has(idOf(r)), r.urn).toBe(true);
    const flowLogged = new Set(resources(stack, "azure-native:network:FlowLog").map((f) => inputs(f).targetResourceId));
    for (const nsg of resources(stack, "azure-native:network:NetworkSecurityGroup"))
      expect(flowLogged.has(idOf(nsg)), nsg.urn).toBe(true);
  });

  it("outputs an inventory that validates against the checked-in JSON Schema", () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, "contracts", "inventory.schema.json"), "utf8")) as object;
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const inventory = plans.get(stack)!.inventory;
    expect(validate(JSON.parse(JSON.stringify(inventory))), JSON.stringify(validate.errors)).toBe(true);
    const addresses = inventory.hosts.map((h) => h.address);
    expect(new Set(addresses).size).toBe(addresses.length);
    const nics = resources(stack, "azure-native:network:NetworkInterface").map((n) =>
      at((inputs(n).ipConfigurations as unknown[])[0], "privateIPAddress"),
    );
    expect(new Set(nics)).toEqual(new Set(addresses));
  });
});

describe("the leiden-prod sample", () => {
  it("is a realistic municipality: at least 15 departments, about 150 servers, a share per department", () => {
    const inventory = plans.get("leiden-prod")!.inventory;
    expect(inventory.departments.length).toBeGreaterThanOrEqual(15);
    expect(inventory.hosts.length).toBeGreaterThanOrEqual(140);
    expect(inventory.hosts.length).toBeLessThanOrEqual(180);
    expect(new Set(inventory.shares.map((s) => s.department))).toEqual(new Set(inventory.departments.map((d) => d.id)));
  });
});

describe.each(stacks)("the %s plan under the BIO policy pack", (stack) => {
  it("passes every mandatory policy (muniops audit)", async () => {
    // The policies part's offline audit, on the plan as it is: the stacks are built compliant.
    const { audit } = await import("../../policies/audit/evaluate.js");
    const { pulumiDocumentOf } = await import("../../policies/audit/pulumiDocument.js");
    const result = audit(pulumiDocumentOf(plans.get(stack)!.digest, `plan ${stack}`));
    const mandatory = result.findings.filter((f) => f.enforcementLevel === "mandatory" && f.outcome !== "waived");
    expect(mandatory.map((f) => `${f.policyId} ${f.urn ?? ""}: ${f.message}`)).toEqual([]);
    expect(result.resourceCount).toBeGreaterThan(100);
  });
});
