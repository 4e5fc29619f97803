// Azure Firewall in the hub: every spoke's egress (0.0.0.0/0) and spoke-to-spoke traffic pass through
// it. Threat intelligence denies known-malicious traffic; the DNS proxy lets FQDN rules work for spokes.
import { AzureFirewall } from "@pulumi/azure-native/network/azureFirewall.js";
import { FirewallPolicy } from "@pulumi/azure-native/network/firewallPolicy.js";
import { FirewallPolicyRuleCollectionGroup } from "@pulumi/azure-native/network/firewallPolicyRuleCollectionGroup.js";
import { PublicIPAddress } from "@pulumi/azure-native/network/publicIPAddress.js";
import * as pulumi from "@pulumi/pulumi";
import { sendDiagnostics } from "../diagnostics.js";
import { publicIpArgs } from "../publicIp.js";

export interface FirewallArgs {
  location: string;
  /** Whether the VNets have a DDoS protection plan the public IP inherits. */
  ddosProtection: boolean;
  resourceGroupName: pulumi.Input<string>;
  baseName: string;
  subnetId: pulumi.Input<string>;
  workspaceId: pulumi.Input<string>;
  /** Address spaces of the spokes (allowed to reach each other and the town hall). */
  spokeAddressSpaces: string[];
  townHallAddressSpaces: string[];
  /** Host names VMs may fetch from (OS updates, the agent package). */
  allowedFqdns: string[];
}

export class Firewall extends pulumi.ComponentResource {
  readonly privateIpAddress: pulumi.Output<string>;
  readonly firewallId: pulumi.Output<string>;

  constructor(name: string, args: FirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muniops:network:Firewall", name, {}, opts);

    const publicIp = new PublicIPAddress(
      `${name}-pip`,
      publicIpArgs({
        name: `pip-${args.baseName}`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        ddosProtection: args.ddosProtection,
      }),
      { parent: this },
    );

    const policy = new FirewallPolicy(
      `${name}-policy`,
      {
        firewallPolicyName: `afwp-${args.baseName}`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        sku: { tier: "Standard" },
        threatIntelMode: "Deny",
        dnsSettings: { enableProxy: true },
      },
      { parent: this },
    );

    const internal = [...args.spokeAddressSpaces, ...args.townHallAddressSpaces];
    const rules = new FirewallPolicyRuleCollectionGroup(
      `${name}-rules`,
      {
        ruleCollectionGroupName: "muniops",
        firewallPolicyName: policy.name,
        resourceGroupName: args.resourceGroupName,
        priority: 200,
        ruleCollections: [
          {
            ruleCollectionType: "FirewallPolicyFilterRuleCollection",
            name: "internal",
            priority: 200,
            action: { type: "Allow" },
            rules: [
              {
                ruleType: "NetworkRule",
                name: "spokes-and-town-hall",
                ipProtocols: ["TCP", "UDP", "ICMP"],
                sourceAddresses: internal,
                destinationAddresses: internal,
                destinationPorts: ["*"],
              },
            ],
          },
          {
            ruleCollectionType: "FirewallPolicyFilterRuleCollection",
            name: "egress",
            priority: 300,
            action: { type: "Allow" },
            rules: [
              {
                ruleType: "ApplicationRule",
                name: "updates-and-agent",
                sourceAddresses: args.spokeAddressSpaces,
                protocols: [{ protocolType: "Https", port: 443 }],
                targetFqdns: args.allowedFqdns,
              },
            ],
          },
        ],
      },
      { parent: this },
    );

    const firewall = new AzureFirewall(
      `${name}-firewall`,
      {
        azureFirewallName: `afw-${args.baseName}`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        sku: { name: "AZFW_VNet", tier: "Standard" },
        firewallPolicy: { id: policy.id },
        zones: ["1", "2", "3"],
        ipConfigurations: [{ name: "ipconfig", subnet: { id: args.subnetId }, publicIPAddress: { id: publicIp.id } }],
      },
      // The rule collection group must exist before the firewall uses the policy, or Azure locks it.
      { parent: this, dependsOn: [rules] },
    );

    sendDiagnostics(`${name}-firewall-diagnostics`, { resourceUri: firewall.id, workspaceId: args.workspaceId }, this);
    sendDiagnostics(`${name}-pip-diagnostics`, { resourceUri: publicIp.id, workspaceId: args.workspaceId }, this);

    this.firewallId = firewall.id;
    this.privateIpAddress = firewall.ipConfigurations.apply((configs) => {
      const address = configs?.[0]?.privateIPAddress;
      if (!address) throw new Error("the firewall has no private IP address");
      return address;
    });
    this.registerOutputs({ firewallId: this.firewallId, privateIpAddress: this.privateIpAddress });
  }
}
