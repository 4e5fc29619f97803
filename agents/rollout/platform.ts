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
  /** `node --version`, only when the probe was asked for it (it costs a node start on the host). */
  nodeVersion?: string;
}

export interface RemotePlatform {
  /** Read-only: what is installed, where node is, and (when asked) node's version. */
  probe(options?: { nodeVersion?: boolean }): string;
  parseProbe(stdout: string): RemoteState;
  /**
   * Receive the bundle on stdin, check its SHA-256, write the config, make it current (the old current
   * becomes `previous`) and restart: one exec. Releases nothing points at any more are removed.
   */
  install(version: string, sha256: string, config: string, previous: string | undefined): string;
  /** Point current/previous at installed releases, (re)write the service definition, restart. */
  activate(current: string, previous: string | undefined): string;
  /** Undo a first install: stop the agent and remove its release. */
  uninstall(version: string): string;
  removeRelease(version: string): string;
}
