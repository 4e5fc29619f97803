// Azure resource ids for the types the program creates, built from the same name inputs Azure uses,
// so ids in a plan look like the ones `pulumi up` reports. A type missing here fails the plan loudly.

type Inputs = Record<string, unknown>;

const network = "providers/Microsoft.Network";
/** Path below the resource group, with {input} placeholders. */
const templates: Record<string, string> = {
  "network:VirtualNetwork": `${network}/virtualNetworks/{virtualNetworkName}`,
  "network:Subnet": `${network}/virtualNetworks/{virtualNetworkName}/subnets/{subnetName}`,
  "network:VirtualNetworkPeering":
    `${network}/virtualNetworks/{virtualNetworkName}/` + `virtualNetworkPeerings/{virtualNetworkPeeringName}`,
  "network:NetworkSecurityGroup": `${network}/networkSecurityGroups/{networkSecurityGroupName}`,
  "network:RouteTable": `${network}/routeTables/{routeTableName}`,
  "network:Route": `${network}/routeTables/{routeTableName}/routes/{routeName}`,
  "network:PublicIPAddress": `${network}/publicIPAddresses/{publicIpAddressName}`,
  "network:AzureFirewall": `${network}/azureFirewalls/{azureFirewallName}`,
  "network:FirewallPolicy": `${network}/firewallPolicies/{firewallPolicyName}`,
  "network:FirewallPolicyRuleCollectionGroup":
    `${network}/firewallPolicies/{firewallPolicyName}/` + `ruleCollectionGroups/{ruleCollectionGroupName}`,
  "network:BastionHost": `${network}/bastionHosts/{bastionHostName}`,
  "network:VirtualNetworkGateway": `${network}/virtualNetworkGateways/{virtualNetworkGatewayName}`,
  "network:LocalNetworkGateway": `${network}/localNetworkGateways/{localNetworkGatewayName}`,
  "network:VirtualNetworkGatewayConnection": `${network}/connections/{virtualNetworkGatewayConnectionName}`,
  "network:DdosProtectionPlan": `${network}/ddosProtectionPlans/{ddosProtectionPlanName}`,
  "network:NetworkWatcher": `${network}/networkWatchers/{networkWatcherName}`,
  "network:FlowLog": `${network}/networkWatchers/{networkWatcherName}/flowLogs/{flowLogName}`,
  "network:NetworkInterface": `${network}/networkInterfaces/{networkInterfaceName}`,
  "network:PrivateEndpoint": `${network}/privateEndpoints/{privateEndpointName}`,
  "network:PrivateDnsZoneGroup":
    `${network}/privateEndpoints/{privateEndpointName}/` + `privateDnsZoneGroups/{privateDnsZoneGroupName}`,
  "network:ApplicationGateway": `${network}/applicationGateways/{applicationGatewayName}`,
  "network:WebApplicationFirewallPolicy": `${network}/ApplicationGatewayWebApplicationFirewallPolicies/{policyName}`,
  "privatedns:PrivateZone": `${network}/privateDnsZones/{privateZoneName}`,
  "privatedns:VirtualNetworkLink":
    `${network}/privateDnsZones/{privateZoneName}/` + `virtualNetworkLinks/{virtualNetworkLinkName}`,
  "compute:VirtualMachine": "providers/Microsoft.Compute/virtualMachines/{vmName}",
  "compute:VirtualMachineExtension":
    "providers/Microsoft.Compute/virtualMachines/{vmName}/extensions/{vmExtensionName}",
  "storage:StorageAccount": "providers/Microsoft.Storage/storageAccounts/{accountName}",
  "storage:FileServiceProperties":
    "providers/Microsoft.Storage/storageAccounts/{accountName}/fileServices/{fileServicesName}",
  "storage:FileShare":
    "providers/Microsoft.Storage/storageAccounts/{accountName}/fileServices/default/shares/{shareName}",
  "keyvault:Vault": "providers/Microsoft.KeyVault/vaults/{vaultName}",
  "keyvault:Secret": "providers/Microsoft.KeyVault/vaults/{vaultName}/secrets/{secretName}",
  "operationalinsights:Workspace": "providers/Microsoft.OperationalInsights/workspaces/{workspaceName}",
  "recoveryservices:Vault": "providers/Microsoft.RecoveryServices/vaults/{vaultName}",
  "recoveryservices:ProtectionPolicy":
    "providers/Microsoft.RecoveryServices/vaults/{vaultName}/backupPolicies/{policyName}",
  "recoveryservices:ProtectedItem":
    "providers/Microsoft.RecoveryServices/vaults/{vaultName}/backupFabrics/{fabricName}/protectionContainers/" +
    "{containerName}/protectedItems/{protectedItemName}",
  "managedidentity:UserAssignedIdentity": "providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}",
};

/** Extension resources live below the resource they extend. */
const extensionTemplates: Record<string, { scope: string; path: string }> = {
  "monitor:DiagnosticSetting": { scope: "resourceUri", path: "providers/Microsoft.Insights/diagnosticSettings/{name}" },
  "authorization:RoleAssignment": {
    scope: "scope",
    path: "providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
  },
};

function fill(template: string, inputs: Inputs, type: string): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = inputs[key];
    if (typeof value !== "string" || value === "")
      throw new Error(`mock: ${type} needs a "${key}" input to form its Azure id`);
    return value;
  });
}

export function armIdFor(token: string, inputs: Inputs, subscriptionId: string): string {
  const type = token.replace(/^azure-native:/, "");
  if (type === "resources:ResourceGroup")
    return `/subscriptions/${subscriptionId}/resourceGroups/${fill("{resourceGroupName}", inputs, token)}`;
  const extension = extensionTemplates[type];
  if (extension) return `${fill(`{${extension.scope}}`, inputs, token)}/${fill(extension.path, inputs, token)}`;
  const template = templates[type];
  if (!template) throw new Error(`Mock not implemented: resource ${token}`);
  return (
    `/subscriptions/${subscriptionId}/resourceGroups/${fill("{resourceGroupName}", inputs, token)}/` +
    fill(template, inputs, token)
  );
}
