// Following references between resources in stack policies. During a first preview, resource ids
// (`resourceUri`, `targetResourceId`, `sourceResourceId`) are unknown, so references are followed through
// the engine's `dependencies` and `propertyDependencies` instead, which are known at preview time.
import type { PolicyResource } from "@pulumi/policy";

export function dependsOn(resource: PolicyResource, target: PolicyResource): boolean {
  if (resource.dependencies.some((d) => d.urn === target.urn)) return true;
  return Object.values(resource.propertyDependencies).some((deps) => deps.some((d) => d.urn === target.urn));
}

/** Every URN a resource depends on, directly or through a property. */
export function dependencyUrns(resource: PolicyResource): string[] {
  return [...resource.dependencies, ...Object.values(resource.propertyDependencies).flat()].map((d) => d.urn);
}

export function ofType(resources: readonly PolicyResource[], type: string): PolicyResource[] {
  return resources.filter((r) => r.type === type);
}

export const types = {
  virtualMachine: "azure-native:compute:VirtualMachine",
  protectedItem: "azure-native:recoveryservices:ProtectedItem",
  diagnosticSetting: "azure-native:monitor:DiagnosticSetting",
  workspace: "azure-native:operationalinsights:Workspace",
  networkWatcher: "azure-native:network:NetworkWatcher",
  networkSecurityGroup: "azure-native:network:NetworkSecurityGroup",
  virtualNetwork: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  flowLog: "azure-native:network:FlowLog",
} as const;
