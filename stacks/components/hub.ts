// The hub of the hub-spoke landing zone (connectivity): the hub VNet with the subnets Azure's platform
// services need, the optional DDoS plan, and the Network Watcher the spokes' flow logs hang from.
import { DdosProtectionPlan } from "@pulumi/azure-native/network/ddosProtectionPlan.js";
import { NetworkWatcher } from "@pulumi/azure-native/network/networkWatcher.js";
import { Subnet } from "@pulumi/azure-native/network/subnet.js";
import { VirtualNetwork } from "@pulumi/azure-native/network/virtualNetwork.js";
import * as pulumi from "@pulumi/pulumi";

export interface HubArgs {
  location: string;
  resourceGroupName: pulumi.Input<string>;
  vnetName: string;
  addressSpace: string;
  /** AzureFirewallSubnet, GatewaySubnet, AzureBastionSubnet (names fixed by Azure). */
  subnets: Record<string, string>;
  ddosProtection: boolean;
}

export class Hub extends pulumi.ComponentResource {
  readonly vnetId: pulumi.Output<string>;
  readonly vnetName: pulumi.Output<string>;
  readonly subnetIds: Record<string, pulumi.Output<string>>;
  readonly networkWatcherName: pulumi.Output<string>;
  readonly ddosPlanId?: pulumi.Output<string>;

  constructor(name: string, args: HubArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muniops:network:Hub", name, {}, opts);

    const ddosPlan = args.ddosProtection
      ? new DdosProtectionPlan(`${name}-ddos`, { ddosProtectionPlanName: `ddos-${args.vnetName}`, resourceGroupName: args.resourceGroupName, location: args.location }, { parent: this })
      : undefined;

    const vnet = new VirtualNetwork(
      `${name}-vnet`,
      {
        virtualNetworkName: args.vnetName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        addressSpace: { addressPrefixes: [args.addressSpace] },
        ...(ddosPlan ? { enableDdosProtection: true, ddosProtectionPlan: { id: ddosPlan.id } } : {}),
      },
      // Subnets are separate resources; without this the VNet would try to remove them on every update.
      { parent: this, ignoreChanges: ["subnets"] },
    );

    this.subnetIds = {};
    let previous: pulumi.Resource | undefined;
    for (const [subnetName, prefix] of Object.entries(args.subnets)) {
      // Azure rejects concurrent changes to subnets of one VNet ("AnotherOperationInProgress").
      const subnet: Subnet = new Subnet(
        `${name}-${subnetName}`,
        { subnetName, virtualNetworkName: vnet.name, resourceGroupName: args.resourceGroupName, addressPrefix: prefix },
        { parent: this, ...(previous ? { dependsOn: [previous] } : {}) },
      );
      this.subnetIds[subnetName] = subnet.id;
      previous = subnet;
    }

    const watcher = new NetworkWatcher(`${name}-watcher`, { networkWatcherName: `nw-${args.location}`, resourceGroupName: args.resourceGroupName, location: args.location }, { parent: this });

    this.vnetId = vnet.id;
    this.vnetName = vnet.name;
    this.networkWatcherName = watcher.name;
    if (ddosPlan) this.ddosPlanId = ddosPlan.id;
    this.registerOutputs({ vnetId: this.vnetId, subnetIds: this.subnetIds, networkWatcherName: this.networkWatcherName });
  }
}
