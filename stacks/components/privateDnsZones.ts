// The privatelink DNS zones (blob, file, key vault), linked to the hub: the firewall's DNS proxy answers
// the spokes from them, so private endpoints resolve to private addresses everywhere.
import { PrivateZone } from "@pulumi/azure-native/privatedns/privateZone.js";
import { VirtualNetworkLink } from "@pulumi/azure-native/privatedns/virtualNetworkLink.js";
import * as pulumi from "@pulumi/pulumi";

export const privateLinkZones = {
  blob: "privatelink.blob.core.windows.net",
  file: "privatelink.file.core.windows.net",
  vault: "privatelink.vaultcore.azure.net",
} as const;
export type PrivateLinkZone = keyof typeof privateLinkZones;

export interface PrivateDnsZonesArgs {
  resourceGroupName: pulumi.Input<string>;
  hubVnetId: pulumi.Input<string>;
}

export class PrivateDnsZones extends pulumi.ComponentResource {
  readonly zoneIds: Record<PrivateLinkZone, pulumi.Output<string>>;

  constructor(name: string, args: PrivateDnsZonesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muniops:network:PrivateDnsZones", name, {}, opts);
    const ids: Partial<Record<PrivateLinkZone, pulumi.Output<string>>> = {};
    for (const [key, zoneName] of Object.entries(privateLinkZones) as [PrivateLinkZone, string][]) {
      const zone = new PrivateZone(
        `${name}-${key}`,
        { privateZoneName: zoneName, resourceGroupName: args.resourceGroupName, location: "global" },
        { parent: this },
      );
      new VirtualNetworkLink(
        `${name}-${key}-hub-link`,
        {
          virtualNetworkLinkName: "hub",
          privateZoneName: zone.name,
          resourceGroupName: args.resourceGroupName,
          location: "global",
          virtualNetwork: { id: args.hubVnetId },
          registrationEnabled: false,
        },
        { parent: this },
      );
      ids[key] = zone.id;
    }
    this.zoneIds = ids as Record<PrivateLinkZone, pulumi.Output<string>>;
    this.registerOutputs({ zoneIds: this.zoneIds });
  }
}
