// A private endpoint for one Azure service, registered in the matching privatelink DNS zone, so the
// service is reached on a private address and its public endpoint can stay closed.
import { PrivateDnsZoneGroup } from "@pulumi/azure-native/network/privateDnsZoneGroup.js";
import { PrivateEndpoint } from "@pulumi/azure-native/network/privateEndpoint.js";
import * as pulumi from "@pulumi/pulumi";

export interface PrivateLinkArgs {
  location: string;
  resourceGroupName: pulumi.Input<string>;
  endpointName: string;
  subnetId: pulumi.Input<string>;
  targetResourceId: pulumi.Input<string>;
  /** The sub-resource: "file", "blob", "vault", "sites", … */
  groupId: string;
  /** The privatelink zone to register in; omitted for services whose DNS is managed elsewhere. */
  privateDnsZoneId?: pulumi.Input<string>;
}

export class PrivateLink extends pulumi.ComponentResource {
  readonly endpointId: pulumi.Output<string>;

  constructor(name: string, args: PrivateLinkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muniops:network:PrivateLink", name, {}, opts);
    const endpoint = new PrivateEndpoint(
      `${name}-endpoint`,
      {
        privateEndpointName: args.endpointName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        subnet: { id: args.subnetId },
        privateLinkServiceConnections: [
          { name: args.endpointName, privateLinkServiceId: args.targetResourceId, groupIds: [args.groupId] },
        ],
      },
      { parent: this },
    );
    if (args.privateDnsZoneId !== undefined) {
      new PrivateDnsZoneGroup(
        `${name}-dns`,
        {
          privateDnsZoneGroupName: "default",
          privateEndpointName: endpoint.name,
          resourceGroupName: args.resourceGroupName,
          privateDnsZoneConfigs: [{ name: args.groupId, privateDnsZoneId: args.privateDnsZoneId }],
        },
        { parent: this },
      );
    }
    this.endpointId = endpoint.id;
    this.registerOutputs({ endpointId: this.endpointId });
  }
}
