// What the rollout needs from a host's operating system: scripts for each step, run over SSH.
// LinuxPlatform speaks POSIX sh (systemd or the supervisor); WindowsPlatform speaks PowerShell.

export interface RemoteState {
  /** The version `current` points at, if an agent is installed. */
  current?: string;
  previous?: string;
  /** Where node is on the host's PATH; empty when it is missing. */
  nodePath: string;
  /** SHA-256 of the installed agent configuration, to tell a config change from "unchanged". */
  configSha256?: string;
  /** SHA-256 of the bundle already installed for the version being deployed, if any: no need to upload it again. */
  releaseSha256?: string;
  /** `node --version`, only when the probe was asked for it (it costs a node start on the host). */
  nodeVersion?: string;
}

/** The line a deploy script prints after its probe, when it waits for the rollout's instruction. */
export const readyLine = "@@muniops-ready@@";

/**
 * The rollout's answer to a deploy script: leave the host as it is, or install the version, receiving
 * the bundle on stdin (`upload`) or reusing the identical one already installed (`reuse`).
 */
export type DeployInstruction = { action: "skip" } | { action: "upload" | "reuse"; previous: string | undefined };

/** The instruction as the script reads it: one line, `<action> <previous or ->`. */
export function instructionLine(instruction: DeployInstruction): string {
  return instruction.action === "skip" ? "skip -\n" : `${instruction.action} ${instruction.previous ?? "-"}\n`;
}

export interface ProbeOptions {
  /** Also run `node --version` (a node start on the host). */
  nodeVersion?: boolean;
  /** Also report the SHA-256 of this version's installed bundle, if it is installed. */
  release?: string;
}

export interface RemotePlatform {
  /** Read-only: what is installed, where node is, and (when asked) node's version. */
  probe(options?: ProbeOptions): string;
  parseProbe(stdout: string): RemoteState;
  /**
   * A whole deploy in one exec: print the probe (with the release's SHA-256) and `readyLine`, read one
   * instruction line from stdin, and unless it is `skip`: take the bundle (the rest of stdin, checked
   * against its SHA-256, or the installed one), write the config, make the version current with the
   * instruction's `previous`, and restart. Releases nothing points at any more are removed.
   */
  deploy(version: string, sha256: string, config: string): string;
  /** Point current/previous at installed releases, (re)write the service definition, restart. */
  activate(current: string, previous: string | undefined): string;
  /** Undo a first install: stop the agent and remove its release. */
  uninstall(version: string): string;
  removeRelease(version: string): string;
}
