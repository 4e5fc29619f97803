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
import { readyLine, type ProbeOptions, type RemotePlatform, type RemoteState } from "./platform.js";
import { encodePowerShell, psQuote } from "./shell.js";

export class WindowsPlatform implements RemotePlatform {
  constructor(
    private readonly layout: InstallLayout,
    private readonly agentArgs: readonly string[],
  ) {}

  private script(body: string[]): string {
    return encodePowerShell(
      ["$ErrorActionPreference = 'Stop'", `$P = ${psQuote(this.layout.prefix)}`, ...body].join("\n"),
    );
  }

  probe(options: ProbeOptions = {}): string {
    return this.script(this.probeLines(options));
  }

  parseProbe(stdout: string): RemoteState {
    return parseProbeOutput(stdout);
  }

  /** The same dialogue as on Linux: probe, ready line, one instruction line on stdin, then the bundle. */
  deploy(version: string, sha256: string, config: string): string {
    const bundle = `(Join-Path $R ${psQuote(bundleFileName)})`;
    return this.script([
      ...this.probeLines({ release: version }),
      `Say ${psQuote(readyLine)}`,
      // Byte by byte from the raw stream, so the bundle behind the line is still there for CopyTo.
      "$stdin = [Console]::OpenStandardInput()",
      "$line = New-Object System.Collections.Generic.List[byte]",
      "while (($b = $stdin.ReadByte()) -ge 0 -and $b -ne 10) { $line.Add([byte]$b) }",
      "$instruction, $previous = [Text.Encoding]::ASCII.GetString($line.ToArray()).Trim() -split ' '",
      "if ($previous -eq '-') { $previous = $null }",
      "if ($instruction -eq 'skip') { exit 0 }",
      `$R = Join-Path $P ${psQuote(`releases\\${version}`)}`,
      "New-Item -ItemType Directory -Force -Path $R, (Join-Path $P 'etc') | Out-Null",
      `$tmp = Join-Path $R ${psQuote(bundleFileName + ".tmp")}`,
      `function Test-Bundle($file, $what) { $sum = (Get-FileHash -Algorithm SHA256 $file).Hash.ToLower(); if ` +
        `($sum -ne ${psQuote(sha256)}) { Remove-Item -ErrorAction SilentlyContinue $tmp; throw "$($what): ` +
        `sha256 $sum, expected ${sha256}" } }`,
      "if ($instruction -eq 'upload') {",
      "  $out = [IO.File]::Create($tmp); $stdin.CopyTo($out); $out.Close()",
      "  Test-Bundle $tmp 'upload corrupted'",
      `  Move-Item -Force $tmp ${bundle}`,
      `} elseif ($instruction -eq 'reuse') { Test-Bundle ${bundle} 'the installed release changed' } else { ` +
        `throw "unknown instruction: $instruction" }`,
      // UTF-8 without a byte-order mark (Windows PowerShell's -Encoding utf8 adds one), so the file's
      // SHA-256 matches the one computed here and an unchanged host is recognised as unchanged.
      `[IO.File]::WriteAllText((Join-Path $P 'etc\\${configFileName}'), ${psQuote(config)}, (New-Object ` +
        `Text.UTF8Encoding $false))`,
      ...this.pruneLines([psQuote(version), "$previous"]),
      ...this.activateLines(version),
    ]);
  }

  activate(current: string, previous: string | undefined): string {
    return this.script([`$previous = ${previous ? psQuote(previous) : "$null"}`, ...this.activateLines(current)]);
  }

  private probeLines(options: ProbeOptions): string[] {
    const release = options.release !== undefined ? `releases\\${options.release}\\${bundleFileName}` : undefined;
    return [
      // Straight to stdout and flushed: the rollout reads these lines while the script waits for it.
      "function Say($text) { [Console]::Out.WriteLine($text); [Console]::Out.Flush() }",
      "function Read-Pointer($name) { $f = Join-Path $P $name; if (Test-Path $f) { (Get-Content -Raw " +
        "$f).Trim() } else { '' } }",
      "function Hash-Of($path) { (Get-FileHash -Algorithm SHA256 -ErrorAction SilentlyContinue (Join-Path $P " +
        "$path)).Hash }",
      "Say (\"current=\" + (Read-Pointer 'current.txt'))",
      "Say (\"previous=\" + (Read-Pointer 'previous.txt'))",
      'Say ("nodePath=" + (Get-Command node -ErrorAction SilentlyContinue).Source)',
      `Say ("config=" + (Hash-Of 'etc\\${configFileName}'))`,
      ...(release !== undefined ? [`Say ("release=" + (Hash-Of ${psQuote(release)}))`] : []),
      ...(options.nodeVersion ? ["Say (\"node=\" + $(try { & node --version } catch { '' }))"] : []),
    ];
  }

  /**
   * Releases that neither the old nor the new current/previous point at (PowerShell expressions; $null matches
   * nothing).
   */
  private pruneLines(keep: readonly string[]): string[] {
    return [
      `$keep = @(${keep.join(", ")}) ` +
        `+ (@('current.txt', ` +
        `'previous.txt') | ` +
        `ForEach-Object ` +
        `{ $f = ` +
        `Join-Path ` +
        `$P $_; if (Test-Path ` +
        `$f) { ` +
        `(Get-Content -Raw $f).Trim() } })`,
      "if (Test-Path (Join-Path $P 'releases')) { Get-ChildItem -Directory (Join-Path $P 'releases') | " +
        "Where-Object { $keep -notcontains $_.Name } | Remove-Item -Recurse -Force }",
    ];
  }

  /** Make `current` run, with `$previous` (set by the caller, or $null) as the rollback target. */
  private activateLines(current: string): string[] {
    const args = [
      `"$P\\releases\\${current}\\${bundleFileName}"`,
      `--config "$P\\etc\\${configFileName}"`,
      ...this.agentArgs,
    ].join(" ");
    return [
      `if (-not (Test-Path (Join-Path $P ${psQuote(`releases\\${current}\\${bundleFileName}`)}))) { throw ` +
        `"release ${current} is not installed under $P" }`,
      "$node = (Get-Command node).Source",
      `Set-Content -NoNewline -Path (Join-Path $P 'current.txt') -Value ${psQuote(current)}`,
      "if ($previous) { Set-Content -NoNewline -Path (Join-Path $P 'previous.txt') -Value $previous } else { " +
        "Remove-Item -ErrorAction SilentlyContinue (Join-Path $P 'previous.txt') }",
      `$name = ${psQuote(this.layout.serviceName)}`,
      `$action = New-ScheduledTaskAction -Execute $node -Argument "${args.replace(/"/g, '`"')}" -WorkingDirectory $P`,
      "$trigger = New-ScheduledTaskTrigger -AtStartup",
      "$settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit ([TimeSpan]::Zero) -RestartCount 999 " +
        "-RestartInterval (New-TimeSpan -Minutes 1) -StartWhenAvailable",
      `$principal = New-ScheduledTaskPrincipal -UserId ${psQuote(this.layout.serviceUser)} -LogonType ` +
        `ServiceAccount -RunLevel Limited`,
      "Stop-ScheduledTask -TaskName $name -ErrorAction SilentlyContinue",
      "Register-ScheduledTask -TaskName $name -Action $action -Trigger $trigger -Settings $settings " +
        "-Principal $principal -Force | Out-Null",
      "Start-ScheduledTask -TaskName $name",
    ];
  }

  uninstall(version: string): string {
    return this.script([
      `Stop-ScheduledTask -TaskName ${psQuote(this.layout.serviceName)} -ErrorAction SilentlyContinue`,
      `Unregister-ScheduledTask -TaskName ${psQuote(this.layout.serviceName)} -Confirm:$false -ErrorAction ` +
        `SilentlyContinue`,
      "Remove-Item -ErrorAction SilentlyContinue (Join-Path $P 'current.txt')",
      `Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $P ${psQuote(`releases\\${version}`)})`,
    ]);
  }

  removeRelease(version: string): string {
    return this.script([
      `Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $P ${psQuote(`releases\\${version}`)})`,
    ]);
  }
}
