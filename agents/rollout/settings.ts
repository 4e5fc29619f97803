// The settings of `muniops agents deploy|status|rollback`, declared once (flags, MUNIOPS_* variables,
// the YAML file and the README's reference all come from here).
import { homedir, userInfo } from "node:os";
import { join } from "node:path";
import { rolloutHistoryFileSetting } from "../../contracts/rolloutHistory.js";
import { defineSetting, z } from "../../settings.js";
import { defaultServiceUser, serviceManagers } from "./layout.js";
import { amountHint, isAmount, rolloutOrders } from "./waves.js";

export const connectionSettings = {
  inventory: defineSetting({
    key: "rollout.inventory",
    type: "string",
    schema: z.string().min(1),
    default: "inventory.json",
    flag: "--inventory",
    description: "the inventory file (inventory.json) listing the hosts",
  }),
  hosts: defineSetting({
    key: "rollout.hosts",
    type: "string",
    schema: z.string(),
    flag: "--hosts",
    description: "only hosts whose inventory name matches these comma-separated globs (`bz-*,!bz-db-*`)",
  }),
  parallel: defineSetting({
    key: "rollout.parallel",
    type: "integer",
    schema: z.number().int().min(1).max(200),
    default: 10,
    flag: "--parallel",
    description: "hosts worked on at the same time",
  }),
  sshUser: defineSetting({
    key: "rollout.sshUser",
    type: "string",
    schema: z.string().regex(/^[a-z_][a-z0-9_.-]*\$?$/i, "a user name"),
    flag: "--ssh-user",
    description: "the login user on the hosts (default: your user name)",
  }),
  sshPort: defineSetting({
    key: "rollout.sshPort",
    type: "integer",
    schema: z.number().int().min(1).max(65535),
    default: 22,
    flag: "--ssh-port",
    description: "the SSH port of the hosts",
  }),
  identity: defineSetting({
    key: "rollout.identity",
    type: "string",
    schema: z.string().min(1),
    flag: "--identity",
    description:
      "a private key file (asks for its passphrase on a terminal); without it only ssh-agent (SSH_AUTH_SOCK) is used",
  }),
  passphrase: defineSetting({
    key: "rollout.sshPassphrase",
    type: "string",
    schema: z.string(),
    secret: true,
    description:
      "passphrase of the --identity key for unattended runs (no flag, so it never shows in a process list; " +
      "prefer ssh-agent)",
  }),
  knownHosts: defineSetting({
    key: "rollout.knownHosts",
    type: "string",
    schema: z.string().min(1),
    default: "~/.ssh/known_hosts",
    flag: "--known-hosts",
    description: "the OpenSSH known_hosts file host keys are checked against",
  }),
  acceptNew: defineSetting({
    key: "rollout.acceptNew",
    type: "boolean",
    schema: z.boolean(),
    default: false,
    flag: "--accept-new",
    description:
      "like StrictHostKeyChecking=accept-new: record the keys of hosts never seen before (a changed key is " +
      "still refused)",
  }),
  connectTimeout: defineSetting({
    key: "rollout.connectTimeout",
    type: "number",
    schema: z.number().positive(),
    default: 20,
    flag: "--connect-timeout",
    description: "seconds to wait for an SSH connection",
  }),
  prefix: defineSetting({
    key: "rollout.prefix",
    type: "string",
    schema: z.string().min(1),
    flag: "--prefix",
    description:
      "install directory on the hosts; `{host}` is replaced by the host name (default: /opt/muniops-agent, " +
      "on Windows C:\\Program Files\\muniops-agent)",
  }),
  serviceUser: defineSetting({
    key: "rollout.serviceUser",
    type: "string",
    schema: z.string().min(1),
    default: defaultServiceUser,
    flag: "--service-user",
    description:
      "the account the agent runs as (systemd creates it if missing; Windows: a service account such as LocalService)",
  }),
  serviceManager: defineSetting({
    key: "rollout.serviceManager",
    type: "string",
    schema: z.enum(serviceManagers),
    default: "systemd",
    flag: "--service-manager",
    description:
      "how the agent is kept running on Linux: systemd, or supervisor (pid file and setsid, no root or init " +
      "system needed)",
  }),
  sudo: defineSetting({
    key: "rollout.sudo",
    type: "boolean",
    schema: z.boolean(),
    default: false,
    flag: "--sudo",
    description: "run the install steps through sudo -n (a non-root login with passwordless sudo)",
  }),
  healthTimeout: defineSetting({
    key: "rollout.healthTimeout",
    type: "number",
    schema: z.number().positive(),
    default: 30,
    flag: "--health-timeout",
    description: "seconds to wait for /metrics to report the new version before rolling back",
  }),
  dryRun: defineSetting({
    key: "rollout.dryRun",
    type: "boolean",
    schema: z.boolean(),
    default: false,
    flag: "--dry-run",
    description: "connect and report what would change, changing nothing (not even known_hosts)",
  }),
};

export const deploySettings = {
  ...connectionSettings,
  bundle: defineSetting({
    key: "rollout.bundle",
    type: "string",
    schema: z.string().min(1),
    flag: "--bundle",
    description: "a prebuilt agent bundle to install (default: build one from this muniops)",
  }),
  agentConfig: defineSetting({
    key: "rollout.agentConfig",
    type: "string",
    schema: z.string().min(1),
    flag: "--agent-config",
    description: "a YAML file installed as the agent's configuration (default: an empty one)",
  }),
  canary: defineSetting({
    key: "rollout.canary",
    type: "integer",
    schema: z.number().int().min(0).max(10_000),
    default: 0,
    flag: "--canary",
    description: "deploy to this many hosts first and stop, touching no other host, if any of them fails",
  }),
  waveSize: defineSetting({
    key: "rollout.waveSize",
    type: "string",
    schema: z.string().refine(isAmount, amountHint),
    default: "100%",
    flag: "--wave-size",
    description: "hosts per wave after the canary: a count (10) or a percentage of those hosts (25%)",
  }),
  maxFailures: defineSetting({
    key: "rollout.maxFailures",
    type: "string",
    schema: z.string().refine(isAmount, amountHint),
    default: "100%",
    flag: "--max-failures",
    description:
      "failed hosts a wave tolerates, a count (0) or a percentage of the wave (10%); one more stops the " +
      "rollout and rolls that wave back",
  }),
  order: defineSetting({
    key: "rollout.order",
    type: "string",
    schema: z.enum(rolloutOrders),
    default: "inventory",
    flag: "--order",
    description:
      "the order hosts are upgraded in: inventory, environment (dev, test, acc, then prod) or department " +
      "(then environment)",
  }),
  resume: defineSetting({
    key: "rollout.resume",
    type: "boolean",
    schema: z.boolean(),
    default: false,
    flag: "--resume",
    description:
      "after an interrupted rollout: skip hosts already at the bundle's version, checked by version and " +
      "SHA-256 on the host",
  }),
  historyFile: rolloutHistoryFileSetting,
};

export const historySettings = {
  historyFile: deploySettings.historyFile,
  format: defineSetting({
    key: "rollout.historyFormat",
    type: "string",
    schema: z.enum(["table", "json"]),
    default: "table",
    flag: "--format",
    description: "table (one row per rollout) or json (one record per line, as stored)",
  }),
  limit: defineSetting({
    key: "rollout.historyLimit",
    type: "integer",
    schema: z.number().int().min(1),
    default: 20,
    flag: "--limit",
    description: "the most recent rollouts shown",
  }),
};

/** The login user when --ssh-user is not set: the local user name, as OpenSSH does. */
export function defaultSshUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "root";
  }
}

/** `~/` in a path setting means the home directory, as in ssh_config. */
export function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}
