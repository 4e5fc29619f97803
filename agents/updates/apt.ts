// Debian and Ubuntu: what `apt-get -s dist-upgrade` would do, from apt's own package lists as they are
// (the agent never runs `apt update`: that is the system's apt timer's job, and the age of the lists shows
// in muniops_updates_last_success_timestamp_seconds only as far as apt itself refreshed them). The
// simulation prints one `Inst` line per upgrade, naming the releases the new version comes from:
//   Inst libc6 [2.36-9+deb12u3] (2.36-9+deb12u4 Debian:12.5/stable, Debian-Security:12/stable-security [amd64])
// An upgrade is a security update when one of those releases is a security archive (label or suite
// containing "security"), as unattended-upgrades and apt_info.py decide. Held packages are the ones
// dpkg has on hold (`apt-mark hold`), read from dpkg's status file.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { PatchCheck } from "./patchState.js";
import { lastLine, runCommand } from "./command.js";

export interface AptUpgrade {
  name: string;
  from?: string | undefined;
  to: string;
  releases: string[];
  security: boolean;
}

export function parseAptSimulation(text: string): AptUpgrade[] {
  const upgrades: AptUpgrade[] = [];
  for (const line of text.split("\n")) {
    // Inst <name> [<installed>] (<candidate> <release>, <release> [<arch>]); a new install has no [<installed>].
    const match = /^Inst (\S+) (?:\[([^\]]*)\] )?\((\S+) (.*) \[[^\]]+\]\)/.exec(line);
    if (!match?.[1] || !match[3] || match[4] === undefined) continue;
    const releases = match[4].split(", ").filter((r) => r !== "");
    upgrades.push({
      name: match[1],
      from: match[2],
      to: match[3],
      releases,
      security: releases.some((r) => /security/i.test(r)),
    });
  }
  return upgrades;
}

/** Packages whose dpkg selection is `hold` (the first word of their Status field). */
export function parseDpkgHolds(status: string): string[] {
  const held: string[] = [];
  for (const stanza of status.split(/\n\s*\n/)) {
    const name = /^Package: (\S+)$/m.exec(stanza)?.[1];
    if (name && /^Status: hold /m.test(stanza)) held.push(name);
  }
  return held;
}

export interface AptOptions {
  /** An extra apt configuration file (apt-get -c), e.g. to point apt at another root. */
  aptConfig?: string | undefined;
  /** Where /var/run/reboot-required is looked for. */
  rootfs: string;
  timeoutMs: number;
}

export const aptGet = "/usr/bin/apt-get";

export function aptAvailable(): boolean {
  return existsSync(aptGet);
}

export async function aptCheck(options: AptOptions): Promise<PatchCheck> {
  const config = options.aptConfig ? ["-c", options.aptConfig] : [];
  // Debug::NoLocking: a simulation only reads, and must not fail (or block) while apt runs elsewhere.
  const args = [...config, "-s", "-q", "-o", "Debug::NoLocking=1", "dist-upgrade"];
  const result = await runCommand(aptGet, args, options.timeoutMs);
  if (result.code !== 0)
    throw new Error(`apt-get -s dist-upgrade exited with ${result.code}: ${lastLine(result.stderr)}`);
  // Only upgrades of installed packages: a new package pulled in by one (a new kernel ABI's linux-image-…) is
  // part of that upgrade (its metapackage, linux-image-amd64, is the upgrade counted), not an update of its own.
  const upgrades = parseAptSimulation(result.stdout).filter((u) => u.from !== undefined);
  const statusFile = await aptStatusFile(config, options.timeoutMs);
  const held = parseDpkgHolds(readFileSync(statusFile, "utf8")).length;
  const marker = join(options.rootfs, "var", "run", "reboot-required");
  const rebootRequired = existsSync(marker);
  return {
    backend: "apt",
    security: upgrades.filter((u) => u.security).map((u) => u.name),
    otherCount: upgrades.filter((u) => !u.security).length,
    held,
    rebootRequired,
    rebootRequiredSince: rebootRequired ? Math.floor(statSync(marker).mtimeMs / 1000) : undefined,
  };
}

/** dpkg's status file as apt is configured to read it (Dir::State::status), so -c configurations are honoured. */
async function aptStatusFile(config: readonly string[], timeoutMs: number): Promise<string> {
  const result = await runCommand(
    "/usr/bin/apt-config",
    [...config, "shell", "STATUS", "Dir::State::status/f"],
    timeoutMs,
  );
  const match = /^STATUS='(.*)'$/m.exec(result.stdout);
  return match?.[1] ?? "/var/lib/dpkg/status";
}
