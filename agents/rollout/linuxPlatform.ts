// The remote side of a rollout on Linux, as POSIX sh scripts run over one SSH connection.
// Layout under the prefix:
//   releases/<version>/muniops-agent.mjs   every installed version (the current and the previous are kept)
//   current -> releases/<version>          what runs; switched with rename(2), so it is never half-written
//   previous -> releases/<version>         what a rollback returns to
//   etc/agent.yaml                         the agent's configuration
import { bundleFileName, configFileName, type InstallLayout } from "./layout.js";
import { readyLine, type ProbeOptions, type RemotePlatform, type RemoteState } from "./platform.js";
import { serviceManagerFor } from "./serviceManager.js";
import { shQuote } from "./shell.js";

export class LinuxPlatform implements RemotePlatform {
  constructor(
    private readonly layout: InstallLayout,
    private readonly agentArgs: readonly string[],
  ) {}

  private wrap(body: string): string {
    const script = ["set -eu", "umask 022", `P=${shQuote(this.layout.prefix)}`, body].join("\n");
    return `${this.layout.sudo ? "sudo -n " : ""}sh -c ${shQuote(script)}`;
  }

  probe(options: ProbeOptions = {}): string {
    return this.wrap(probeLines(options));
  }

  parseProbe(stdout: string): RemoteState {
    return parseProbeOutput(stdout);
  }

  /**
   * Probe, then wait for the instruction; on `upload`/`reuse`, take the bundle (stdin, or the installed
   * one) and check its SHA-256, write the config, switch and restart. One SSH exec, because every exec
   * costs round trips and a login shell. Releases that neither the old state nor the new one points at
   * are deleted first, so a failed deploy can still restore the old current and previous.
   */
  deploy(version: string, sha256: string, config: string): string {
    const manager = serviceManagerFor(this.layout);
    const bundle = `"$R/${bundleFileName}"`;
    return this.wrap(
      [
        probeLines({ release: version }),
        `echo ${shQuote(readyLine)}`,
        // sh's read takes one byte at a time from a pipe, so the bundle behind the line stays on stdin.
        "read -r action previous",
        `if [ "$action" = skip ]; then exit 0; fi`,
        `if [ "$previous" = - ]; then previous=; fi`,
        `NODE=$(command -v node) || { echo "node is not on the PATH" >&2; exit 4; }`,
        `R="$P/releases/"${shQuote(version)}`,
        `mkdir -p "$R" "$P/etc"`,
        `check() { sum=$(sha "$1"); if [ "$sum" != ${shQuote(sha256)} ]; then rm -f ` +
          `"$R/${bundleFileName}.tmp"; echo "$2: sha256 $sum, expected ${sha256}" >&2; exit 3; fi; }`,
        "case $action in",
        `  upload) cat > "$R/${bundleFileName}.tmp"; check "$R/${bundleFileName}.tmp" "upload corrupted"; mv ` +
          `-f "$R/${bundleFileName}.tmp" ${bundle} ;;`,
        `  reuse) check ${bundle} "the installed release changed" ;;`,
        `  *) echo "unknown instruction: $action" >&2; exit 2 ;;`,
        "esac",
        `cat > "$P/etc/${configFileName}.tmp" <<'MUNIOPS_CONFIG'`,
        config.endsWith("\n") ? config + "MUNIOPS_CONFIG" : `${config}\nMUNIOPS_CONFIG`,
        `mv -f "$P/etc/${configFileName}.tmp" "$P/etc/${configFileName}"`,
        pruneExcept([shQuote(version), `"$previous"`, `"$(link current)"`, `"$(link previous)"`]),
        switchLink("current", shQuote(version)),
        `if [ -n "$previous" ]; then`,
        switchLink("previous", `"$previous"`),
        `else rm -f "$P/previous"; fi`,
        manager.install(this.layout, this.agentArgs),
        manager.restart(this.layout),
      ].join("\n"),
    );
  }

  /** Point current (and previous) at installed releases, rewrite the service definition and restart. */
  activate(current: string, previous: string | undefined): string {
    const manager = serviceManagerFor(this.layout);
    return this.wrap(
      [
        `NODE=$(command -v node) || { echo "node is not on the PATH" >&2; exit 4; }`,
        switchLink("current", shQuote(current)),
        previous ? switchLink("previous", shQuote(previous)) : `rm -f "$P/previous"`,
        manager.install(this.layout, this.agentArgs),
        manager.restart(this.layout),
      ].join("\n"),
    );
  }

  /** A first install that failed its health check: stop it and remove what this deploy added. */
  uninstall(version: string): string {
    const manager = serviceManagerFor(this.layout);
    return this.wrap(
      [manager.stop(this.layout), `rm -f "$P/current"`, `rm -rf "$P/releases/"${shQuote(version)}`].join("\n"),
    );
  }

  removeRelease(version: string): string {
    return this.wrap(`rm -rf "$P/releases/"${shQuote(version)}`);
  }
}

// Shell helpers. Parameter expansion instead of basename and cut: every process a script starts costs
// the host a fork and an exec, and a fleet's deploys add up (see bench/rollout.bench.ts).
const linkFunction = `link() { if [ -L "$P/$1" ]; then t=$(readlink "$P/$1"); echo "\${t##*/}"; fi; }`;
const shaFunction = `sha() { s=$(sha256sum "$1" 2>/dev/null) || s=; echo "\${s%% *}"; }`;

function probeLines(options: ProbeOptions): string {
  return [
    linkFunction,
    `printf 'current=%s\\nprevious=%s\\n' "$(link current)" "$(link previous)"`,
    `printf 'nodePath=%s\\n' "$(command -v node || true)"`,
    shaFunction,
    `printf 'config=%s\\n' "$(sha "$P/etc/${configFileName}")"`,
    ...(options.release !== undefined
      ? [`printf 'release=%s\\n' "$(sha "$P/releases/"${shQuote(options.release)}/${bundleFileName})"`]
      : []),
    ...(options.nodeVersion ? [`printf 'node=%s\\n' "$(node --version 2>/dev/null || true)"`] : []),
  ].join("\n");
}

/** Remove every release but these (shell words: quoted names or expansions; empty ones match nothing). */
function pruneExcept(keep: readonly string[]): string {
  return [
    linkFunction,
    `for r in "$P"/releases/*; do [ -d "$r" ] || continue; n=\${r##*/}; keep=0; for k in ${keep.join(" ")}; ` +
      `do if [ "$n" = "$k" ]; then keep=1; fi; done; [ "$keep" = 1 ] || rm -rf "$r"; done`,
  ].join("\n");
}

/** Point `$P/<name>` at the release a shell word names (a quoted version or a variable), atomically. */
function switchLink(name: string, version: string): string {
  const bundle = `"$P/releases/"${version}"/${bundleFileName}"`;
  return (
    `[ -f ${bundle} ] || { echo "release "${version}" is not installed under $P" >&2; exit 5; }\nln -sfn ` +
    `"releases/"${version} "$P/${name}.tmp" && mv -Tf "$P/${name}.tmp" "$P/${name}"`
  );
}

/** `key=value` lines, as both platforms' probes print them. */
export function parseProbeOutput(stdout: string): RemoteState {
  const values = new Map(
    stdout
      .split(/\r?\n/)
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1).trim()] as const),
  );
  const state: RemoteState = { nodePath: values.get("nodePath") ?? "" };
  const current = values.get("current");
  const previous = values.get("previous");
  const node = values.get("node");
  const config = values.get("config");
  const release = values.get("release");
  if (config) state.configSha256 = config.toLowerCase();
  if (release) state.releaseSha256 = release.toLowerCase();
  if (current) state.current = current;
  if (previous) state.previous = previous;
  if (node !== undefined) state.nodeVersion = node;
  return state;
}
