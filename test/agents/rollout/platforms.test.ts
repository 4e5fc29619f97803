// The generated remote scripts: the Windows ones decoded from -EncodedCommand, the Linux ones run for
// real by sh where that is possible without a host (the supervisor script), the systemd unit inspected.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { layoutFor } from "../../../agents/rollout/layout.js";
import { LinuxPlatform } from "../../../agents/rollout/linuxPlatform.js";
import { readyLine } from "../../../agents/rollout/platform.js";
import { supervisorScript, systemdUnit } from "../../../agents/rollout/serviceManager.js";
import { shQuote } from "../../../agents/rollout/shell.js";
import { WindowsPlatform } from "../../../agents/rollout/windowsPlatform.js";

const windowsHost = { name: "bel-app-01", os: "windows" as const };
const linuxHost = { name: "bz-app-01", os: "linux" as const };
const decode = (command: string): string => Buffer.from(command.split(" ").pop()!, "base64").toString("utf16le");

describe("layout", () => {
  it("defaults the prefix per OS and substitutes {host}", () => {
    const options = { serviceUser: "muniops-agent", serviceManager: "systemd" as const, sudo: false };
    expect(layoutFor(linuxHost, options).prefix).toBe("/opt/muniops-agent");
    expect(layoutFor(windowsHost, options).prefix).toBe("C:\\Program Files\\muniops-agent");
    expect(layoutFor(linuxHost, { ...options, prefix: "/srv/{host}/agent" }).prefix).toBe("/srv/bz-app-01/agent");
    // The Linux default account doesn't exist on Windows: a scheduled task runs as LocalService there.
    expect(layoutFor(windowsHost, options).serviceUser).toBe("NT AUTHORITY\\LocalService");
    expect(layoutFor(linuxHost, options).serviceUser).toBe("muniops-agent");
  });
});

describe("Windows (PowerShell over OpenSSH)", () => {
  const platform = new WindowsPlatform(
    layoutFor(windowsHost, { serviceUser: "NT AUTHORITY\\LocalService", serviceManager: "systemd", sudo: false }),
    ["--web.listen-address=10.20.1.5:9110"],
  );

  it("sends every script as -EncodedCommand, stopping on the first error", () => {
    const command = platform.probe();
    expect(command).toMatch(
      /^powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand [A-Za-z0-9+/=]+$/,
    );
    const script = decode(command);
    expect(script.startsWith("$ErrorActionPreference = 'Stop'\n$P = 'C:\\Program Files\\muniops-agent'")).toBe(true);
    expect(script).toContain("nodePath=");
    expect(script).not.toContain("node --version");
    expect(decode(platform.probe({ nodeVersion: true }))).toContain("& node --version");
  });

  it("deploys in one script: probe, ready line, one instruction line, then the bundle checked by SHA-256", () => {
    const script = decode(platform.deploy("1.2.0", "ab".repeat(32), "agent: {}\n"));
    expect(script).toContain(`Say ("release=" + (Hash-Of 'releases\\1.2.0\\muniops-agent.mjs'))`);
    expect(script.indexOf("release=")).toBeLessThan(script.indexOf(`Say '${readyLine}'`));
    expect(script.indexOf(`Say '${readyLine}'`)).toBeLessThan(script.indexOf("$stdin.ReadByte()"));
    expect(script).toContain("Get-FileHash -Algorithm SHA256");
    expect(script).toContain(`if ($sum -ne '${"ab".repeat(32)}')`);
    expect(script).toContain("if ($instruction -eq 'skip') { exit 0 }");
    expect(script).toContain("} elseif ($instruction -eq 'reuse') { Test-Bundle");
    expect(script).toContain("Set-Content -NoNewline -Path (Join-Path $P 'current.txt') -Value '1.2.0'");
    expect(script).toContain(
      "if ($previous) { Set-Content -NoNewline -Path (Join-Path $P 'previous.txt') -Value $previous }",
    );
    expect(script).toContain("$keep = @('1.2.0', $previous)");
    expect(script).toContain(
      "New-ScheduledTaskPrincipal -UserId 'NT AUTHORITY\\LocalService' -LogonType ServiceAccount",
    );
    expect(script).toContain("--web.listen-address=10.20.1.5:9110");
    expect(script.indexOf("Register-ScheduledTask")).toBeLessThan(script.indexOf("Start-ScheduledTask"));
  });

  it("quotes hostile values so they stay data", () => {
    const script = decode(platform.deploy("1.0.0", "00", "x: 'it''s'\n"));
    expect(script).toContain("'x: ''it''''s''\n', (New-Object Text.UTF8Encoding $false)");
    expect(decode(platform.activate("1.0.0", undefined))).toContain("$previous = $null");
  });

  it("rolls back by pointing current at an installed release and restarting", () => {
    const script = decode(platform.activate("1.1.0", "1.2.0"));
    expect(script).toContain("releases\\1.1.0\\muniops-agent.mjs");
    expect(script).toContain("Start-ScheduledTask");
  });
});

describe("Linux", () => {
  it("writes a hardened systemd unit running the current release as the service user", () => {
    const layout = layoutFor(linuxHost, { serviceUser: "muniops-agent", serviceManager: "systemd", sudo: false });
    const unit = systemdUnit(layout, "/usr/bin/node", ["--web.listen-address=10.20.1.4:9110"]);
    expect(unit).toContain("User=muniops-agent");
    expect(unit).toContain(
      "ExecStart=/usr/bin/node /opt/muniops-agent/current/muniops-agent.mjs --config " +
        "/opt/muniops-agent/etc/agent.yaml --web.listen-address=10.20.1.4:9110",
    );
    expect(unit).toContain("NoNewPrivileges=yes");
    expect(unit).toContain("ProtectSystem=strict");
    // Writable despite ProtectSystem=strict: the updates collector's first-seen times survive restarts.
    expect(unit).toContain("StateDirectory=muniops-agent\n");
    expect(unit).toContain("WantedBy=multi-user.target");
  });

  it("runs the install through sudo -n when asked, as one sh -c script", () => {
    const layout = layoutFor(linuxHost, { serviceUser: "muniops-agent", serviceManager: "systemd", sudo: true });
    const command = new LinuxPlatform(layout, []).deploy("1.0.0", "00", "");
    expect(command.startsWith("sudo -n sh -c '")).toBe(true);
    expect(command).toContain("systemctl restart");
    expect(command).toContain("useradd --system");
  });

  it("generates shell that sh accepts (syntax check of every script)", () => {
    const layout = layoutFor(linuxHost, {
      prefix: "/tmp/it's {host}",
      serviceUser: "muniops-agent",
      serviceManager: "supervisor",
      sudo: false,
    });
    const platform = new LinuxPlatform(layout, ["--web.listen-address=127.0.0.1:9110"]);
    for (const command of [
      platform.probe(),
      platform.probe({ nodeVersion: true }),
      platform.probe({ release: "1.0.0" }),
      platform.deploy("1.0.0", "00", "a: 1"),
      platform.activate("0.9.0", undefined),
      platform.uninstall("1.0.0"),
      platform.removeRelease("1.0.0"),
    ]) {
      const script = /^sh -c (.*)$/s.exec(command)![1]!;
      const inner = execFileSync("sh", ["-c", `printf '%s' ${script}`], { encoding: "utf8" });
      execFileSync("sh", ["-n", "-c", inner]);
    }
    execFileSync("sh", ["-n", "-c", supervisorScript(["--x"])]);
    expect(shQuote("it's")).toBe(`'it'\\''s'`);
  });
});
