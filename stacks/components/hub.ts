// The hub of the hub-spoke landing zone (connectivity): the hub VNet with the subnets Azure's platform
// services need, the optional DDoS plan, and the Network Watcher the spokes' flow logs hang from.
import { DdosProtectionPlan } from "@pulumi/azure-native/network/ddosProtectionPlan.js";
import { NetworkWatcher } from "@pulumi/azure-native/network/networkWatcher.js";
import { Subnet } from "@pulumi/azure-native/network/subnet.js";
import { VirtualNetwork } from "@pulumi/azure-native/network/virtualNetwork.js";
import { FlowLog } from "@pulumi/azure-native/network/flowLog.js";
import { NetworkSecurityGroup } from "@pulumi/azure-native/network/networkSecurityGroup.js";
import * as pulumi from "@pulumi/pulumi";
import { sendDiagnostics } from "../diagnostics.js";

/**
 * The rules Azure Bastion needs on its subnet (learn.microsoft.com, "Working with NSG access and Azure
 * Bastion"): HTTPS in from the Internet and the control plane, SSH/RDP out to the VNets only.
 */
const bastionRules = [
  {
    name: "allow-https-inbound",
    priority: 120,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "Internet",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "443",
  },
  {
    name: "allow-gateway-manager-inbound",
    priority: 130,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "GatewayManager",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "443",
  },
  {
    name: "allow-load-balancer-inbound",
    priority: 140,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "AzureLoadBalancer",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "443",
  },
  {
    name: "allow-bastion-host-communication",
    priority: 150,
    direction: "Inbound",
    access: "Allow",
    protocol: "*",
    sourceAddressPrefix: "VirtualNetwork",
    sourcePortRange: "*",
    destinationAddressPrefix: "VirtualNetwork",
    destinationPortRanges: ["8080", "5701"],
  },
  {
    name: "allow-ssh-rdp-outbound",
    priority: 100,
    direction: "Outbound",
    access: "Allow",
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "VirtualNetwork",
    destinationPortRanges: ["22", "3389"],
  },
  {
    name: "allow-azure-cloud-outbound",
    priority: 110,
    direction: "Outbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "AzureCloud",
    destinationPortRange: "443",
  },
  {
    name: "allow-bastion-communication",
    priority: 120,
    direction: "Outbound",
    access: "Allow",
    protocol: "*",
    sourceAddressPrefix: "VirtualNetwork",
    sourcePortRange: "*",
    destinationAddressPrefix: "VirtualNetwork",
    destinationPortRanges: ["8080", "5701"],
  },
  {
    name: "allow-session-information",
    priority: 130,
    direction: "Outbound",
    access: "Allow",
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "Internet",
    destinationPortRange: "80",
  },
];

export interface HubArgs {
  location: string;
  resourceGroupName: pulumi.Input<string>;
  vnetName: string;
  addressSpace: string;
  /** AzureFirewallSubnet, GatewaySubnet, AzureBastionSubnet (names fixed by Azure). */
  subnets: Record<string, string>;
  ddosProtection: boolean;
  workspaceId: pulumi.Input<string>;
  flowLogs: {
    storageId: pulumi.Input<string>;
    retentionDays: number;
    workspaceResourceId: pulumi.Input<string>;
    workspaceCustomerId: pulumi.Input<string>;
  };
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
      ? new DdosProtectionPlan(
          `${name}-ddos`,
          {
            ddosProtectionPlanName: `ddos-${args.vnetName}`,
            resourceGroupName: args.resourceGroupName,
            location: args.location,
          },
          { parent: this },
        )
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

    const watcher = new NetworkWatcher(
      `${name}-watcher`,
      { networkWatcherName: `nw-${args.location}`, resourceGroupName: args.resourceGroupName, location: args.location },
      { parent: this },
    );

    // Azure allows no NSG on the firewall and gateway subnets; Bastion's gets one with its required rules.
    const bastionNsg = new NetworkSecurityGroup(
      `${name}-bastion-nsg`,
      {
        networkSecurityGroupName: `nsg-${args.vnetName}-bastion`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        securityRules: bastionRules,
      },
      { parent: this },
    );
    new FlowLog(
      `${name}-bastion-flow-log`,
      {
        flowLogName: `fl-${args.vnetName}-bastion`,
        networkWatcherName: watcher.name,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        targetResourceId: bastionNsg.id,
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
      `${name}-bastion-nsg-diagnostics`,
      { resourceUri: bastionNsg.id, workspaceId: args.workspaceId, metrics: false },
      this,
    );

    this.subnetIds = {};
    let previous: pulumi.Resource | undefined;
    for (const [subnetName, prefix] of Object.entries(args.subnets)) {
      // Azure rejects concurrent changes to subnets of one VNet ("AnotherOperationInProgress").
      const subnet: Subnet = new Subnet(
        `${name}-${subnetName}`,
        {
          subnetName,
          virtualNetworkName: vnet.name,
          resourceGroupName: args.resourceGroupName,
          addressPrefix: prefix,
          ...(subnetName === "AzureBastionSubnet" ? { networkSecurityGroup: { id: bastionNsg.id } } : {}),
        },
        { parent: this, ...(previous ? { dependsOn: [previous] } : {}) },
      );
      this.subnetIds[subnetName] = subnet.id;
      previous = subnet;
    }

    this.vnetId = vnet.id;
    this.vnetName = vnet.name;
    this.networkWatcherName = watcher.name;
    if (ddosPlan) this.ddosPlanId = ddosPlan.id;
    this.registerOutputs({
      vnetId: this.vnetId,
      subnetIds: this.subnetIds,
      networkWatcherName: this.networkWatcherName,
    });
  }
}
