// Which resources carry tags. Azure rejects `tags` on child resources (subnets, security rules,
// diagnostic settings, file shares), so tag rules apply to the taggable top-level types below and to
// any other azure-native resource that sets `tags` itself.
import { at } from "./props.js";

const taggableTypes = new Set([
  "azure-native:resources:ResourceGroup",
  "azure-native:network:VirtualNetwork",
  "azure-native:network:NetworkSecurityGroup",
  "azure-native:network:NetworkInterface",
  "azure-native:network:PublicIPAddress",
  "azure-native:network:ApplicationGateway",
  "azure-native:network:WebApplicationFirewallPolicy",
  "azure-native:network:AzureFirewall",
  "azure-native:network:FirewallPolicy",
  "azure-native:network:BastionHost",
  "azure-native:network:VirtualNetworkGateway",
  "azure-native:network:NetworkWatcher",
  "azure-native:network:FlowLog",
  "azure-native:network:PrivateEndpoint",
  "azure-native:network:RouteTable",
  "azure-native:network:DdosProtectionPlan",
  "azure-native:compute:VirtualMachine",
  "azure-native:compute:Disk",
  "azure-native:compute:DiskEncryptionSet",
  "azure-native:storage:StorageAccount",
  "azure-native:keyvault:Vault",
  "azure-native:operationalinsights:Workspace",
  "azure-native:recoveryservices:Vault",
]);

export function isTaggable(type: string, props: unknown): boolean {
  if (!type.startsWith("azure-native:")) return false;
  return taggableTypes.has(type) || at(props, "tags") !== undefined;
}
