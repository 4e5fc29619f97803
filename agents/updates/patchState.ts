// What a patch check found, and the little state that must outlive the agent: when each pending security
// update was first seen pending and when a reboot was first seen required. BIO2 measure 8.08.01 counts
// days from the moment a fix is available; an agent restart must not reset that clock, so the first-seen
// times live in a small JSON file under --collector.updates.state-dir, written atomically.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One check's findings, whichever package manager they came from. */
export interface PatchCheck {
  backend: "apt" | "dnf" | "windows-update";
  /** Keys of the pending security updates: package names (apt, dnf) or KB ids (Windows). */
  security: string[];
  /** How many other updates are pending. */
  otherCount: number;
  /** Updates held back on purpose: apt/dpkg holds, dnf versionlock entries, hidden Windows updates. */
  held: number;
  rebootRequired: boolean;
  /** When the OS says the reboot became required (the mtime of Debian's reboot-required file), if it says. */
  rebootRequiredSince?: number | undefined;
}

export interface PatchState {
  version: 1;
  /** Security update key → seconds since the epoch when a check first saw it pending. */
  securityFirstSeen: Record<string, number>;
  rebootRequiredSince?: number | undefined;
  lastSuccess?: number | undefined;
}

export const emptyPatchState = (): PatchState => ({ version: 1, securityFirstSeen: {} });

/**
 * The state after a successful check at `now`: updates no longer pending are forgotten, new ones start
 * their clock now, and ones still pending keep their first-seen time (keyed by package, so a newer fix
 * for a package that was already waiting does not restart the week).
 */
export function advancePatchState(previous: PatchState, check: PatchCheck, now: number): PatchState {
  const securityFirstSeen: Record<string, number> = {};
  for (const key of [...new Set(check.security)].sort())
    securityFirstSeen[key] = previous.securityFirstSeen[key] ?? now;
  let rebootRequiredSince: number | undefined;
  if (check.rebootRequired) {
    const candidates = [previous.rebootRequiredSince ?? now, check.rebootRequiredSince ?? now];
    rebootRequiredSince = Math.min(...candidates);
  }
  return { version: 1, securityFirstSeen, rebootRequiredSince, lastSuccess: now };
}

/** Seconds since the oldest pending security update was first seen, 0 when none is pending. */
export function oldestSecurityAge(state: PatchState, now: number): number {
  const times = Object.values(state.securityFirstSeen);
  return times.length === 0 ? 0 : Math.max(0, now - Math.min(...times));
}

export const stateFileName = "updates-state.json";

/** A missing or unreadable state file starts afresh (logged by the caller); it is only a memory. */
export function loadPatchState(directory: string): PatchState {
  try {
    const parsed = JSON.parse(readFileSync(join(directory, stateFileName), "utf8")) as Partial<PatchState>;
    const firstSeen = parsed.securityFirstSeen ?? {};
    const valid = Object.entries(firstSeen).filter(([, t]) => typeof t === "number" && Number.isFinite(t));
    const number = (value: unknown): number | undefined =>
      typeof value === "number" && Number.isFinite(value) ? value : undefined;
    return {
      version: 1,
      securityFirstSeen: Object.fromEntries(valid),
      rebootRequiredSince: number(parsed.rebootRequiredSince),
      lastSuccess: number(parsed.lastSuccess),
    };
  } catch {
    return emptyPatchState();
  }
}

/** Written to a temporary name and renamed, so a crash never leaves half a file. */
export function savePatchState(directory: string, state: PatchState): void {
  mkdirSync(directory, { recursive: true, mode: 0o750 });
  const path = join(directory, stateFileName);
  writeFileSync(`${path}.tmp`, JSON.stringify(state, null, 2) + "\n", { mode: 0o640 });
  renameSync(`${path}.tmp`, path);
}
