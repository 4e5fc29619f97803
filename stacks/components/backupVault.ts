// The Recovery Services vault and the daily VM backup policy every server is protected with (BIO U.03,
// U.04.1: restore within the agreed period).
import { ProtectionPolicy } from "@pulumi/azure-native/recoveryservices/protectionPolicy.js";
import { Vault } from "@pulumi/azure-native/recoveryservices/vault.js";
import * as pulumi from "@pulumi/pulumi";
import { sendDiagnostics } from "../diagnostics.js";

export interface BackupVaultArgs {
  location: string;
  resourceGroupName: pulumi.Input<string>;
  vaultName: string;
  retentionDays: number;
  /** "HH:MM", UTC. */
  scheduleTimeUtc: string;
  workspaceId: pulumi.Input<string>;
}

export class BackupVault extends pulumi.ComponentResource {
  readonly vaultName: pulumi.Output<string>;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly policyId: pulumi.Output<string>;

  constructor(name: string, args: BackupVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muniops:backup:BackupVault", name, {}, opts);
    const vault = new Vault(
      `${name}-vault`,
      {
        vaultName: args.vaultName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        sku: { name: "RS0", tier: "Standard" },
        properties: {
          publicNetworkAccess: "Disabled",
          securitySettings: {
            immutabilitySettings: { state: "Unlocked" },
            softDeleteSettings: { softDeleteState: "AlwaysON", softDeleteRetentionPeriodInDays: 14 },
          },
        },
      },
      { parent: this },
    );
    const scheduled = `2024-01-01T${args.scheduleTimeUtc}:00Z`;
    const policy = new ProtectionPolicy(
      `${name}-daily`,
      {
        policyName: "daily-vm",
        vaultName: vault.name,
        resourceGroupName: args.resourceGroupName,
        properties: {
          backupManagementType: "AzureIaasVM",
          policyType: "V2",
          timeZone: "W. Europe Standard Time",
          instantRpRetentionRangeInDays: 2,
          schedulePolicy: {
            schedulePolicyType: "SimpleSchedulePolicyV2",
            scheduleRunFrequency: "Daily",
            dailySchedule: { scheduleRunTimes: [scheduled] },
          },
          retentionPolicy: {
            retentionPolicyType: "LongTermRetentionPolicy",
            dailySchedule: {
              retentionTimes: [scheduled],
              retentionDuration: { count: args.retentionDays, durationType: "Days" },
            },
          },
        },
      },
      { parent: this },
    );
    sendDiagnostics(`${name}-diagnostics`, { resourceUri: vault.id, workspaceId: args.workspaceId }, this);
    this.vaultName = vault.name;
    this.resourceGroupName = args.resourceGroupName;
    this.policyId = policy.id;
    this.registerOutputs({ vaultName: this.vaultName, policyId: this.policyId });
  }
}
