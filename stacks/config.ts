// Every read of the stack configuration happens here: the raw `muniops:*` values (from `pulumi config`
// on a real run, from Pulumi.<stack>.yaml for `muniops plan`) are validated with zod once, before any
// resource is registered, and every problem is listed with its config path
// (`muniops:servers[3].department: unknown department "x"`). Components receive the typed result.
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ConfigError, type ConfigProblem } from "../errors.js";
import { costCenter, departmentId } from "../contracts/inventory.js";
import { cidrContains, hostAddress, isCidr, overlappingPairs, parseCidr, usableAzureAddresses } from "./cidr.js";
import { vmSize, vmSizes } from "./vmSizes.js";

/** Regions inside the EU (BIO B.01.3: data stays in the EU). Switzerland, Norway and the UK are not. */
export const euLocations = [
  "westeurope",
  "northeurope",
  "swedencentral",
  "francecentral",
  "francesouth",
  "germanywestcentral",
  "germanynorth",
  "italynorth",
  "polandcentral",
  "spaincentral",
] as const;

/** Azure Files limits (large file shares enabled): per share, and the capacity of one storage account. */
export const maxShareQuotaGiB = 102_400;
export const maxAccountCapacityGiB = 5 * 1024 * 1024;

/** The department that owns shared infrastructure: central ICT, in tags, the inventory and the ledger alike. */
export const sharedDepartmentId = "ict";

const cidr = z.string().refine(isCidr, "not a CIDR block with its host bits zero (e.g. 10.20.0.0/16)");
const ipv4 = z.string().regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, "not an IPv4 address");
const hostName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,14}$/,
    "a server name is lowercase letters, digits and dashes, at most 15 characters (the Windows computer-name limit)",
  );
const subnetName = z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,79}$/, "a subnet name is letters, digits and dashes");

const virtualNetwork = z.strictObject({
  addressSpace: cidr,
  subnets: z.record(subnetName, cidr),
});

const hubSubnets = { AzureFirewallSubnet: 26, GatewaySubnet: 27, AzureBastionSubnet: 26 } as const;

const network = z.strictObject({
  hub: virtualNetwork,
  /** Department servers; each subnet is a tier (web, app, db, …), plus `endpoints` for private endpoints. */
  servers: virtualNetwork,
  /** The digital counter: `appGateway`, `web` and `endpoints`. */
  digitalCounter: virtualNetwork,
  /** Management (monitoring): `monitoring` and `endpoints`. */
  management: virtualNetwork,
  townHall: z.strictObject({ gatewayAddress: ipv4, addressSpaces: z.array(cidr).min(1) }),
});

const requiredSubnets: Record<"servers" | "digitalCounter" | "management", readonly string[]> = {
  servers: ["endpoints"],
  digitalCounter: ["appGateway", "web", "endpoints"],
  management: ["monitoring", "endpoints"],
};

const department = z.strictObject({
  id: departmentId,
  name: z.string().min(1),
  costCenter,
  headcount: z.number().int().nonnegative(),
  annualBudgetEur: z.number().nonnegative(),
});

const diskSku = z.enum(["Premium_LRS", "Premium_ZRS", "StandardSSD_LRS", "StandardSSD_ZRS"]);

const server = z.strictObject({
  /** The server's name, or with `count` the prefix of `<name>-01` … `<name>-NN`. */
  name: hostName,
  count: z.number().int().min(1).max(99).optional(),
  department: z.string(),
  service: z.string().regex(/^[a-z][a-z0-9-]*$/, "a service is lowercase letters, digits and dashes"),
  /** The tier: a subnet of the servers spoke. */
  tier: z.string(),
  os: z.enum(["linux", "windows"]),
  vmSize: z.string(),
  osDiskGiB: z.number().int().min(30).max(4095).optional(),
  dataDisks: z
    .array(z.strictObject({ sizeGiB: z.number().int().min(4).max(32_767), sku: diskSku.default("Premium_LRS") }))
    .default([]),
});

const share = z.strictObject({
  department: z.string(),
  name: z
    .string()
    .regex(
      /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/,
      "a share name is 3–63 lowercase letters, digits and single dashes",
    )
    .optional(),
  quotaGiB: z.number().int().min(1),
  tier: z.enum(["TransactionOptimized", "Hot", "Cool"]).default("TransactionOptimized"),
});

const digitalCounter = z.strictObject({
  department: z.string(),
  service: z.string().default("digitale-balie"),
  hostName: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "a DNS host name, e.g. loket.leiden.nl"),
  /** The TLS certificate for the listener, as a Key Vault secret id (versionless). */
  certificateSecretId: z.url(),
  webServers: z.strictObject({
    count: z.number().int().min(1).max(20),
    vmSize: z.string(),
    os: z.enum(["linux", "windows"]).default("linux"),
  }),
  /** Back-office systems reached through private endpoints (zaaksysteem, WOZ, subsidies, …). */
  backOffice: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, "lowercase letters, digits and dashes"),
        resourceId: z
          .string()
          .regex(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/.+/i, "an Azure resource id"),
        groupId: z.string().min(1),
      }),
    )
    .default([]),
});

export const stackConfigSchema = z.strictObject({
  organization: z.string().min(1),
  environment: z.enum(["prod", "acc", "test", "dev"]),
  location: z
    .string()
    .default("westeurope")
    .refine(
      (l) => (euLocations as readonly string[]).includes(l),
      `only EU locations are allowed: ${euLocations.join(", ")}`,
    ),
  network,
  departments: z.array(department).min(1),
  servers: z.array(server).default([]),
  shares: z.array(share).default([]),
  digitalCounter,
  monitoring: z
    .strictObject({
      retentionDays: z.number().int().min(30).max(730).default(365),
      flowLogRetentionDays: z.number().int().min(90).max(365).default(90),
      prometheusVmSize: z.string().default("Standard_D4s_v5"),
    })
    .default({ retentionDays: 365, flowLogRetentionDays: 90, prometheusVmSize: "Standard_D4s_v5" }),
  backup: z
    .strictObject({
      retentionDays: z.number().int().min(7).max(9999).default(30),
      scheduleTimeUtc: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM in UTC")
        .default("01:00"),
    })
    .default({ retentionDays: 30, scheduleTimeUtc: "01:00" }),
  ddosProtection: z.boolean().default(false),
  /** Expiry of the secrets stored in Key Vault (BIO U.11.2: rotate them before this date). */
  secretsExpireOn: z.iso
    .date("a date, YYYY-MM-DD")
    .refine((d) => Date.parse(d) > Date.now(), "the date has passed: rotate the secrets and set a new expiry"),
  admin: z.strictObject({
    username: z
      .string()
      .regex(/^[a-z_][a-z0-9_-]{0,31}$/, "a Linux user name")
      .default("muniops-admin"),
    sshPublicKey: z
      .string()
      .regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+/, "an OpenSSH public key (ssh-ed25519 …)"),
  }),
  agent: z.strictObject({
    port: z.number().int().min(1024).max(65535).default(9110),
    /** Where VMs download the agent release (reached through the firewall). */
    packageUrl: z.url(),
  }),
});

export type RawStackConfig = z.input<typeof stackConfigSchema>;
export type ParsedStackConfig = z.output<typeof stackConfigSchema>;
export type Department = z.output<typeof department>;

/** The secrets the program needs, set with `pulumi config set --secret`. */
export const secretKeys = ["vpnSharedKey", "windowsAdminPassword"] as const;
export type SecretKey = (typeof secretKeys)[number];

/** One VM the program creates, with its derived name, address and size. */
export interface ServerSpec {
  name: string;
  department: string;
  service: string;
  role: string;
  os: "linux" | "windows";
  vmSize: string;
  vcpus: number;
  memoryGiB: number;
  osDiskGiB: number;
  dataDisks: { sizeGiB: number; sku: string }[];
  /** Static private address (Azure reserves .0–.3, so the first VM of a subnet gets .4). */
  address: string;
  /** The subnet, as `<spoke>/<subnet>`. */
  subnet: { spoke: "servers" | "digitalCounter" | "management"; name: string };
}

export interface ShareSpec {
  name: string;
  department: string;
  quotaGiB: number;
  tier: "TransactionOptimized" | "Hot" | "Cool";
}

export interface StackConfig extends ParsedStackConfig {
  stack: string;
  secrets: { vpnSharedKey: pulumi.Output<string>; windowsAdminPassword?: pulumi.Output<string> };
  /** Every VM: department servers, digital-counter web servers and the Prometheus server. */
  allServers: ServerSpec[];
  allShares: ShareSpec[];
  departmentsById: Map<string, Department>;
}

export const configKeys = Object.keys(stackConfigSchema.shape) as (keyof RawStackConfig)[];

/** `["servers", 3, "department"]` → `muniops:servers[3].department`. */
export function configPath(path: readonly PropertyKey[]): string {
  let text = "muniops:";
  path.forEach((part, i) => {
    if (typeof part === "number") text += `[${part}]`;
    else text += i === 0 ? String(part) : `.${String(part)}`;
  });
  return text === "muniops:" ? "muniops:(root)" : text;
}

/**
 * Validate the raw config values. `secrets` holds the secret values that are set (as Outputs, so they
 * stay secret); `source` names where the values came from in every problem (e.g. Pulumi.dev.yaml).
 */
export function parseStackConfig(
  stack: string,
  raw: Record<string, unknown>,
  secrets: Partial<Record<SecretKey, pulumi.Output<string>>>,
  source: string | ((path: readonly PropertyKey[]) => string),
): StackConfig {
  const problems: ConfigProblem[] = [];
  const add = (path: readonly PropertyKey[], message: string): void => {
    problems.push({ source: typeof source === "string" ? source : source(path), path: configPath(path), message });
  };
  const result = stackConfigSchema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) add(issue.path, issue.message);
    throw new ConfigError(sortProblems(problems));
  }
  const cfg = result.data;
  const departmentsById = new Map<string, Department>();
  checkDepartments(cfg, departmentsById, add);
  checkNetwork(cfg, add);
  const allServers = expandServers(cfg, departmentsById, add);
  const allShares = expandShares(cfg, departmentsById, add);
  if (!secrets.vpnSharedKey)
    add(["vpnSharedKey"], "missing; set it with `pulumi config set --secret muniops:vpnSharedKey`");
  if (allServers.some((s) => s.os === "windows") && !secrets.windowsAdminPassword) {
    add(
      ["windowsAdminPassword"],
      "missing (the stack has Windows servers); set it with `pulumi config set --secret muniops:windowsAdminPassword`",
    );
  }
  if (problems.length > 0 || !secrets.vpnSharedKey) throw new ConfigError(sortProblems(problems));
  return {
    ...cfg,
    stack,
    secrets: {
      vpnSharedKey: secrets.vpnSharedKey,
      ...(secrets.windowsAdminPassword ? { windowsAdminPassword: secrets.windowsAdminPassword } : {}),
    },
    allServers,
    allShares,
    departmentsById,
  };
}

type Add = (path: readonly PropertyKey[], message: string) => void;

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.sort((a, b) => a.path.localeCompare(b.path, "en", { numeric: true }));
}

function checkDepartments(cfg: ParsedStackConfig, byId: Map<string, Department>, add: Add): void {
  cfg.departments.forEach((d, i) => {
    if (byId.has(d.id)) add(["departments", i, "id"], `duplicate department id "${d.id}"`);
    else byId.set(d.id, d);
  });
  if (!byId.has(sharedDepartmentId))
    add(
      ["departments"],
      `the department "${sharedDepartmentId}" (central ICT, owner of shared infrastructure) is missing`,
    );
}

function knownDepartment(id: string, byId: Map<string, Department>, path: readonly PropertyKey[], add: Add): boolean {
  if (byId.has(id)) return true;
  add(path, `unknown department "${id}" (known: ${[...byId.keys()].join(", ")})`);
  return false;
}

function checkNetwork(cfg: ParsedStackConfig, add: Add): void {
  const net = cfg.network;
  const spaces: { path: PropertyKey[]; cidr: string }[] = [
    ...(["hub", "servers", "digitalCounter", "management"] as const).map((key) => ({
      path: ["network", key, "addressSpace"],
      cidr: net[key].addressSpace,
    })),
    ...net.townHall.addressSpaces.map((c, i) => ({ path: ["network", "townHall", "addressSpaces", i], cidr: c })),
  ];
  const byLabel = new Map(spaces.map((s) => [configPath(s.path), s.path]));
  for (const [a, b] of overlappingPairs(spaces.map((s) => ({ label: configPath(s.path), cidr: s.cidr }))))
    add(byLabel.get(b) ?? [], `${spaceOf(spaces, b)} overlaps ${a} (${spaceOf(spaces, a)})`);
  for (const key of ["hub", "servers", "digitalCounter", "management"] as const) {
    const vnet = net[key];
    const subnets = Object.entries(vnet.subnets);
    for (const [name, block] of subnets) {
      if (!cidrContains(vnet.addressSpace, block))
        add(["network", key, "subnets", name], `${block} is outside the VNet's address space ${vnet.addressSpace}`);
    }
    for (const [a, b] of overlappingPairs(subnets.map(([label, c]) => ({ label, cidr: c }))))
      add(
        ["network", key, "subnets", b],
        `${vnet.subnets[b] ?? ""} overlaps the subnet ${a} (${vnet.subnets[a] ?? ""})`,
      );
    const required = key === "hub" ? Object.keys(hubSubnets) : requiredSubnets[key];
    for (const name of required)
      if (!(name in vnet.subnets)) add(["network", key, "subnets"], `the subnet "${name}" is required`);
  }
  for (const [name, minPrefix] of Object.entries(hubSubnets)) {
    const block = net.hub.subnets[name];
    const parsed = block ? parseCidr(block) : undefined;
    if (parsed && parsed.prefix > minPrefix)
      add(["network", "hub", "subnets", name], `Azure needs at least a /${minPrefix} for ${name}, got ${block}`);
  }
}

function spaceOf(spaces: { path: PropertyKey[]; cidr: string }[], label: string): string {
  return spaces.find((s) => configPath(s.path) === label)?.cidr ?? "";
}

function sizeOf(
  name: string,
  path: readonly PropertyKey[],
  add: Add,
): { vcpus: number; memoryGiB: number } | undefined {
  const size = vmSize(name);
  if (!size) add(path, `unknown VM size "${name}" (offered: ${Object.keys(vmSizes).join(", ")})`);
  return size;
}

function expandServers(cfg: ParsedStackConfig, byId: Map<string, Department>, add: Add): ServerSpec[] {
  const { servers, push } = serverPlacement(cfg, add);
  configuredServers(cfg, byId, add, push);
  digitalCounterWebServers(cfg, byId, add, push);
  prometheusServer(cfg, byId, add, push);
  return servers;
}

/** Adds a server to the list (unless its name is taken), with the next free address in its subnet. */
type PushServer = (spec: Omit<ServerSpec, "address">, path: readonly PropertyKey[]) => void;

/** The server list and how to add to it: names are unique, addresses handed out from host 4 on per subnet. */
function serverPlacement(cfg: ParsedStackConfig, add: Add): { servers: ServerSpec[]; push: PushServer } {
  const servers: ServerSpec[] = [];
  const seen = new Map<string, string>();
  const nextHost = new Map<string, number>();
  const place = (
    spoke: ServerSpec["subnet"]["spoke"],
    subnet: string,
    path: readonly PropertyKey[],
  ): string | undefined => {
    const block = cfg.network[spoke].subnets[subnet];
    if (!block) return undefined;
    const key = `${spoke}/${subnet}`;
    const n = nextHost.get(key) ?? 4;
    nextHost.set(key, n + 1);
    if (n - 4 >= usableAzureAddresses(block)) {
      add(path, `the subnet ${configPath(["network", spoke, "subnets", subnet])} (${block}) has no free address left`);
      return undefined;
    }
    return hostAddress(block, n);
  };
  const push: PushServer = (spec, path) => {
    const first = seen.get(spec.name);
    if (first) add(path, `duplicate server name "${spec.name}" (also ${first})`);
    seen.set(spec.name, configPath(path));
    const address = place(spec.subnet.spoke, spec.subnet.name, path);
    if (address) servers.push({ ...spec, address });
  };
  return { servers, push };
}

/** The `servers` entries: one server each, or `count` servers named `<prefix>-NN`. */
function configuredServers(cfg: ParsedStackConfig, byId: Map<string, Department>, add: Add, push: PushServer): void {
  cfg.servers.forEach((s, i) => {
    const known = knownDepartment(s.department, byId, ["servers", i, "department"], add);
    const size = sizeOf(s.vmSize, ["servers", i, "vmSize"], add);
    const tierOk = s.tier !== "endpoints" && s.tier in cfg.network.servers.subnets;
    if (!tierOk)
      add(
        ["servers", i, "tier"],
        `unknown tier "${s.tier}" (the servers spoke's subnets: ${Object.keys(cfg.network.servers.subnets)
          .filter((t) => t !== "endpoints")
          .join(", ")})`,
      );
    if (s.count !== undefined && s.name.length > 12)
      add(["servers", i, "name"], `"${s.name}" is too long for a prefix: with "-NN" it must stay within 15 characters`);
    if (!known || !size || !tierOk) return;
    const names =
      s.count === undefined
        ? [s.name]
        : Array.from({ length: s.count }, (_, n) => `${s.name}-${String(n + 1).padStart(2, "0")}`);
    for (const name of names) {
      push(
        {
          name,
          department: s.department,
          service: s.service,
          role: s.tier,
          os: s.os,
          vmSize: s.vmSize,
          ...size,
          osDiskGiB: s.osDiskGiB ?? (s.os === "windows" ? 128 : 64),
          dataDisks: s.dataDisks,
          subnet: { spoke: "servers", name: s.tier },
        },
        ["servers", i, "name"],
      );
    }
  });
}

/** The digital counter's web servers `dc-web-NN`. */
function digitalCounterWebServers(
  cfg: ParsedStackConfig,
  byId: Map<string, Department>,
  add: Add,
  push: PushServer,
): void {
  const dc = cfg.digitalCounter;
  const dcKnown = knownDepartment(dc.department, byId, ["digitalCounter", "department"], add);
  const webSize = sizeOf(dc.webServers.vmSize, ["digitalCounter", "webServers", "vmSize"], add);
  if (!dcKnown || !webSize) return;
  for (let n = 1; n <= dc.webServers.count; n++) {
    push(
      {
        name: `dc-web-${String(n).padStart(2, "0")}`,
        department: dc.department,
        service: dc.service,
        role: "web",
        os: dc.webServers.os,
        vmSize: dc.webServers.vmSize,
        ...webSize,
        osDiskGiB: dc.webServers.os === "windows" ? 128 : 64,
        dataDisks: [],
        subnet: { spoke: "digitalCounter", name: "web" },
      },
      ["digitalCounter", "webServers"],
    );
  }
}

/** The Prometheus server in the management spoke, charged to the shared department. */
function prometheusServer(cfg: ParsedStackConfig, byId: Map<string, Department>, add: Add, push: PushServer): void {
  const promSize = sizeOf(cfg.monitoring.prometheusVmSize, ["monitoring", "prometheusVmSize"], add);
  if (!promSize || !byId.has(sharedDepartmentId)) return;
  push(
    {
      name: "mgmt-prom-01",
      department: sharedDepartmentId,
      service: "monitoring",
      role: "monitoring",
      os: "linux",
      vmSize: cfg.monitoring.prometheusVmSize,
      ...promSize,
      osDiskGiB: 64,
      dataDisks: [{ sizeGiB: 512, sku: "Premium_LRS" }],
      subnet: { spoke: "management", name: "monitoring" },
    },
    ["monitoring"],
  );
}

function expandShares(cfg: ParsedStackConfig, byId: Map<string, Department>, add: Add): ShareSpec[] {
  const shares: ShareSpec[] = [];
  const seen = new Map<string, number>();
  let total = 0;
  cfg.shares.forEach((s, i) => {
    knownDepartment(s.department, byId, ["shares", i, "department"], add);
    const name = s.name ?? s.department;
    const first = seen.get(name);
    if (first !== undefined)
      add(
        ["shares", i, s.name ? "name" : "department"],
        `duplicate share name "${name}" (also muniops:shares[${first}])`,
      );
    seen.set(name, i);
    if (s.quotaGiB > maxShareQuotaGiB)
      add(
        ["shares", i, "quotaGiB"],
        `${s.quotaGiB} GiB is beyond the account limit of ${maxShareQuotaGiB} GiB per share`,
      );
    total += s.quotaGiB;
    shares.push({ name, department: s.department, quotaGiB: s.quotaGiB, tier: s.tier });
  });
  if (total > maxAccountCapacityGiB)
    add(
      ["shares"],
      `the quotas add up to ${total} GiB, beyond the storage account limit of ${maxAccountCapacityGiB} GiB`,
    );
  return shares;
}
