// The Key Vault holding the VPN pre-shared key and the admin secrets (given with `pulumi config set
// --secret`): RBAC only, soft delete with purge protection, firewall default deny, reached through a
// private endpoint in the management spoke.
import { Secret } from "@pulumi/azure-native/keyvault/secret.js";
import { Vault } from "@pulumi/azure-native/keyvault/vault.js";
import * as pulumi from "@pulumi/pulumi";
import { sendDiagnostics } from "../diagnostics.js";
import { PrivateLink } from "./privateLink.js";

export interface KeyVaultArgs {
  location: string;
  resourceGroupName: pulumi.Input<string>;
  vaultName: string;
  tenantId: pulumi.Input<string>;
  endpointSubnetId: pulumi.Input<string>;
  privateDnsZoneId: pulumi.Input<string>;
  workspaceId: pulumi.Input<string>;
  /** Secrets to store, by name; values stay Pulumi secrets. */
  secrets: Record<string, pulumi.Input<string>>;
  /** Secret expiry (BIO U.11.2: keys and secrets are rotated), as epoch seconds. */
  secretsExpireAt: number;
}

export class KeyVault extends pulumi.ComponentResource {
  readonly vaultId: pulumi.Output<string>;
  readonly vaultName: pulumi.Output<string>;

  constructor(name: string, args: KeyVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muniops:security:KeyVault", name, {}, opts);
    const vault = new Vault(
      `${name}-vault`,
      {
        vaultName: args.vaultName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        properties: {
          tenantId: args.tenantId,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: 90,
          enablePurgeProtection: true,
          publicNetworkAccess: "Disabled",
          networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
        },
      },
      { parent: this },
    );
    new PrivateLink(
      `${name}-private`,
      {
        location: args.location,
        resourceGroupName: args.resourceGroupName,
        endpointName: `pe-${args.vaultName}`,
        subnetId: args.endpointSubnetId,
        targetResourceId: vault.id,
        groupId: "vault",
        privateDnsZoneId: args.privateDnsZoneId,
      },
      { parent: this },
    );
    for (const [secretName, value] of Object.entries(args.secrets)) {
      new Secret(
        `${name}-${secretName}`,
        {
          secretName,
          vaultName: vault.name,
          resourceGroupName: args.resourceGroupName,
          properties: { value: pulumi.secret(value), attributes: { enabled: true, expires: args.secretsExpireAt } },
        },
        { parent: this },
      );
    }
    sendDiagnostics(`${name}-diagnostics`, { resourceUri: vault.id, workspaceId: args.workspaceId }, this);
    this.vaultId = vault.id;
    this.vaultName = vault.name;
    this.registerOutputs({ vaultId: this.vaultId });
  }
}
