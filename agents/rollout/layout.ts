// Where an agent lives on a host and how it is run. The prefix may hold `{host}` (the inventory name),
// so several agents can share one machine: that is how the tests put 20 "hosts" behind one sshd.
import type { InventoryHost } from "../../contracts/inventory.js";

export const serviceManagers = ["systemd", "supervisor"] as const;
export type ServiceManagerName = (typeof serviceManagers)[number];

export const defaultLinuxPrefix = "/opt/muniops-agent";
export const defaultWindowsPrefix = "C:\\Program Files\\muniops-agent";
export const defaultServiceUser = "muniops-agent";
export const bundleFileName = "muniops-agent.mjs";
export const configFileName = "agent.yaml";

export interface InstallLayout {
  prefix: string;
  serviceUser: string;
  /** The systemd unit / scheduled task name. */
  serviceName: string;
  /** Linux only: how the agent is kept running. Windows hosts always use a scheduled task. */
  serviceManager: ServiceManagerName;
  /** Run the remote scripts through `sudo -n` (a non-root login with passwordless sudo). */
  sudo: boolean;
}

export interface LayoutOptions {
  prefix?: string | undefined;
  serviceUser: string;
  serviceManager: ServiceManagerName;
  sudo: boolean;
}

export function layoutFor(host: Pick<InventoryHost, "name" | "os">, options: LayoutOptions): InstallLayout {
  const template = options.prefix ?? (host.os === "windows" ? defaultWindowsPrefix : defaultLinuxPrefix);
  // A scheduled task's service-account logon takes only built-in accounts; the Linux default user
  // doesn't exist on Windows, so Windows hosts get LocalService unless another account is named.
  const serviceUser =
    host.os === "windows" && options.serviceUser === defaultServiceUser
      ? "NT AUTHORITY\\LocalService"
      : options.serviceUser;
  return {
    prefix: template.replaceAll("{host}", host.name),
    serviceUser,
    serviceName: "muniops-agent",
    serviceManager: options.serviceManager,
    sudo: options.sudo,
  };
}

/** Versions become directory names on the host: nothing that could climb out of releases/. */
export const versionPattern = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/;

/** The address the agent listens on: the one Prometheus scrapes (IPv6 in brackets), not every interface. */
export function listenAddress(host: Pick<InventoryHost, "address" | "agentPort">): string {
  const address = host.address.includes(":") ? `[${host.address}]` : host.address;
  return `${address}:${host.agentPort}`;
}
