// How the agent is kept running on a Linux host: a strategy, because real hosts have systemd and the
// tests (containers without an init system) do not.
//   systemd    — a hardened unit in /etc/systemd/system, run as the service user, restarted on failure.
//   supervisor — a small control script under the prefix: pid file, setsid + nohup, log file. It needs
//                no root and no init system; the tests use it, and it suits appliances without systemd.
// Each returns sh snippets; `$P` (the prefix) and `$NODE` (the remote node binary) are set by the caller.
import { bundleFileName, configFileName, type InstallLayout } from "./layout.js";
import { shQuote } from "./shell.js";

export interface ServiceManager {
  /** Write the unit / control script (idempotent). */
  install(layout: InstallLayout, agentArgs: readonly string[]): string;
  /** Restart (or start) the agent from `$P/current`. */
  restart(layout: InstallLayout): string;
  stop(layout: InstallLayout): string;
}

function agentCommandLine(agentArgs: readonly string[]): string {
  return [
    `"$NODE"`,
    `"$P/current/${bundleFileName}"`,
    `--config "$P/etc/${configFileName}"`,
    ...agentArgs.map(shQuote),
  ].join(" ");
}

export function systemdUnit(layout: InstallLayout, nodePath: string, agentArgs: readonly string[]): string {
  const execStart = [
    nodePath,
    `${layout.prefix}/current/${bundleFileName}`,
    "--config",
    `${layout.prefix}/etc/${configFileName}`,
    ...agentArgs,
  ].join(" ");
  return [
    "[Unit]",
    "Description=muniops agent (server metrics for Prometheus)",
    "After=network-online.target",
    "Wants=network-online.target",
    "",
    "[Service]",
    "Type=simple",
    `User=${layout.serviceUser}`,
    `ExecStart=${execStart}`,
    "Restart=on-failure",
    "RestartSec=5",
    // The agent reads /proc and /sys, answers HTTP and runs a read-only package query hourly: take away the rest.
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=read-only",
    "PrivateTmp=yes",
    "PrivateDevices=yes",
    "ProtectKernelTunables=yes",
    "ProtectControlGroups=yes",
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
    "CapabilityBoundingSet=",
    // The updates collector keeps when each security update was first seen pending in its default state
    // directory, /var/lib/muniops-agent, which ProtectSystem=strict would otherwise leave read-only.
    "StateDirectory=muniops-agent",
    "StateDirectoryMode=0750",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

export const systemd: ServiceManager = {
  install(layout, agentArgs) {
    const unitPath = `/etc/systemd/system/${layout.serviceName}.service`;
    // The unit is generated remotely, because ExecStart needs the host's own absolute path to node.
    const unitTemplate = systemdUnit(layout, "@NODE@", agentArgs);
    const user = shQuote(layout.serviceUser);
    return [
      `id -u ${user} >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin ${user}`,
      `cat > ${shQuote(unitPath + ".tmp")} <<'MUNIOPS_UNIT'`,
      unitTemplate + "MUNIOPS_UNIT",
      `sed -i "s#@NODE@#$NODE#" ${shQuote(unitPath + ".tmp")}`,
      `mv -f ${shQuote(unitPath + ".tmp")} ${shQuote(unitPath)}`,
      "systemctl daemon-reload",
      `systemctl enable --quiet ${shQuote(layout.serviceName)}`,
    ].join("\n");
  },
  restart(layout) {
    return `systemctl restart ${shQuote(layout.serviceName)}`;
  },
  stop(layout) {
    // Only used to undo a failed first install: don't leave a unit that would start it at boot.
    return `systemctl disable --now ${shQuote(layout.serviceName)} 2>/dev/null || true`;
  },
};

/** The supervisor's control script: start | stop | restart | status. */
export function supervisorScript(agentArgs: readonly string[]): string {
  return `#!/bin/sh
# muniops agent control script (written by muniops agents deploy; the "supervisor" service manager).
P=$(cd "\${0%/*}/.." && pwd)
read -r NODE < "$P/etc/node-path"
PIDFILE="$P/run/agent.pid"
running() {
  [ -f "$PIDFILE" ] || return 1
  read -r pid < "$PIDFILE"
  # The pid must still be our agent, not a recycled pid of something else.
  kill -0 "$pid" 2>/dev/null && tr '\\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$P/current/"
}
start() {
  running && return 0
  cd "$P" || exit 1
  setsid nohup ${agentCommandLine(agentArgs)} </dev/null >>"$P/log/agent.log" 2>&1 &
  echo $! > "$PIDFILE"
}
stop() {
  running || { rm -f "$PIDFILE"; return 0; }
  read -r pid < "$PIDFILE"
  kill -TERM "$pid" 2>/dev/null
  i=0
  while kill -0 "$pid" 2>/dev/null; do
    i=$((i + 1))
    [ "$i" -ge 100 ] && { kill -KILL "$pid" 2>/dev/null; break; }
    sleep 0.1
  done
  rm -f "$PIDFILE"
}
case "$1" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) if running; then echo running; else echo stopped; exit 3; fi ;;
  *) echo "usage: $0 start|stop|restart|status" >&2; exit 2 ;;
esac
`;
}

export const supervisor: ServiceManager = {
  install(_layout, agentArgs) {
    return [
      `mkdir -p "$P/bin" "$P/run" "$P/log"`,
      `printf '%s\\n' "$NODE" > "$P/etc/node-path"`,
      `cat > "$P/bin/agentctl.tmp" <<'MUNIOPS_CTL'`,
      supervisorScript(agentArgs) + "MUNIOPS_CTL",
      `chmod 755 "$P/bin/agentctl.tmp" && mv -f "$P/bin/agentctl.tmp" "$P/bin/agentctl"`,
    ].join("\n");
  },
  restart() {
    return `"$P/bin/agentctl" restart`;
  },
  stop() {
    return `if [ -x "$P/bin/agentctl" ]; then "$P/bin/agentctl" stop; fi`;
  },
};

export function serviceManagerFor(layout: InstallLayout): ServiceManager {
  return layout.serviceManager === "systemd" ? systemd : supervisor;
}
