// Site-to-site VPN from the hub to the town hall's on-premises network: a route-based VPN gateway, the
// town hall as a local network gateway, and an IKEv2 connection whose pre-shared key is a config secret.
import { LocalNetworkGateway } from "@pulumi/azure-native/network/localNetworkGateway.js";
import { PublicIPAddress } from "@pulumi/azure-native/network/publicIPAddress.js";
import { VirtualNetworkGateway } from "@pulumi/azure-native/network/virtualNetworkGateway.js";
import { VirtualNetworkGatewayConnection } from "@pulumi/azure-native/network/virtualNetworkGatewayConnection.js";
import * as pulumi from "@pulumi/pulumi";
import { sendDiagnostics } from "../diagnostics.js";
import { publicIpArgs } from "../publicIp.js";

export interface TownHallVpnArgs {
  location: string;
  /** Whether the VNets have a DDoS protection plan the public IP inherits. */
  ddosProtection: boolean;
  resourceGroupName: pulumi.Input<string>;
  baseName: string;
  gatewaySubnetId: pulumi.Input<string>;
  townHallGatewayAddress: string;
  townHallAddressSpaces: string[];
  sharedKey: pulumi.Input<string>;
  workspaceId: pulumi.Input<string>;
}

export class TownHallVpn extends pulumi.ComponentResource {
  readonly gatewayId: pulumi.Output<string>;
  /** Spokes that use the gateway (useRemoteGateways) must wait for it. */
  readonly gateway: VirtualNetworkGateway;

  constructor(name: string, args: TownHallVpnArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muniops:network:TownHallVpn", name, {}, opts);
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
    this.gateway = new VirtualNetworkGateway(
      `${name}-gateway`,
      {
        virtualNetworkGatewayName: `vgw-${args.baseName}`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        gatewayType: "Vpn",
        vpnType: "RouteBased",
        vpnGatewayGeneration: "Generation2",
        sku: { name: "VpnGw2AZ", tier: "VpnGw2AZ" },
        activeActive: false,
        enableBgp: false,
        ipConfigurations: [
          {
            name: "ipconfig",
            privateIPAllocationMethod: "Dynamic",
            subnet: { id: args.gatewaySubnetId },
            publicIPAddress: { id: publicIp.id },
          },
        ],
      },
      { parent: this },
    );
    const townHall = new LocalNetworkGateway(
      `${name}-town-hall`,
      {
        localNetworkGatewayName: `lgw-${args.baseName}-town-hall`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        gatewayIpAddress: args.townHallGatewayAddress,
        localNetworkAddressSpace: { addressPrefixes: args.townHallAddressSpaces },
      },
      { parent: this },
    );
    new VirtualNetworkGatewayConnection(
      `${name}-connection`,
      {
        virtualNetworkGatewayConnectionName: `cn-${args.baseName}-town-hall`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        connectionType: "IPsec",
        connectionProtocol: "IKEv2",
        virtualNetworkGateway1: { id: this.gateway.id },
        localNetworkGateway2: { id: townHall.id },
        sharedKey: pulumi.secret(args.sharedKey),
        // Forum Standaardisatie: AES-256-GCM and SHA-256 class algorithms with a strong DH group.
        ipsecPolicies: [
          {
            ikeEncryption: "GCMAES256",
            ikeIntegrity: "SHA384",
            dhGroup: "DHGroup24",
            ipsecEncryption: "GCMAES256",
            ipsecIntegrity: "GCMAES256",
            pfsGroup: "PFS24",
            saLifeTimeSeconds: 27000,
            saDataSizeKilobytes: 102400000,
          },
        ],
      },
      { parent: this },
    );
    sendDiagnostics(
      `${name}-gateway-diagnostics`,
      { resourceUri: this.gateway.id, workspaceId: args.workspaceId },
      this,
    );
    sendDiagnostics(`${name}-pip-diagnostics`, { resourceUri: publicIp.id, workspaceId: args.workspaceId }, this);
    this.gatewayId = this.gateway.id;
    this.registerOutputs({ gatewayId: this.gatewayId });
  }
}
