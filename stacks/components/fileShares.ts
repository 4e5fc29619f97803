// The departments' file shares: one storage account on the secure baseline (private endpoint only,
// Entra Kerberos for SMB instead of shared keys), SMB 3.1.1 with AES-256-GCM, share soft delete, and
// one share per department with its quota.
import { FileServiceProperties } from "@pulumi/azure-native/storage/fileServiceProperties.js";
import { FileShare } from "@pulumi/azure-native/storage/fileShare.js";
import { StorageAccount } from "@pulumi/azure-native/storage/storageAccount.js";
import * as pulumi from "@pulumi/pulumi";
import type { ShareSpec } from "../config.js";
import { sendDiagnostics } from "../diagnostics.js";
import { secureStorageAccountArgs } from "../storageBaseline.js";
import { PrivateLink } from "./privateLink.js";

export interface FileSharesArgs {
  location: string;
  resourceGroupName: pulumi.Input<string>;
  accountName: string;
  shares: ShareSpec[];
  endpointSubnetId: pulumi.Input<string>;
  privateDnsZoneId: pulumi.Input<string>;
  workspaceId: pulumi.Input<string>;
}

export class FileShares extends pulumi.ComponentResource {
  readonly accountId: pulumi.Output<string>;

  constructor(name: string, args: FileSharesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muniops:storage:FileShares", name, {}, opts);
    const account = new StorageAccount(
      `${name}-account`,
      {
        ...secureStorageAccountArgs({
          accountName: args.accountName,
          resourceGroupName: args.resourceGroupName,
          location: args.location,
        }),
        largeFileSharesState: "Enabled",
        azureFilesIdentityBasedAuthentication: { directoryServiceOptions: "AADKERB" },
      },
      { parent: this },
    );
    const service = new FileServiceProperties(
      `${name}-smb`,
      {
        accountName: account.name,
        resourceGroupName: args.resourceGroupName,
        fileServicesName: "default",
        protocolSettings: {
          smb: {
            versions: "SMB3.1.1",
            channelEncryption: "AES-256-GCM",
            authenticationMethods: "Kerberos",
            kerberosTicketEncryption: "AES-256",
          },
        },
        shareDeleteRetentionPolicy: { enabled: true, days: 14 },
      },
      { parent: this },
    );
    for (const share of args.shares) {
      new FileShare(
        `${name}-${share.name}`,
        {
          shareName: share.name,
          accountName: account.name,
          resourceGroupName: args.resourceGroupName,
          shareQuota: share.quotaGiB,
          accessTier: share.tier,
          enabledProtocols: "SMB",
          metadata: { department: share.department },
        },
        { parent: this, dependsOn: [service] },
      );
    }
    new PrivateLink(
      `${name}-private`,
      {
        location: args.location,
        resourceGroupName: args.resourceGroupName,
        endpointName: `pe-${args.accountName}-file`,
        subnetId: args.endpointSubnetId,
        targetResourceId: account.id,
        groupId: "file",
        privateDnsZoneId: args.privateDnsZoneId,
      },
      { parent: this },
    );
    sendDiagnostics(
      `${name}-account-diagnostics`,
      { resourceUri: account.id, workspaceId: args.workspaceId, logs: false },
      this,
    );
    sendDiagnostics(
      `${name}-file-diagnostics`,
      { resourceUri: pulumi.interpolate`${account.id}/fileServices/default`, workspaceId: args.workspaceId },
      this,
    );
    this.accountId = account.id;
    this.registerOutputs({ accountId: this.accountId });
  }
}
