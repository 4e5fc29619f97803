// The digital counter, the citizens' front end (extracts, moves, WOZ lookups and objections, subsidy
// applications): an Application Gateway WAF_v2 whose WAF policy blocks (Prevention) and whose listener
// accepts only TLS 1.2+, the web-tier VMs behind it, and private endpoints towards the back-office
// systems, so citizen traffic never reaches them over a public address.
import { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment.js";
import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity/userAssignedIdentity.js";
import { ApplicationGateway, type ApplicationGatewayArgs } from "@pulumi/azure-native/network/applicationGateway.js";
import { PublicIPAddress } from "@pulumi/azure-native/network/publicIPAddress.js";
import { WebApplicationFirewallPolicy } from "@pulumi/azure-native/network/webApplicationFirewallPolicy.js";
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { sendDiagnostics } from "../diagnostics.js";
import { publicIpArgs } from "../publicIp.js";
import type { OwnerTags, TagOwner } from "../tagging.js";
import { PrivateLink } from "./privateLink.js";

/** Built-in role "Key Vault Secrets User": the gateway reads its TLS certificate, nothing more. */
const keyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
const secretsUserRoleDefinition = `providers/Microsoft.Authorization/roleDefinitions/${keyVaultSecretsUser}`;

export interface DigitalCounterArgs {
  location: string;
  /** Whether the VNets have a DDoS protection plan the public IP inherits. */
  ddosProtection: boolean;
  resourceGroupName: string;
  baseName: string;
  subscriptionId: pulumi.Input<string>;
  owner: OwnerTags;
  hostName: string;
  certificateSecretId: string;
  keyVaultId: pulumi.Input<string>;
  appGatewaySubnetId: pulumi.Input<string>;
  endpointSubnetId: pulumi.Input<string>;
  /** Private addresses of the web servers (created by the caller as DepartmentServers under this component). */
  webServerAddresses: string[];
  backOffice: { name: string; resourceId: string; groupId: string }[];
  workspaceId: pulumi.Input<string>;
}

/** A stable GUID from a name: role assignment names must be GUIDs and must not change between runs. */
export function stableGuid(name: string): string {
  const hex = createHash("sha256").update(name).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class DigitalCounter extends pulumi.ComponentResource implements TagOwner {
  readonly ownerTags: OwnerTags;
  readonly gatewayId: pulumi.Output<string>;
  readonly publicIpId: pulumi.Output<string>;

  constructor(name: string, args: DigitalCounterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muniops:web:DigitalCounter", name, {}, opts);
    this.ownerTags = args.owner;

    const { identity, canReadCertificate } = this.certificateReader(name, args);
    const waf = this.firewallPolicy(name, args);
    const publicIp = new PublicIPAddress(
      `${name}-pip`,
      publicIpArgs({
        name: `pip-${args.baseName}`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        ddosProtection: args.ddosProtection,
      }),
      { parent: this },
    );
    const gateway = new ApplicationGateway(`${name}-gateway`, gatewayArgs(args, { identity, waf, publicIp }), {
      parent: this,
      dependsOn: [canReadCertificate],
    });
    sendDiagnostics(`${name}-gateway-diagnostics`, { resourceUri: gateway.id, workspaceId: args.workspaceId }, this);
    sendDiagnostics(`${name}-pip-diagnostics`, { resourceUri: publicIp.id, workspaceId: args.workspaceId }, this);
    this.backOfficeLinks(name, args);

    this.gatewayId = gateway.id;
    this.publicIpId = publicIp.id;
    this.registerOutputs({ gatewayId: this.gatewayId, publicIpId: this.publicIpId });
  }

  /** The gateway's identity and its right to read the TLS certificate from the key vault. */
  private certificateReader(
    name: string,
    args: DigitalCounterArgs,
  ): { identity: UserAssignedIdentity; canReadCertificate: RoleAssignment } {
    const identity = new UserAssignedIdentity(
      `${name}-identity`,
      { resourceName: `id-${args.baseName}`, resourceGroupName: args.resourceGroupName, location: args.location },
      { parent: this },
    );
    const canReadCertificate = new RoleAssignment(
      `${name}-certificate-reader`,
      {
        roleAssignmentName: stableGuid(`${args.baseName}/certificate-reader`),
        scope: args.keyVaultId,
        principalId: identity.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: pulumi.interpolate`/subscriptions/${args.subscriptionId}/${secretsUserRoleDefinition}`,
      },
      { parent: this },
    );
    return { identity, canReadCertificate };
  }

  /** The WAF policy: enabled, blocking (Prevention), the default and bot manager rule sets. */
  private firewallPolicy(name: string, args: DigitalCounterArgs): WebApplicationFirewallPolicy {
    return new WebApplicationFirewallPolicy(
      `${name}-waf`,
      {
        policyName: `waf-${args.baseName}`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        policySettings: {
          state: "Enabled",
          mode: "Prevention",
          requestBodyCheck: true,
          maxRequestBodySizeInKb: 128,
          fileUploadLimitInMb: 100,
        },
        managedRules: {
          managedRuleSets: [
            { ruleSetType: "Microsoft_DefaultRuleSet", ruleSetVersion: "2.1" },
            { ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.0" },
          ],
        },
      },
      { parent: this },
    );
  }

  /** A private endpoint towards each back-office system. */
  private backOfficeLinks(name: string, args: DigitalCounterArgs): void {
    for (const system of args.backOffice) {
      new PrivateLink(
        `${name}-${system.name}`,
        {
          location: args.location,
          resourceGroupName: args.resourceGroupName,
          endpointName: `pe-${args.baseName}-${system.name}`,
          subnetId: args.endpointSubnetId,
          targetResourceId: system.resourceId,
          groupId: system.groupId,
        },
        { parent: this },
      );
    }
  }
}

/** The Application Gateway WAF_v2: one HTTPS listener (TLS 1.2+, SNI) routed to the web servers. */
function gatewayArgs(
  args: DigitalCounterArgs,
  parts: { identity: UserAssignedIdentity; waf: WebApplicationFirewallPolicy; publicIp: PublicIPAddress },
): ApplicationGatewayArgs {
  const rg = args.resourceGroupName;
  const gatewayName = `agw-${args.baseName}`;
  const gatewayPath = `resourceGroups/${rg}/providers/Microsoft.Network/applicationGateways/${gatewayName}`;
  const self = pulumi.interpolate`/subscriptions/${args.subscriptionId}/${gatewayPath}`;
  const ref = (kind: string, child: string): { id: pulumi.Output<string> } => ({
    id: pulumi.interpolate`${self}/${kind}/${child}`,
  });
  return {
    applicationGatewayName: gatewayName,
    resourceGroupName: rg,
    location: args.location,
    sku: { name: "WAF_v2", tier: "WAF_v2" },
    autoscaleConfiguration: { minCapacity: 2, maxCapacity: 10 },
    zones: ["1", "2", "3"],
    identity: { type: "UserAssigned", userAssignedIdentities: [parts.identity.id] },
    firewallPolicy: { id: parts.waf.id },
    enableHttp2: true,
    sslPolicy: { policyType: "Predefined", policyName: "AppGwSslPolicy20220101S" },
    gatewayIPConfigurations: [{ name: "gateway", subnet: { id: args.appGatewaySubnetId } }],
    frontendIPConfigurations: [{ name: "public", publicIPAddress: { id: parts.publicIp.id } }],
    frontendPorts: [{ name: "https", port: 443 }],
    sslCertificates: [{ name: "counter", keyVaultSecretId: args.certificateSecretId }],
    httpListeners: [
      {
        name: "https",
        protocol: "Https",
        hostName: args.hostName,
        requireServerNameIndication: true,
        frontendIPConfiguration: ref("frontendIPConfigurations", "public"),
        frontendPort: ref("frontendPorts", "https"),
        sslCertificate: ref("sslCertificates", "counter"),
      },
    ],
    backendAddressPools: [
      { name: "web", backendAddresses: args.webServerAddresses.map((ipAddress) => ({ ipAddress })) },
    ],
    probes: [
      {
        name: "web",
        protocol: "Https",
        host: args.hostName,
        path: "/health",
        interval: 30,
        timeout: 30,
        unhealthyThreshold: 3,
      },
    ],
    backendHttpSettingsCollection: [
      {
        name: "web-https",
        port: 443,
        protocol: "Https",
        cookieBasedAffinity: "Disabled",
        requestTimeout: 60,
        hostName: args.hostName,
        probe: ref("probes", "web"),
      },
    ],
    requestRoutingRules: [
      {
        name: "web",
        ruleType: "Basic",
        priority: 100,
        httpListener: ref("httpListeners", "https"),
        backendAddressPool: ref("backendAddressPools", "web"),
        backendHttpSettings: ref("backendHttpSettingsCollection", "web-https"),
      },
    ],
  };
}
