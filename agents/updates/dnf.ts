// RHEL, Rocky, Alma and Fedora: dnf's view, from its metadata cache only (--cacheonly: the agent never
// refreshes repositories itself, the counterpart of never running `apt update`).
//   dnf -q --cacheonly updateinfo list --security --available   one line per advisory and package:
//     RHSA-2024:0071 Important/Sec. openssl-libs-1:3.0.7-25.el9_3.x86_64
//   dnf -q --cacheonly check-update                              one line per upgradable package, exit 100:
//     openssl-libs.x86_64                1:3.0.7-25.el9_3                 baseos
// Held packages are the versionlock plugin's entries; a reboot is required when `needs-restarting -r`
// (dnf-utils) exits 1.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PatchCheck } from "./patchState.js";
import { lastLine, runCommand } from "./command.js";

/** The package name of a name-[epoch:]version-release.arch string. */
export function nameOfNevra(nevra: string): string {
  return nevra.replace(/\.[^.]+$/, "").replace(/-[^-]+-[^-]+$/, "");
}

export function parseUpdateinfoList(text: string): { advisory: string; severity: string; name: string }[] {
  const rows: { advisory: string; severity: string; name: string }[] = [];
  for (const line of text.split("\n")) {
    const match = /^(\S+)\s+(\S+?)\/Sec\.\s+(\S+)$/.exec(line.trim());
    if (match?.[1] && match[2] && match[3])
      rows.push({ advisory: match[1], severity: match[2], name: nameOfNevra(match[3]) });
  }
  return rows;
}

/** Package names from check-update's table; the "Obsoleting Packages" section repeats names, so it ends the table. */
export function parseCheckUpdate(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split("\n")) {
    if (/^Obsoleting Packages/.test(line)) break;
    const match = /^(\S+)\.([^.\s]+)\s+\S+\s+\S+\s*$/.exec(line);
    if (match?.[1]) names.push(match[1]);
  }
  return [...new Set(names)];
}

/** versionlock.list: one locked package pattern a line; `!` lines exclude, `#` comments. */
export function parseVersionlockList(text: string): number {
  return text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#") && !l.startsWith("!")).length;
}

export interface DnfOptions {
  rootfs: string;
  timeoutMs: number;
}

export const dnfBinary = "/usr/bin/dnf";

export function dnfAvailable(): boolean {
  return existsSync(dnfBinary);
}

export async function dnfCheck(options: DnfOptions): Promise<PatchCheck> {
  const base = ["-q", "--cacheonly"];
  const security = await runCommand(
    dnfBinary,
    [...base, "updateinfo", "list", "--security", "--available"],
    options.timeoutMs,
  );
  if (security.code !== 0) throw new Error(`dnf updateinfo exited with ${security.code}: ${lastLine(security.stderr)}`);
  const all = await runCommand(dnfBinary, [...base, "check-update"], options.timeoutMs);
  // 100: updates are available; 0: none; anything else is an error.
  if (all.code !== 0 && all.code !== 100)
    throw new Error(`dnf check-update exited with ${all.code}: ${lastLine(all.stderr)}`);
  const securityNames = [...new Set(parseUpdateinfoList(security.stdout).map((r) => r.name))];
  const pending = parseCheckUpdate(all.stdout);
  const lockFile = join(options.rootfs, "etc", "dnf", "plugins", "versionlock.list");
  const held = existsSync(lockFile) ? parseVersionlockList(readFileSync(lockFile, "utf8")) : 0;
  let rebootRequired = false;
  if (existsSync("/usr/bin/needs-restarting")) {
    rebootRequired = (await runCommand("/usr/bin/needs-restarting", ["-r"], options.timeoutMs)).code === 1;
  }
  return {
    backend: "dnf",
    security: securityNames,
    otherCount: pending.filter((name) => !securityNames.includes(name)).length,
    held,
    rebootRequired,
  };
}
