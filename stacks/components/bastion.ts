// Azure Bastion: administrators reach VMs over SSH/RDP through the portal, never through a public IP on
// the VM. Shareable links stay off; tunneling allows native clients for operations.
import { BastionHost } from "@pulumi/azure-native/network/bastionHost.js";
import { PublicIPAddress } from "@pulumi/azure-native/network/publicIPAddress.js";
import * as pulumi from "@pulumi/pulumi";
import { sendDiagnostics } from "../diagnostics.js";
import { publicIpArgs } from "../publicIp.js";

export interface BastionArgs {
  location: string;
  /** Whether the VNets have a DDoS protection plan the public IP inherits. */
  ddosProtection: boolean;
  resourceGroupName: pulumi.Input<string>;
  baseName: string;
  subnetId: pulumi.Input<string>;
  workspaceId: pulumi.Input<string>;
}

export class Bastion extends pulumi.ComponentResource {
  readonly bastionId: pulumi.Output<string>;

  constructor(name: string, args: BastionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muniops:network:Bastion", name, {}, opts);
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
    const host = new BastionHost(
      `${name}-host`,
      {
        bastionHostName: args.baseName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        sku: { name: "Standard" },
        enableTunneling: true,
        enableShareableLink: false,
        enableFileCopy: false,
        ipConfigurations: [{ name: "ipconfig", subnet: { id: args.subnetId }, publicIPAddress: { id: publicIp.id } }],
      },
      { parent: this },
    );
    sendDiagnostics(`${name}-diagnostics`, { resourceUri: host.id, workspaceId: args.workspaceId }, this);
    sendDiagnostics(`${name}-pip-diagnostics`, { resourceUri: publicIp.id, workspaceId: args.workspaceId }, this);
    this.bastionId = host.id;
    this.registerOutputs({ bastionId: this.bastionId });
  }
}
