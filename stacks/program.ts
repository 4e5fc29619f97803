// The muniops landing zone: composes the components from the validated config. Shared by `pulumi up`
// (stacks/index.ts) and `muniops plan` (stacks/plan.ts, under mocks), so both see the same program.
import { getClientConfigOutput } from "@pulumi/azure-native/authorization/getClientConfig.js";
import { ResourceGroup } from "@pulumi/azure-native/resources/resourceGroup.js";
import type * as pulumi from "@pulumi/pulumi";
import { linuxAgentCloudInit, windowsAgentScript } from "./cloudInit.js";
import { sharedDepartmentId, type Department, type ServerSpec, type StackConfig } from "./config.js";
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
import { Spoke } from "./components/spoke.js";
import { spokeSecurityRules } from "./spokeRules.js";
import { TownHallVpn } from "./components/townHallVpn.js";
import { buildInventory } from "./inventoryBuilder.js";
import type { Inventory } from "../contracts/inventory.js";
import { keyVaultName, resourceGroupName, storageAccountName } from "./naming.js";
import { prometheusConfigFiles } from "../agents/prometheusConfig.js";
import { registerTagging } from "./tagging.js";

export interface LandingZoneOutputs {
  inventory: Inventory;
  hubVnetId: pulumi.Output<string>;
  spokeVnetIds: {
    servers: pulumi.Output<string>;
    digitalCounter: pulumi.Output<string>;
    management: pulumi.Output<string>;
  };
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
  registerTagging({
    department: ict.id,
    costCenter: ict.costCenter,
    environment: cfg.environment,
    service: "shared-infrastructure",
    managedBy: "pulumi",
  });

  const { location, stack } = cfg;
  const rgName = (area: Area): string => resourceGroupName(stack, area);
  for (const area of areas) new ResourceGroup(`rg-${area}`, { resourceGroupName: rgName(area), location });
  const monitoring = new Monitoring("monitoring", {
    location,
    resourceGroupName: rgName("management"),
    workspaceName: `log-${stack}`,
    retentionDays: cfg.monitoring.retentionDays,
    flowLogAccountName: storageAccountName(stack, "flowlogs"),
  });

  const zone: Zone = {
    cfg,
    ict,
    rgName,
    client: getClientConfigOutput(),
    monitoring,
    workspaceId: monitoring.workspaceId,
  };
  const { hub, firewall, vpn, dns } = buildConnectivity(zone);
  const { spokes, spokeSubnet } = buildSpokes(zone, { hub, firewall, vpn });
  const keyVault = buildKeyVault(zone, spokeSubnet, dns);
  const { inventory, counter } = buildServersAndShares(zone, spokeSubnet, keyVault, dns);
  const workspaceId = zone.workspaceId;
  const [serversSpoke, counterSpoke, managementSpoke] = [spokes.servers, spokes.digitalCounter, spokes.management];

  return {
    inventory,
    hubVnetId: hub.vnetId,
    spokeVnetIds: {
      servers: serversSpoke.vnetId,
      digitalCounter: counterSpoke.vnetId,
      management: managementSpoke.vnetId,
    },
    firewallPrivateIp: firewall.privateIpAddress,
    digitalCounterPublicIpId: counter.publicIpId,
    workspaceId,
    keyVaultId: keyVault.vaultId,
  };
}

/** What every step of the landing zone shares: the config, the central department, names, the workspace. */
interface Zone {
  cfg: StackConfig;
  ict: Department;
  rgName: (area: Area) => string;
  client: ReturnType<typeof getClientConfigOutput>;
  monitoring: Monitoring;
  workspaceId: pulumi.Output<string>;
}

type SpokeSubnet = (spoke: "servers" | "digitalCounter" | "management", subnet: string) => pulumi.Output<string>;

/** The hub: its network, the firewall, Bastion, the town-hall VPN and the private DNS zones. */
function buildConnectivity(zone: Zone) {
  const { cfg, rgName, workspaceId, monitoring } = zone;
  const { location, stack, network: net } = cfg;
  const base = stack;
  const hub = new Hub("hub", {
    location,
    resourceGroupName: rgName("connectivity"),
    vnetName: `vnet-${base}-hub`,
    addressSpace: net.hub.addressSpace,
    subnets: net.hub.subnets,
    ddosProtection: cfg.ddosProtection,
    workspaceId,
    flowLogs: {
      storageId: monitoring.flowLogStorageId,
      retentionDays: cfg.monitoring.flowLogRetentionDays,
      workspaceResourceId: workspaceId,
      workspaceCustomerId: monitoring.workspaceCustomerId,
    },
  });
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
    allowedFqdns: [
      new URL(cfg.agent.packageUrl).hostname,
      "azure.archive.ubuntu.com",
      "security.ubuntu.com",
      "packages.microsoft.com",
    ],
  });
  new Bastion("bastion", {
    location,
    ddosProtection: cfg.ddosProtection,
    resourceGroupName: rgName("connectivity"),
    baseName: `bas-${base}`,
    subnetId: hubSubnet("AzureBastionSubnet"),
    workspaceId,
  });
  const vpn = new TownHallVpn("town-hall-vpn", {
    location,
    ddosProtection: cfg.ddosProtection,
    resourceGroupName: rgName("connectivity"),
    baseName: base,
    gatewaySubnetId: hubSubnet("GatewaySubnet"),
    townHallGatewayAddress: net.townHall.gatewayAddress,
    townHallAddressSpaces: net.townHall.addressSpaces,
    sharedKey: cfg.secrets.vpnSharedKey,
    workspaceId,
  });
  const dns = new PrivateDnsZones("private-dns", { resourceGroupName: rgName("connectivity"), hubVnetId: hub.vnetId });

  return { hub, firewall, vpn, dns };
}

/** The three spokes (servers, digital counter, management), peered to the hub, with their NSG rules. */
function buildSpokes(zone: Zone, hubParts: Pick<ReturnType<typeof buildConnectivity>, "hub" | "firewall" | "vpn">) {
  const { cfg, rgName, workspaceId, monitoring } = zone;
  const { location, stack, network: net } = cfg;
  const base = stack;
  const { hub, firewall, vpn } = hubParts;
  const rules = spokeSecurityRules(net, cfg.agent.port);
  const spokeCommon = {
    location,
    hub: { vnetId: hub.vnetId, vnetName: hub.vnetName, resourceGroupName: rgName("connectivity") },
    firewallPrivateIp: firewall.privateIpAddress,
    hubGateway: vpn.gateway,
    flowLogs: {
      networkWatcherName: hub.networkWatcherName,
      resourceGroupName: rgName("connectivity"),
      storageId: monitoring.flowLogStorageId,
      retentionDays: cfg.monitoring.flowLogRetentionDays,
      workspaceResourceId: workspaceId,
      workspaceCustomerId: monitoring.workspaceCustomerId,
    },
    workspaceId,
    ...(hub.ddosPlanId ? { ddosPlanId: hub.ddosPlanId } : {}),
  };
  const serversSpoke = new Spoke("servers", {
    ...spokeCommon,
    resourceGroupName: rgName("servers"),
    vnetName: `vnet-${base}-servers`,
    addressSpace: net.servers.addressSpace,
    subnets: net.servers.subnets,
    securityRules: rules.workload,
  });
  const counterSpoke = new Spoke("digital-counter", {
    ...spokeCommon,
    resourceGroupName: rgName("digitalcounter"),
    vnetName: `vnet-${base}-counter`,
    addressSpace: net.digitalCounter.addressSpace,
    subnets: net.digitalCounter.subnets,
    // Application Gateway v2 needs the Internet as its default route and its management ports open.
    withoutFirewallRoute: ["appGateway"],
    securityRules: rules.digitalCounter,
  });
  const managementSpoke = new Spoke("management", {
    ...spokeCommon,
    resourceGroupName: rgName("management"),
    vnetName: `vnet-${base}-mgmt`,
    addressSpace: net.management.addressSpace,
    subnets: net.management.subnets,
    securityRules: rules.workload,
  });
  const spokes = { servers: serversSpoke, digitalCounter: counterSpoke, management: managementSpoke };
  const spokeSubnet = (spoke: keyof typeof spokes, subnet: string): pulumi.Output<string> => {
    const id = spokes[spoke].subnetIds[subnet];
    if (!id) throw new Error(`no subnet ${spoke}/${subnet}`);
    return id;
  };

  return { spokes, spokeSubnet };
}

/** The Key Vault with the stack's secrets, reached over a private endpoint. */
function buildKeyVault(zone: Zone, spokeSubnet: SpokeSubnet, dns: PrivateDnsZones): KeyVault {
  const { cfg, rgName, workspaceId, client } = zone;
  const { location, stack } = cfg;
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

  return keyVault;
}

/** Backup, the department servers with their agent, the digital counter and the file shares. */
function buildServersAndShares(zone: Zone, spokeSubnet: SpokeSubnet, keyVault: KeyVault, dns: PrivateDnsZones) {
  const { cfg, ict, rgName, workspaceId, client } = zone;
  const { location, stack } = cfg;
  const base = stack;
  const backup = new BackupVault("backup", {
    location,
    resourceGroupName: rgName("backup"),
    vaultName: `rsv-${base}`,
    retentionDays: cfg.backup.retentionDays,
    scheduleTimeUtc: cfg.backup.scheduleTimeUtc,
    workspaceId,
  });
  const inventory = buildInventory(cfg);
  const agent = { packageUrl: cfg.agent.packageUrl, port: cfg.agent.port };
  const admin = {
    username: cfg.admin.username,
    sshPublicKey: cfg.admin.sshPublicKey,
    ...(cfg.secrets.windowsAdminPassword ? { windowsPassword: cfg.secrets.windowsAdminPassword } : {}),
  };
  const customDataFor = (spec: ServerSpec): string => {
    if (spec.os === "windows") return windowsAgentScript(agent);
    if (spec.role === "monitoring") {
      return linuxAgentCloudInit(agent, {
        packages: ["prometheus"],
        // The same files `muniops prometheus-config` writes: one definition of targets, labels and alerts.
        writeFiles: [...prometheusConfigFiles(inventory, { scrapeInterval: "30s" })].map(([relative, content]) => ({
          path: `/etc/prometheus/${relative}`,
          content,
        })),
        runcmd: ["systemctl enable --now prometheus"],
      });
    }
    return linuxAgentCloudInit(
      agent,
      spec.role === "web" && spec.subnet.spoke === "digitalCounter" ? { packages: ["nginx"] } : {},
    );
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
  for (const spec of counterSpecs)
    new DepartmentServer(spec.name, serverArgs(spec, "digitalcounter"), { parent: counter });
  for (const spec of cfg.allServers) {
    if (spec.subnet.spoke === "servers") new DepartmentServer(spec.name, serverArgs(spec, "servers"));
    else if (spec.subnet.spoke === "management") new DepartmentServer(spec.name, serverArgs(spec, "management"));
  }

  new FileShares("file-shares", {
    location,
    resourceGroupName: rgName("storage"),
    accountName: storageAccountName(stack, "files"),
    shares: cfg.allShares,
    endpointSubnetId: spokeSubnet("servers", "endpoints"),
    privateDnsZoneId: dns.zoneIds.file,
    workspaceId,
  });

  return { inventory, counter };
}
