// The one mechanism that puts the owner tags (department, costCenter, environment, service, managedBy;
// the README's Stacks section) on every taggable resource: a stack transformation. It
// works both on `pulumi up` and under mocks (registerResourceTransform throws under mocks in 3.248.0).
// A component that belongs to a department sets `ownerTags`; every resource below it inherits them,
// and anything not owned by a department belongs to central ICT.
import * as pulumi from "@pulumi/pulumi";

export const requiredTagKeys = ["department", "costCenter", "environment", "service", "managedBy"] as const;
export type Tags = Record<(typeof requiredTagKeys)[number], string>;
export type OwnerTags = Pick<Tags, "department" | "costCenter" | "service">;

/** A component whose children belong to one department and service. */
export interface TagOwner {
  readonly ownerTags?: OwnerTags;
}

/**
 * The azure-native types this program creates whose arguments take `tags` (checked against the
 * provider's typings by a test, so a new type can't slip through untagged).
 */
export const taggableTypes: ReadonlySet<string> = new Set([
  "azure-native:resources:ResourceGroup",
  "azure-native:network:VirtualNetwork",
  "azure-native:network:NetworkSecurityGroup",
  "azure-native:network:RouteTable",
  "azure-native:network:PublicIPAddress",
  "azure-native:network:AzureFirewall",
  "azure-native:network:FirewallPolicy",
  "azure-native:network:BastionHost",
  "azure-native:network:VirtualNetworkGateway",
  "azure-native:network:LocalNetworkGateway",
  "azure-native:network:VirtualNetworkGatewayConnection",
  "azure-native:network:DdosProtectionPlan",
  "azure-native:network:NetworkWatcher",
  "azure-native:network:FlowLog",
  "azure-native:network:NetworkInterface",
  "azure-native:network:PrivateEndpoint",
  "azure-native:network:ApplicationGateway",
  "azure-native:network:WebApplicationFirewallPolicy",
  "azure-native:privatedns:PrivateZone",
  "azure-native:privatedns:VirtualNetworkLink",
  "azure-native:compute:VirtualMachine",
  "azure-native:compute:VirtualMachineExtension",
  "azure-native:storage:StorageAccount",
  "azure-native:keyvault:Vault",
  "azure-native:keyvault:Secret",
  "azure-native:operationalinsights:Workspace",
  "azure-native:recoveryservices:Vault",
  "azure-native:recoveryservices:ProtectionPolicy",
  "azure-native:recoveryservices:ProtectedItem",
  "azure-native:managedidentity:UserAssignedIdentity",
]);

function ownerOf(resource: pulumi.Resource | undefined): OwnerTags | undefined {
  for (let r = resource; r; r = (r as unknown as { __parentResource?: pulumi.Resource }).__parentResource) {
    const owner = (r as TagOwner).ownerTags;
    if (owner) return owner;
  }
  return undefined;
}

/**
 * Register the tag transformation on the current stack. Call it once, at the start of the program,
 * inside the Pulumi stack (on `pulumi up` the runtime provides it; `planStack` runs in runInPulumiStack).
 */
export function registerTagging(defaults: Tags): void {
  pulumi.runtime.registerStackTransformation((args) => {
    if (!taggableTypes.has(args.type)) return undefined;
    const owner = ownerOf(args.opts.parent);
    const base: Tags = { ...defaults, ...owner };
    const explicit = args.props.tags as pulumi.Input<Record<string, string>> | undefined;
    const tags = explicit === undefined ? base : pulumi.output(explicit).apply((t) => ({ ...base, ...t }));
    return { props: { ...args.props, tags }, opts: args.opts };
  });
}
