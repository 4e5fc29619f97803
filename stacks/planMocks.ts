// The Pulumi engine's stand-in for `muniops plan`: mocks that answer like Azure would on create (ids,
// names and the few computed outputs the program reads), and a recorder that captures every
// registration as the engine sees it (parent, dependencies, property dependencies, inputs), from which
// the `pulumi preview --json` document is built. Anything the mocks don't know fails loudly.
import type * as pulumi from "@pulumi/pulumi";
import { armIdFor } from "./armIds.js";
import { hostAddress } from "./cidr.js";

export const mockSubscriptionId = "00000000-0000-0000-0000-000000000000";
export const mockTenantId = "11111111-1111-1111-1111-111111111111";
export const mockObjectId = "22222222-2222-2222-2222-222222222222";

/** One resource as the engine received it. */
export interface Registration {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  provider: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  id: string;
}

type State = Record<string, unknown>;

/** Mocks that produce Azure-shaped ids and the computed outputs the program depends on. */
export class AzureMocks implements pulumi.runtime.Mocks {
  private readonly byId = new Map<string, State>();

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    if (args.token === "azure-native:authorization:getClientConfig") {
      return {
        clientId: mockObjectId,
        objectId: mockObjectId,
        subscriptionId: mockSubscriptionId,
        tenantId: mockTenantId,
      };
    }
    throw new Error(`Mock not implemented: invoke ${args.token}`);
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
    const inputs = args.inputs as State;
    // The stack and component resources are not managed by a provider: nothing to answer but their inputs.
    if (args.custom === false) return { id: "", state: inputs };
    if (!args.type.startsWith("azure-native:")) throw new Error(`Mock not implemented: resource ${args.type}`);
    const id = armIdFor(args.type, inputs, mockSubscriptionId);
    const state: State = { ...inputs, id, name: azureName(id), ...this.computed(args.type, inputs, id) };
    // Only subnets are looked up later (the firewall's address); keeping every state would only cost memory.
    if (args.type === "azure-native:network:Subnet") this.byId.set(id, state);
    return { id, state };
  }

  /** The outputs Azure computes that the program reads. */
  private computed(type: string, inputs: State, id: string): State {
    switch (type) {
      case "azure-native:network:AzureFirewall": {
        // Azure gives the firewall the first usable address of AzureFirewallSubnet (.4).
        const configs = (inputs.ipConfigurations as { subnet?: { id?: string } }[] | undefined) ?? [];
        return {
          ipConfigurations: configs.map((c) => {
            const subnet = c.subnet?.id ? this.byId.get(c.subnet.id) : undefined;
            const prefix = subnet?.addressPrefix;
            if (typeof prefix !== "string")
              throw new Error(`mock: firewall ${id} refers to an unknown subnet ${String(c.subnet?.id)}`);
            return { ...c, privateIPAddress: hostAddress(prefix, 4) };
          }),
        };
      }
      case "azure-native:operationalinsights:Workspace":
        return { customerId: "33333333-3333-3333-3333-333333333333" };
      case "azure-native:managedidentity:UserAssignedIdentity":
        return { principalId: mockObjectId, clientId: mockObjectId, tenantId: mockTenantId };
      case "azure-native:storage:StorageAccount":
        return {
          primaryEndpoints: {
            file: `https://${azureName(id)}.file.core.windows.net/`,
            blob: `https://${azureName(id)}.blob.core.windows.net/`,
          },
        };
      case "azure-native:keyvault:Vault":
        return {
          properties: { ...(inputs.properties as State), vaultUri: `https://${azureName(id)}.vault.azure.net/` },
        };
      case "azure-native:keyvault:Secret":
        return {
          properties: {
            ...(inputs.properties as State),
            secretUri: `https://${String(inputs.vaultName)}.vault.azure.net/secrets/${azureName(id)}`,
          },
        };
      default:
        return {};
    }
  }
}

function azureName(id: string): string {
  return id.slice(id.lastIndexOf("/") + 1);
}
