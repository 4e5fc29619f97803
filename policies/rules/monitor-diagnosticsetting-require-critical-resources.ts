import { stackPolicy } from "../policy.js";
import { dependsOn, ofType, types } from "../lib/graph.js";

/** BIO U.15.3's list of assets critical for logging (Azure Policy 7f89b1eb's resource types). */
export const criticalTypes = [
  "azure-native:network:NetworkSecurityGroup",
  "azure-native:network:ApplicationGateway",
  "azure-native:network:AzureFirewall",
  "azure-native:network:PublicIPAddress",
  "azure-native:network:BastionHost",
  "azure-native:network:VirtualNetworkGateway",
  "azure-native:keyvault:Vault",
  "azure-native:storage:StorageAccount",
];

export default stackPolicy({
  name: "monitor-diagnosticsetting-require-critical-resources",
  displayName: "Critical resources send diagnostics to the central workspace",
  description:
    "Firewalls, gateways, NSGs, public IPs, Bastion, Key Vaults and storage accounts send their logs to the " +
    "central Log Analytics workspace.",
  severity: "high",
  enforcementLevel: "advisory",
  bioControls: ["U.15.1", "U.15.3"],
  bio2Measures: ["8.16.04", "8.15.03"],
  bio2Partial: ["8.16.04", "8.15.03"],
  isoControls: ["8.15", "8.16"],
  cisAzure: ["5.1.1"],
  remediationSteps:
    "Add a monitor DiagnosticSetting with `resourceUri` = the resource's id, `workspaceId` = the central " +
    "workspace's id and its log categories enabled.",
  validateStack(args, reportViolation) {
    const workspaces = ofType(args.resources, types.workspace);
    const settings = ofType(args.resources, types.diagnosticSetting).filter((s) =>
      workspaces.some((w) => dependsOn(s, w)),
    );
    for (const resource of args.resources) {
      if (!criticalTypes.includes(resource.type)) continue;
      if (settings.some((setting) => dependsOn(setting, resource))) continue;
      const kind = resource.type.split(":").pop() ?? resource.type;
      reportViolation(
        `${kind} ${resource.name} sends no diagnostics to the central workspace; add a DiagnosticSetting ` +
          `with resourceUri → it and workspaceId → the workspace`,
        resource.urn,
      );
    }
  },
});
