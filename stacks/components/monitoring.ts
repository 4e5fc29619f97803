// Central monitoring: the Log Analytics workspace every diagnostic setting sends to (retention from
// config) and the storage account that keeps NSG flow logs.
import { Workspace } from "@pulumi/azure-native/operationalinsights/workspace.js";
import { StorageAccount } from "@pulumi/azure-native/storage/storageAccount.js";
import * as pulumi from "@pulumi/pulumi";
import { sendDiagnostics } from "../diagnostics.js";
import { secureStorageAccountArgs } from "../storageBaseline.js";

export interface MonitoringArgs {
  location: string;
  resourceGroupName: pulumi.Input<string>;
  workspaceName: string;
  retentionDays: number;
  flowLogAccountName: string;
}

export class Monitoring extends pulumi.ComponentResource {
  readonly workspaceId: pulumi.Output<string>;
  readonly workspaceCustomerId: pulumi.Output<string>;
  readonly flowLogStorageId: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muniops:monitoring:Monitoring", name, {}, opts);
    const workspace = new Workspace(
      `${name}-workspace`,
      {
        workspaceName: args.workspaceName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        sku: { name: "PerGB2018" },
        retentionInDays: args.retentionDays,
        features: { disableLocalAuth: true, enableLogAccessUsingOnlyResourcePermissions: true },
      },
      { parent: this },
    );
    // Network Watcher writes flow logs as a trusted Azure service, so the account can stay closed.
    const flowLogs = new StorageAccount(
      `${name}-flow-logs`,
      secureStorageAccountArgs({
        accountName: args.flowLogAccountName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        publicNetworkAccess: "Enabled",
      }),
      { parent: this },
    );
    sendDiagnostics(
      `${name}-flow-logs-diagnostics`,
      { resourceUri: flowLogs.id, workspaceId: workspace.id, logs: false },
      this,
    );

    this.workspaceId = workspace.id;
    this.workspaceCustomerId = workspace.customerId;
    this.flowLogStorageId = flowLogs.id;
    this.registerOutputs({ workspaceId: this.workspaceId, flowLogStorageId: this.flowLogStorageId });
  }
}
