// The arguments of every public IP in the landing zone (firewall, Bastion, VPN gateway, application
// gateway — nothing else gets one): Standard SKU, static, zone-redundant, and covered by the VNet's
// DDoS protection plan when the stack has one (BIO U.12.1).
import type { PublicIPAddressArgs } from "@pulumi/azure-native/network/publicIPAddress.js";
import type * as pulumi from "@pulumi/pulumi";

export function publicIpArgs(args: {
  name: string;
  resourceGroupName: pulumi.Input<string>;
  location: string;
  ddosProtection: boolean;
}): PublicIPAddressArgs {
  return {
    publicIpAddressName: args.name,
    resourceGroupName: args.resourceGroupName,
    location: args.location,
    sku: { name: "Standard", tier: "Regional" },
    publicIPAllocationMethod: "Static",
    zones: ["1", "2", "3"],
    ...(args.ddosProtection ? { ddosSettings: { protectionMode: "VirtualNetworkInherited" } } : {}),
  };
}
