// A spoke VNet peered with the hub both ways. Every subnet gets its own NSG (with flow logs and
// diagnostics) and, except the Application Gateway's, a route table that sends 0.0.0.0/0 through the
// hub firewall, so no workload reaches the Internet (or another spoke) uninspected.
import { FlowLog } from "@pulumi/azure-native/network/flowLog.js";
import { NetworkSecurityGroup } from "@pulumi/azure-native/network/networkSecurityGroup.js";
import { RouteTable } from "@pulumi/azure-native/network/routeTable.js";
import type * as inputs from "@pulumi/azure-native/types/input.js";
import { Subnet } from "@pulumi/azure-native/network/subnet.js";
import { VirtualNetwork } from "@pulumi/azure-native/network/virtualNetwork.js";
import { VirtualNetworkPeering } from "@pulumi/azure-native/network/virtualNetworkPeering.js";
import * as pulumi from "@pulumi/pulumi";
import { sendDiagnostics } from "../diagnostics.js";

export type SecurityRule = inputs.network.SecurityRuleArgs & { name: string };

export interface SpokeArgs {
  location: string;
  resourceGroupName: pulumi.Input<string>;
  vnetName: string;
  addressSpace: string;
  subnets: Record<string, string>;
  /** Inbound rules per subnet (the Azure defaults, which deny Internet inbound, apply after them). */
  securityRules: (subnet: string) => SecurityRule[];
  /** Subnets that must keep the Internet as their default route (Application Gateway v2). */
  withoutFirewallRoute?: string[];
  hub: { vnetId: pulumi.Input<string>; vnetName: pulumi.Input<string>; resourceGroupName: pulumi.Input<string> };
  firewallPrivateIp: pulumi.Input<string>;
  /** The hub's VPN gateway: the spoke uses it (gateway transit) once it exists. */
  hubGateway: pulumi.Resource;
  flowLogs: {
    networkWatcherName: pulumi.Input<string>;
    resourceGroupName: pulumi.Input<string>;
    storageId: pulumi.Input<string>;
    retentionDays: number;
    workspaceResourceId: pulumi.Input<string>;
    workspaceCustomerId: pulumi.Input<string>;
  };
  workspaceId: pulumi.Input<string>;
  ddosPlanId?: pulumi.Input<string>;
}

export class Spoke extends pulumi.ComponentResource {
  readonly vnetId: pulumi.Output<string>;
  readonly subnetIds: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: SpokeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muniops:network:Spoke", name, {}, opts);

    const vnet = new VirtualNetwork(
      `${name}-vnet`,
      {
        virtualNetworkName: args.vnetName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        addressSpace: { addressPrefixes: [args.addressSpace] },
        ...(args.ddosPlanId ? { enableDdosProtection: true, ddosProtectionPlan: { id: args.ddosPlanId } } : {}),
      },
      { parent: this, ignoreChanges: ["subnets"] },
    );
    const routeTable = this.firewallRoutes(name, args);

    this.subnetIds = {};
    let previous: pulumi.Resource | undefined;
    for (const [subnetName, prefix] of Object.entries(args.subnets)) {
      const subnet = this.subnet(name, args, { subnetName, prefix, vnet, routeTable, previous });
      this.subnetIds[subnetName] = subnet.id;
      previous = subnet;
    }

    this.hubPeerings(name, args, vnet);
    this.vnetId = vnet.id;
    this.registerOutputs({ vnetId: this.vnetId, subnetIds: this.subnetIds });
  }

  /** The route table that sends 0.0.0.0/0 through the hub firewall. */
  private firewallRoutes(name: string, args: SpokeArgs): RouteTable {
    return new RouteTable(
      `${name}-routes`,
      {
        routeTableName: `rt-${args.vnetName}`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        // Routes learned from the VPN would bypass the firewall; the hub decides instead.
        disableBgpRoutePropagation: true,
        routes: [
          {
            name: "default-via-firewall",
            addressPrefix: "0.0.0.0/0",
            nextHopType: "VirtualAppliance",
            nextHopIpAddress: args.firewallPrivateIp,
          },
        ],
      },
      { parent: this },
    );
  }

  /**
   * One subnet with its own NSG (flow logs, diagnostics) and, unless exempted, the firewall route. Subnets
   * are created one after the other (`previous`): Azure rejects concurrent changes to one VNet's subnets.
   */
  private subnet(
    name: string,
    args: SpokeArgs,
    at: {
      subnetName: string;
      prefix: string;
      vnet: VirtualNetwork;
      routeTable: RouteTable;
      previous: pulumi.Resource | undefined;
    },
  ): Subnet {
    const { subnetName, previous } = at;
    const nsg = this.securityGroup(name, args, subnetName);
    const routed = !(args.withoutFirewallRoute ?? []).includes(subnetName);
    return new Subnet(
      `${name}-${subnetName}`,
      {
        subnetName,
        virtualNetworkName: at.vnet.name,
        resourceGroupName: args.resourceGroupName,
        addressPrefix: at.prefix,
        networkSecurityGroup: { id: nsg.id },
        ...(routed ? { routeTable: { id: at.routeTable.id } } : {}),
        privateEndpointNetworkPolicies: "Enabled",
        defaultOutboundAccess: false,
      },
      { parent: this, ...(previous ? { dependsOn: [previous] } : {}) },
    );
  }

  /** A subnet's NSG, its flow log (with traffic analytics) and its diagnostics. */
  private securityGroup(name: string, args: SpokeArgs, subnetName: string): NetworkSecurityGroup {
    const nsg = new NetworkSecurityGroup(
      `${name}-${subnetName}-nsg`,
      {
        networkSecurityGroupName: `nsg-${args.vnetName}-${subnetName}`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        securityRules: args.securityRules(subnetName),
      },
      { parent: this },
    );
    new FlowLog(
      `${name}-${subnetName}-flow-log`,
      {
        flowLogName: `fl-${args.vnetName}-${subnetName}`,
        networkWatcherName: args.flowLogs.networkWatcherName,
        resourceGroupName: args.flowLogs.resourceGroupName,
        location: args.location,
        targetResourceId: nsg.id,
        storageId: args.flowLogs.storageId,
        enabled: true,
        format: { type: "JSON", version: 2 },
        retentionPolicy: { enabled: true, days: args.flowLogs.retentionDays },
        flowAnalyticsConfiguration: {
          networkWatcherFlowAnalyticsConfiguration: {
            enabled: true,
            trafficAnalyticsInterval: 10,
            workspaceId: args.flowLogs.workspaceCustomerId,
            workspaceRegion: args.location,
            workspaceResourceId: args.flowLogs.workspaceResourceId,
          },
        },
      },
      { parent: this },
    );
    sendDiagnostics(
      `${name}-${subnetName}-nsg-diagnostics`,
      { resourceUri: nsg.id, workspaceId: args.workspaceId, metrics: false },
      this,
    );
    return nsg;
  }

  /** The peering both ways; the spoke uses the hub's VPN gateway (gateway transit), so both wait for it. */
  private hubPeerings(name: string, args: SpokeArgs, vnet: VirtualNetwork): void {
    new VirtualNetworkPeering(
      `${name}-to-hub`,
      {
        virtualNetworkPeeringName: "to-hub",
        virtualNetworkName: vnet.name,
        resourceGroupName: args.resourceGroupName,
        remoteVirtualNetwork: { id: args.hub.vnetId },
        allowVirtualNetworkAccess: true,
        allowForwardedTraffic: true,
        useRemoteGateways: true,
      },
      { parent: this, dependsOn: [args.hubGateway] },
    );
    new VirtualNetworkPeering(
      `${name}-from-hub`,
      {
        virtualNetworkPeeringName: `to-${args.vnetName}`,
        virtualNetworkName: args.hub.vnetName,
        resourceGroupName: args.hub.resourceGroupName,
        remoteVirtualNetwork: { id: vnet.id },
        allowVirtualNetworkAccess: true,
        allowForwardedTraffic: true,
        allowGatewayTransit: true,
      },
      { parent: this, dependsOn: [args.hubGateway] },
    );
  }
}
