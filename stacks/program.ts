// The muniops landing zone: composes the components from the validated config. Shared by `pulumi up`
// (stacks/index.ts) and `muniops plan` (stacks/plan.ts, under mocks), so both see the same program.
import { getClientConfigOutput } from "@pulumi/azure-native/authorization/getClientConfig.js";
import { ResourceGroup } from "@pulumi/azure-native/resources/resourceGroup.js";
import type * as pulumi from "@pulumi/pulumi";
import { linuxAgentCloudInit, windowsAgentScript } from "./cloudInit.js";
import { sharedDepartmentId, type ServerSpec, type StackConfig } from "./config.js";
import { BackupVault } from "./components/backupVault.js";
import { Bastion } from "./components/bastion.js";
import { DepartmentServer } from "./components/departmentServer.js";
import { DigitalCounter } from "./components/digitalCounter.js";
import { FileShares } from "./components/fileShares.js";
import { Firewall } from "./components/firewall.js";
import { Hub } from "./components/hub.js";
import { KeyVault } from "./components/keyVault.js";
import { Monitoring } from "./components/monitoring.js";
import { PrivateDnsZones } from "./components/privateDnsZones.js";
import { Spoke, type SecurityRule } from "./components/spoke.js";
import { TownHallVpn } from "./components/townHallVpn.js";
import { buildInventory } from "./inventoryBuilder.js";
import type { Inventory } from "../contracts/inventory.js";
import { keyVaultName, resourceGroupName, storageAccountName } from "./naming.js";
import { prometheusConfigFiles } from "../agents/prometheusConfig.js";
import { registerTagging } from "./tagging.js";

export interface LandingZoneOutputs {
  inventory: Inventory;
  hubVnetId: pulumi.Output<string>;
  spokeVnetIds: { servers: pulumi.Output<string>; digitalCounter: pulumi.Output<string>; management: pulumi.Output<string> };
  firewallPrivateIp: pulumi.Output<string>;
  digitalCounterPublicIpId: pulumi.Output<string>;
  workspaceId: pulumi.Output<string>;
  keyVaultId: pulumi.Output<string>;
}

const areas = ["connectivity", "servers", "digitalcounter", "management", "security", "storage", "backup"] as const;
type Area = (typeof areas)[number];

export function buildLandingZone(cfg: StackConfig): LandingZoneOutputs {
  const ict = cfg.departmentsById.get(sharedDepartmentId);
  if (!ict) throw new Error(`the department "${sharedDepartmentId}" is missing`);
  registerTagging({ department: ict.id, costCenter: ict.costCenter, environment: cfg.environment, service: "shared-infrastructure", managedBy: "pulumi" });

  const { location, stack, network: net } = cfg;
  const base = stack;
  const client = getClientConfigOutput();
  const rgName = (area: Area): string => resourceGroupName(stack, area);
  for (const area of areas) new ResourceGroup(`rg-${area}`, { resourceGroupName: rgName(area), location });

  const monitoring = new Monitoring("monitoring", { location, resourceGroupName: rgName("management"), workspaceName: `log-${base}`, retentionDays: cfg.monitoring.retentionDays, flowLogAccountName: storageAccountName(stack, "flowlogs") });
  const workspaceId = monitoring.workspaceId;

  const hub = new Hub("hub", { location, resourceGroupName: rgName("connectivity"), vnetName: `vnet-${base}-hub`, addressSpace: net.hub.addressSpace, subnets: net.hub.subnets, ddosProtection: cfg.ddosProtection, workspaceId, flowLogs: { storageId: monitoring.flowLogStorageId, retentionDays: cfg.monitoring.flowLogRetentionDays, workspaceResourceId: workspaceId, workspaceCustomerId: monitoring.workspaceCustomerId } });
  const hubSubnet = (subnet: string): pulumi.Output<string> => {
    const id = hub.subnetIds[subnet];
    if (!id) throw new Error(`the hub has no subnet ${subnet}`);
    return id;
  };
  const spokeSpaces = [net.servers.addressSpace, net.digitalCounter.addressSpace, net.management.addressSpace];
  const firewall = new Firewall("firewall", {
    location,
    ddosProtection: cfg.ddosProtection,
    resourceGroupName: rgName("connectivity"),
    baseName: `${base}-hub`,
    subnetId: hubSubnet("AzureFirewallSubnet"),
    workspaceId,
    spokeAddressSpaces: spokeSpaces,
    townHallAddressSpaces: net.townHall.addressSpaces,
    allowedFqdns: [new URL(cfg.agent.packageUrl).hostname, "azure.archive.ubuntu.com", "security.ubuntu.com", "packages.microsoft.com"],
  });
  new Bastion("bastion", { location, ddosProtection: cfg.ddosProtection, resourceGroupName: rgName("connectivity"), baseName: `bas-${base}`, subnetId: hubSubnet("AzureBastionSubnet"), workspaceId });
  const vpn = new TownHallVpn("town-hall-vpn", { location, ddosProtection: cfg.ddosProtection, resourceGroupName: rgName("connectivity"), baseName: base, gatewaySubnetId: hubSubnet("GatewaySubnet"), townHallGatewayAddress: net.townHall.gatewayAddress, townHallAddressSpaces: net.townHall.addressSpaces, sharedKey: cfg.secrets.vpnSharedKey, workspaceId });
  const dns = new PrivateDnsZones("private-dns", { resourceGroupName: rgName("connectivity"), hubVnetId: hub.vnetId });

  const bastionSubnet = net.hub.subnets.AzureBastionSubnet ?? net.hub.addressSpace;
  const monitoringSubnet = net.management.subnets.monitoring ?? net.management.addressSpace;
  const appGatewaySubnet = net.digitalCounter.subnets.appGateway ?? net.digitalCounter.addressSpace;
  const workloadRules = (extra: SecurityRule[] = []): SecurityRule[] => [
    ...extra,
    { name: "allow-bastion-admin", priority: 200, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: bastionSubnet, sourcePortRange: "*", destinationAddressPrefix: "VirtualNetwork", destinationPortRanges: ["22", "3389"] },
    { name: "allow-agent-scrape", priority: 210, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: monitoringSubnet, sourcePortRange: "*", destinationAddressPrefix: "VirtualNetwork", destinationPortRange: String(cfg.agent.port) },
  ];
  const spokeCommon = {
    location,
    hub: { vnetId: hub.vnetId, vnetName: hub.vnetName, resourceGroupName: rgName("connectivity") },
    firewallPrivateIp: firewall.privateIpAddress,
    hubGateway: vpn.gateway,
    flowLogs: { networkWatcherName: hub.networkWatcherName, resourceGroupName: rgName("connectivity"), storageId: monitoring.flowLogStorageId, retentionDays: cfg.monitoring.flowLogRetentionDays, workspaceResourceId: workspaceId, workspaceCustomerId: monitoring.workspaceCustomerId },
    workspaceId,
    ...(hub.ddosPlanId ? { ddosPlanId: hub.ddosPlanId } : {}),
  };
  const serversSpoke = new Spoke("servers", { ...spokeCommon, resourceGroupName: rgName("servers"), vnetName: `vnet-${base}-servers`, addressSpace: net.servers.addressSpace, subnets: net.servers.subnets, securityRules: () => workloadRules() });
  const counterSpoke = new Spoke("digital-counter", {
    ...spokeCommon,
    resourceGroupName: rgName("digitalcounter"),
    vnetName: `vnet-${base}-counter`,
    addressSpace: net.digitalCounter.addressSpace,
    subnets: net.digitalCounter.subnets,
    // Application Gateway v2 needs the Internet as its default route and its management ports open.
    withoutFirewallRoute: ["appGateway"],
    securityRules: (subnet) =>
      subnet === "appGateway"
        ? [
            { name: "allow-https-from-internet", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "Internet", sourcePortRange: "*", destinationAddressPrefix: appGatewaySubnet, destinationPortRange: "443" },
            { name: "allow-gateway-manager", priority: 110, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "GatewayManager", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "65200-65535" },
            { name: "allow-load-balancer", priority: 120, direction: "Inbound", access: "Allow", protocol: "*", sourceAddressPrefix: "AzureLoadBalancer", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*" },
          ]
        : workloadRules(subnet === "web" ? [{ name: "allow-https-from-gateway", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: appGatewaySubnet, sourcePortRange: "*", destinationAddressPrefix: "VirtualNetwork", destinationPortRange: "443" }] : []),
  });
  const managementSpoke = new Spoke("management", { ...spokeCommon, resourceGroupName: rgName("management"), vnetName: `vnet-${base}-mgmt`, addressSpace: net.management.addressSpace, subnets: net.management.subnets, securityRules: () => workloadRules() });
  const spokes = { servers: serversSpoke, digitalCounter: counterSpoke, management: managementSpoke };
  const spokeSubnet = (spoke: keyof typeof spokes, subnet: string): pulumi.Output<string> => {
    const id = spokes[spoke].subnetIds[subnet];
    if (!id) throw new Error(`no subnet ${spoke}/${subnet}`);
    return id;
  };

  const secrets: Record<string, pulumi.Input<string>> = { "vpn-shared-key": cfg.secrets.vpnSharedKey };
  if (cfg.secrets.windowsAdminPassword) secrets["windows-admin-password"] = cfg.secrets.windowsAdminPassword;
  const keyVault = new KeyVault("key-vault", {
    location,
    resourceGroupName: rgName("security"),
    vaultName: keyVaultName(stack),
    tenantId: client.tenantId,
    endpointSubnetId: spokeSubnet("management", "endpoints"),
    privateDnsZoneId: dns.zoneIds.vault,
    workspaceId,
    secrets,
    secretsExpireAt: Math.floor(Date.parse(`${cfg.secretsExpireOn}T00:00:00Z`) / 1000),
  });

  const backup = new BackupVault("backup", { location, resourceGroupName: rgName("backup"), vaultName: `rsv-${base}`, retentionDays: cfg.backup.retentionDays, scheduleTimeUtc: cfg.backup.scheduleTimeUtc, workspaceId });
  const inventory = buildInventory(cfg);
  const agent = { packageUrl: cfg.agent.packageUrl, port: cfg.agent.port };
  const admin = { username: cfg.admin.username, sshPublicKey: cfg.admin.sshPublicKey, ...(cfg.secrets.windowsAdminPassword ? { windowsPassword: cfg.secrets.windowsAdminPassword } : {}) };
  const customDataFor = (spec: ServerSpec): string => {
    if (spec.os === "windows") return windowsAgentScript(agent);
    if (spec.role === "monitoring") {
      return linuxAgentCloudInit(agent, {
        packages: ["prometheus"],
        // The same files `muniops prometheus-config` writes: one definition of targets, labels and alerts.
        writeFiles: [...prometheusConfigFiles(inventory, { scrapeInterval: "30s" })].map(([relative, content]) => ({ path: `/etc/prometheus/${relative}`, content })),
        runcmd: ["systemctl enable --now prometheus"],
      });
    }
    return linuxAgentCloudInit(agent, spec.role === "web" && spec.subnet.spoke === "digitalCounter" ? { packages: ["nginx"] } : {});
  };
  const serverArgs = (spec: ServerSpec, area: Area) => ({
    spec,
    costCenter: cfg.departmentsById.get(spec.department)?.costCenter ?? ict.costCenter,
    location,
    resourceGroupName: rgName(area),
    subnetId: spokeSubnet(spec.subnet.spoke, spec.subnet.name),
    admin,
    customData: customDataFor(spec),
    backup: { vaultName: backup.vaultName, resourceGroupName: rgName("backup"), policyId: backup.policyId },
  });

  const counterSpecs = cfg.allServers.filter((s) => s.subnet.spoke === "digitalCounter");
  const counterOwner = cfg.departmentsById.get(cfg.digitalCounter.department) ?? ict;
  const counter = new DigitalCounter("digital-counter", {
    location,
    ddosProtection: cfg.ddosProtection,
    resourceGroupName: rgName("digitalcounter"),
    baseName: `${base}-counter`,
    subscriptionId: client.subscriptionId,
    owner: { department: counterOwner.id, costCenter: counterOwner.costCenter, service: cfg.digitalCounter.service },
    hostName: cfg.digitalCounter.hostName,
    certificateSecretId: cfg.digitalCounter.certificateSecretId,
    keyVaultId: keyVault.vaultId,
    appGatewaySubnetId: spokeSubnet("digitalCounter", "appGateway"),
    endpointSubnetId: spokeSubnet("digitalCounter", "endpoints"),
    webServerAddresses: counterSpecs.map((s) => s.address),
    backOffice: cfg.digitalCounter.backOffice,
    workspaceId,
  });
  for (const spec of counterSpecs) new DepartmentServer(spec.name, serverArgs(spec, "digitalcounter"), { parent: counter });
  for (const spec of cfg.allServers) {
    if (spec.subnet.spoke === "servers") new DepartmentServer(spec.name, serverArgs(spec, "servers"));
    else if (spec.subnet.spoke === "management") new DepartmentServer(spec.name, serverArgs(spec, "management"));
  }

  new FileShares("file-shares", { location, resourceGroupName: rgName("storage"), accountName: storageAccountName(stack, "files"), shares: cfg.allShares, endpointSubnetId: spokeSubnet("servers", "endpoints"), privateDnsZoneId: dns.zoneIds.file, workspaceId });

  return {
    inventory,
    hubVnetId: hub.vnetId,
    spokeVnetIds: { servers: serversSpoke.vnetId, digitalCounter: counterSpoke.vnetId, management: managementSpoke.vnetId },
    firewallPrivateIp: firewall.privateIpAddress,
    digitalCounterPublicIpId: counter.publicIpId,
    workspaceId,
    keyVaultId: keyVault.vaultId,
  };
}
