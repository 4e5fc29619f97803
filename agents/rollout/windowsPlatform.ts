// The remote side of a rollout on Windows, as PowerShell over Windows' OpenSSH server. Every script
// travels as -EncodedCommand, so neither cmd.exe (OpenSSH's default shell) nor PowerShell re-parses a
// path or version. Same layout as on Linux, except that `current` and `previous` are small text files
// holding a version (symbolic links need an elevated token or developer mode on Windows).
//
// node.exe cannot answer the Service Control Manager, so a plain `New-Service` around it would be
// killed after 30 s. The agent runs as a scheduled task instead: at start-up, as the service account,
// restarted on failure, no time limit — the dependency-free equivalent of a service (no NSSM/WinSW).
import { bundleFileName, configFileName, type InstallLayout } from "./layout.js";
import { parseProbeOutput } from "./linuxPlatform.js";
import type { RemotePlatform, RemoteState } from "./platform.js";
import { encodePowerShell, psQuote } from "./shell.js";

export class WindowsPlatform implements RemotePlatform {
  constructor(
    private readonly layout: InstallLayout,
    private readonly agentArgs: readonly string[],
  ) {}

  private script(body: string[]): string {
    return encodePowerShell(["$ErrorActionPreference = 'Stop'", `$P = ${psQuote(this.layout.prefix)}`, ...body].join("\n"));
  }

  probe(options: { nodeVersion?: boolean } = {}): string {
    return this.script([
      "function Read-Pointer($name) { $f = Join-Path $P $name; if (Test-Path $f) { (Get-Content -Raw $f).Trim() } else { '' } }",
      "Write-Output (\"current=\" + (Read-Pointer 'current.txt'))",
      "Write-Output (\"previous=\" + (Read-Pointer 'previous.txt'))",
      "Write-Output (\"nodePath=\" + (Get-Command node -ErrorAction SilentlyContinue).Source)",
      `Write-Output ("config=" + (Get-FileHash -Algorithm SHA256 -ErrorAction SilentlyContinue (Join-Path $P 'etc\\${configFileName}')).Hash)`,
      ...(options.nodeVersion ? ["Write-Output (\"node=\" + $(try { & node --version } catch { '' }))"] : []),
    ]);
  }

  parseProbe(stdout: string): RemoteState {
    return parseProbeOutput(stdout);
  }

  install(version: string, sha256: string, config: string, previous: string | undefined): string {
    return this.script([...this.uploadLines(version, sha256, config), ...this.pruneLines([version, previous]), ...this.activateLines(version, previous)]);
  }

  activate(current: string, previous: string | undefined): string {
    return this.script(this.activateLines(current, previous));
  }

  private uploadLines(version: string, sha256: string, config: string): string[] {
    return [
      `$R = Join-Path $P ${psQuote(`releases\\${version}`)}`,
      "New-Item -ItemType Directory -Force -Path $R, (Join-Path $P 'etc') | Out-Null",
      `$tmp = Join-Path $R ${psQuote(bundleFileName + ".tmp")}`,
      "$in = [Console]::OpenStandardInput(); $out = [IO.File]::Create($tmp); $in.CopyTo($out); $out.Close()",
      "$sum = (Get-FileHash -Algorithm SHA256 $tmp).Hash.ToLower()",
      `if ($sum -ne ${psQuote(sha256)}) { Remove-Item $tmp; throw "upload corrupted: sha256 $sum" }`,
      `Move-Item -Force $tmp (Join-Path $R ${psQuote(bundleFileName)})`,
      // UTF-8 without a byte-order mark (Windows PowerShell's -Encoding utf8 adds one), so the file's
      // SHA-256 matches the one computed here and an unchanged host is recognised as unchanged.
      `[IO.File]::WriteAllText((Join-Path $P 'etc\\${configFileName}'), ${psQuote(config)}, (New-Object Text.UTF8Encoding $false))`,
    ];
  }

  /** Releases that neither the old nor the new current/previous point at. */
  private pruneLines(keep: readonly (string | undefined)[]): string[] {
    const kept = keep.filter((k): k is string => k !== undefined).map(psQuote).join(", ");
    return [
      `$keep = @(${kept}) + (@('current.txt', 'previous.txt') | ForEach-Object { $f = Join-Path $P $_; if (Test-Path $f) { (Get-Content -Raw $f).Trim() } })`,
      "if (Test-Path (Join-Path $P 'releases')) { Get-ChildItem -Directory (Join-Path $P 'releases') | Where-Object { $keep -notcontains $_.Name } | Remove-Item -Recurse -Force }",
    ];
  }

  private activateLines(current: string, previous: string | undefined): string[] {
    const args = [`"$P\\releases\\${current}\\${bundleFileName}"`, `--config "$P\\etc\\${configFileName}"`, ...this.agentArgs].join(" ");
    return [`if (-not (Test-Path (Join-Path $P ${psQuote(`releases\\${current}\\${bundleFileName}`)}))) { throw "release ${current} is not installed under $P" }`,
      "$node = (Get-Command node).Source",
      `Set-Content -NoNewline -Path (Join-Path $P 'current.txt') -Value ${psQuote(current)}`,
      previous ? `Set-Content -NoNewline -Path (Join-Path $P 'previous.txt') -Value ${psQuote(previous)}` : "Remove-Item -ErrorAction SilentlyContinue (Join-Path $P 'previous.txt')",
      `$name = ${psQuote(this.layout.serviceName)}`,
      `$action = New-ScheduledTaskAction -Execute $node -Argument "${args.replace(/"/g, '`"')}" -WorkingDirectory $P`,
      "$trigger = New-ScheduledTaskTrigger -AtStartup",
      "$settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit ([TimeSpan]::Zero) -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) -StartWhenAvailable",
      `$principal = New-ScheduledTaskPrincipal -UserId ${psQuote(this.layout.serviceUser)} -LogonType ServiceAccount -RunLevel Limited`,
      "Stop-ScheduledTask -TaskName $name -ErrorAction SilentlyContinue",
      "Register-ScheduledTask -TaskName $name -Action $action -Trigger $trigger -Settings $settings -Principal $principal -Force | Out-Null",
      "Start-ScheduledTask -TaskName $name",
    ];
  }

  uninstall(version: string): string {
    return this.script([
      `Stop-ScheduledTask -TaskName ${psQuote(this.layout.serviceName)} -ErrorAction SilentlyContinue`,
      `Unregister-ScheduledTask -TaskName ${psQuote(this.layout.serviceName)} -Confirm:$false -ErrorAction SilentlyContinue`,
      "Remove-Item -ErrorAction SilentlyContinue (Join-Path $P 'current.txt')",
      `Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $P ${psQuote(`releases\\${version}`)})`,
    ]);
  }

  removeRelease(version: string): string {
    return this.script([`Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $P ${psQuote(`releases\\${version}`)})`]);
  }
}
