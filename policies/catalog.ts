// Every policy of the pack, one module per policy (rules/<id>.ts). Importing this file does not start
// CrossGuard's gRPC server: only index.ts constructs the PolicyPack.
import type { MuniPolicy, MuniResourcePolicy, MuniStackPolicy } from "./policy.js";
import azureDepartmentRequireCostCentre from "./rules/azure-department-require-cost-centre.js";
import azureResourceRequireEuLocation from "./rules/azure-resource-require-eu-location.js";
import azureResourceRequireKnownDepartment from "./rules/azure-resource-require-known-department.js";
import azureResourceRequireKnownEnvironment from "./rules/azure-resource-require-known-environment.js";
import azureResourceRequireManagedByPulumi from "./rules/azure-resource-require-managed-by-pulumi.js";
import azureResourceRequireTags from "./rules/azure-resource-require-tags.js";
import computeDiskRequireEncryption from "./rules/compute-disk-require-encryption.js";
import computeDiskEncryptionSetDoubleEncryption from "./rules/compute-diskencryptionset-require-double-encryption.js";
import computeVmNoPasswordAuth from "./rules/compute-virtualmachine-disallow-password-authentication.js";
import computeVirtualmachineRequireAllowedSize from "./rules/compute-virtualmachine-require-allowed-size.js";
import computeVirtualmachineRequireBackup from "./rules/compute-virtualmachine-require-backup.js";
import computeVirtualmachineRequireEncryptionAtHost from "./rules/compute-virtualmachine-require-encryption-at-host.js";
import computeVirtualmachineRequireManagedDisks from "./rules/compute-virtualmachine-require-managed-disks.js";
import computeVirtualmachineRequireTrustedLaunch from "./rules/compute-virtualmachine-require-trusted-launch.js";
import keyvaultKeyRequireExpiry from "./rules/keyvault-key-require-expiry.js";
import keyvaultSecretRequireExpiry from "./rules/keyvault-secret-require-expiry.js";
import keyvaultVaultRequireFirewall from "./rules/keyvault-vault-require-firewall.js";
import keyvaultVaultRequirePurgeProtection from "./rules/keyvault-vault-require-purge-protection.js";
import keyvaultVaultRequireRbacAuthorization from "./rules/keyvault-vault-require-rbac-authorization.js";
import keyvaultVaultRequireSoftDelete from "./rules/keyvault-vault-require-soft-delete.js";
import monitorDiagnosticSettingCriticalResources from "./rules/monitor-diagnosticsetting-require-critical-resources.js";
import networkAppGatewayRequireHttpsListeners from "./rules/network-applicationgateway-require-https-listeners.js";
import networkApplicationgatewayRequireTls12Policy from "./rules/network-applicationgateway-require-tls12-policy.js";
import networkAppGatewayRequireWafPrevention from "./rules/network-applicationgateway-require-waf-prevention.js";
import networkAzurefirewallRequireFirewallPolicy from "./rules/network-azurefirewall-require-firewall-policy.js";
import networkBastionhostDisallowShareableLink from "./rules/network-bastionhost-disallow-shareable-link.js";
import networkFirewallpolicyRequireIdpsDeny from "./rules/network-firewallpolicy-require-idps-deny.js";
import networkFirewallpolicyRequireThreatIntelDeny from "./rules/network-firewallpolicy-require-threat-intel-deny.js";
import networkFlowlogRequireRetention from "./rules/network-flowlog-require-retention.js";
import networkNetworkinterfaceDisallowIpForwarding from "./rules/network-networkinterface-disallow-ip-forwarding.js";
import networkNetworkinterfaceDisallowPublicIp from "./rules/network-networkinterface-disallow-public-ip.js";
import networkNsgDisallowInternetAnyPort from "./rules/network-networksecuritygroup-disallow-internet-any-port.js";
import networkNsgDisallowInternetRdp from "./rules/network-networksecuritygroup-disallow-internet-rdp.js";
import networkNsgDisallowInternetSsh from "./rules/network-networksecuritygroup-disallow-internet-ssh.js";
import networkNetworksecuritygroupRequireFlowLog from "./rules/network-networksecuritygroup-require-flow-log.js";
import networkNetworkwatcherRequirePerLocation from "./rules/network-networkwatcher-require-per-location.js";
import networkPublicipaddressRequireDdosProtection from "./rules/network-publicipaddress-require-ddos-protection.js";
import networkSubnetRequireNsg from "./rules/network-subnet-require-nsg.js";
import networkVirtualnetworkgatewayRequireEntraP2s from "./rules/network-virtualnetworkgateway-require-entra-p2s.js";
import networkWafPolicyRequireManagedRules from "./rules/network-webapplicationfirewallpolicy-require-managed-rules.js";
import networkWafPolicyPreventionMode from "./rules/network-webapplicationfirewallpolicy-require-prevention-mode.js";
import logAnalyticsDisallowLocalAuth from "./rules/operationalinsights-workspace-disallow-local-auth.js";
import operationalinsightsWorkspaceRequireRetention from "./rules/operationalinsights-workspace-require-retention.js";
import storageAccountDisallowPublicBlobAccess from "./rules/storage-account-disallow-public-blob-access.js";
import storageAccountDisallowPublicNetworkAccess from "./rules/storage-account-disallow-public-network-access.js";
import storageAccountDisallowSharedKey from "./rules/storage-account-disallow-shared-key.js";
import storageAccountRequireCustomerManagedKey from "./rules/storage-account-require-customer-managed-key.js";
import storageAccountRequireDefaultDeny from "./rules/storage-account-require-default-deny.js";
import storageAccountRequireHttps from "./rules/storage-account-require-https.js";
import storageAccountRequireInfraEncryption from "./rules/storage-account-require-infrastructure-encryption.js";
import storageAccountRequireTls12 from "./rules/storage-account-require-tls12.js";
import storageFileserviceRequireShareSoftDelete from "./rules/storage-fileservice-require-share-soft-delete.js";
import storageFileserviceRequireSmbEncryption from "./rules/storage-fileservice-require-smb-encryption.js";

export const policies: readonly MuniPolicy[] = [
  azureDepartmentRequireCostCentre,
  azureResourceRequireEuLocation,
  azureResourceRequireKnownDepartment,
  azureResourceRequireKnownEnvironment,
  azureResourceRequireManagedByPulumi,
  azureResourceRequireTags,
  computeDiskRequireEncryption,
  computeDiskEncryptionSetDoubleEncryption,
  computeVmNoPasswordAuth,
  computeVirtualmachineRequireAllowedSize,
  computeVirtualmachineRequireBackup,
  computeVirtualmachineRequireEncryptionAtHost,
  computeVirtualmachineRequireManagedDisks,
  computeVirtualmachineRequireTrustedLaunch,
  keyvaultKeyRequireExpiry,
  keyvaultSecretRequireExpiry,
  keyvaultVaultRequireFirewall,
  keyvaultVaultRequirePurgeProtection,
  keyvaultVaultRequireRbacAuthorization,
  keyvaultVaultRequireSoftDelete,
  monitorDiagnosticSettingCriticalResources,
  networkAppGatewayRequireHttpsListeners,
  networkApplicationgatewayRequireTls12Policy,
  networkAppGatewayRequireWafPrevention,
  networkAzurefirewallRequireFirewallPolicy,
  networkBastionhostDisallowShareableLink,
  networkFirewallpolicyRequireIdpsDeny,
  networkFirewallpolicyRequireThreatIntelDeny,
  networkFlowlogRequireRetention,
  networkNetworkinterfaceDisallowIpForwarding,
  networkNetworkinterfaceDisallowPublicIp,
  networkNsgDisallowInternetAnyPort,
  networkNsgDisallowInternetRdp,
  networkNsgDisallowInternetSsh,
  networkNetworksecuritygroupRequireFlowLog,
  networkNetworkwatcherRequirePerLocation,
  networkPublicipaddressRequireDdosProtection,
  networkSubnetRequireNsg,
  networkVirtualnetworkgatewayRequireEntraP2s,
  networkWafPolicyRequireManagedRules,
  networkWafPolicyPreventionMode,
  logAnalyticsDisallowLocalAuth,
  operationalinsightsWorkspaceRequireRetention,
  storageAccountDisallowPublicBlobAccess,
  storageAccountDisallowPublicNetworkAccess,
  storageAccountDisallowSharedKey,
  storageAccountRequireCustomerManagedKey,
  storageAccountRequireDefaultDeny,
  storageAccountRequireHttps,
  storageAccountRequireInfraEncryption,
  storageAccountRequireTls12,
  storageFileserviceRequireShareSoftDelete,
  storageFileserviceRequireSmbEncryption,
];

export const resourcePolicies: readonly MuniResourcePolicy[] = policies.filter(
  (p): p is MuniResourcePolicy => p.kind === "resource",
);
export const stackPolicies: readonly MuniStackPolicy[] = policies.filter(
  (p): p is MuniStackPolicy => p.kind === "stack",
);

export function policyById(id: string): MuniPolicy | undefined {
  return policies.find((p) => p.name === id);
}
