// The secure baseline every storage account in the program starts from (BIO U.05.1, U.05.2, U.07.1,
// U.07.3): HTTPS only, TLS 1.2, no anonymous blob access, no shared keys (Entra ID only), firewall default
// deny with only trusted Azure services let through, and infrastructure (double) encryption.
import type { StorageAccountArgs } from "@pulumi/azure-native/storage/storageAccount.js";
import type * as pulumi from "@pulumi/pulumi";

export function secureStorageAccountArgs(args: {
  accountName: string;
  resourceGroupName: pulumi.Input<string>;
  location: string;
  kind?: string;
  sku?: string;
  publicNetworkAccess?: "Enabled" | "Disabled";
}): StorageAccountArgs {
  return {
    accountName: args.accountName,
    resourceGroupName: args.resourceGroupName,
    location: args.location,
    kind: args.kind ?? "StorageV2",
    sku: { name: args.sku ?? "Standard_ZRS" },
    enableHttpsTrafficOnly: true,
    minimumTlsVersion: "TLS1_2",
    allowBlobPublicAccess: false,
    allowSharedKeyAccess: false,
    defaultToOAuthAuthentication: true,
    allowCrossTenantReplication: false,
    publicNetworkAccess: args.publicNetworkAccess ?? "Disabled",
    networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
    encryption: {
      keySource: "Microsoft.Storage",
      requireInfrastructureEncryption: true,
      services: {
        blob: { enabled: true, keyType: "Account" },
        file: { enabled: true, keyType: "Account" },
        queue: { enabled: true, keyType: "Account" },
        table: { enabled: true, keyType: "Account" },
      },
    },
  };
}
