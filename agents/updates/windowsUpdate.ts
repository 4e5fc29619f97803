// Windows: the Windows Update Agent's own search (the COM API Microsoft.Update.Session, as `Get-WindowsUpdate`
// and windows_exporter's update collector use), from PowerShell, once per refresh. It searches what the
// agent already knows (no online scan is forced: the machine's own Windows Update schedule does that).
// An update is a security update when it is in the "Security Updates" classification, found by its
// category id (names are translated on Dutch Windows). Hidden updates count as held.
import type { PatchCheck } from "./patchState.js";
import { lastLine, runCommand } from "./command.js";

/** Classification id of "Security Updates" (Windows Update Agent API, UpdateClassification). */
export const securityUpdatesCategory = "0fa1201d-4330-4fa8-8ae9-b877473b6441";

/**
 * Prints one JSON object:
 * { RebootRequired, Updates: [{ Title, KBArticleIDs, IsHidden, MsrcSeverity, CategoryIDs }] }.
 */
export const windowsUpdateScript = [
  "$ErrorActionPreference = 'Stop'",
  "$searcher = (New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher()",
  "$searcher.Online = $false",
  "$criteria = \"IsInstalled=0 and IsHidden=0 and Type='Software' or IsInstalled=0 and IsHidden=1 and " +
    "Type='Software'\"",
  "$found = $searcher.Search($criteria)",
  "$updates = @(foreach ($u in $found.Updates) { [pscustomobject]@{ Title = $u.Title; KBArticleIDs = " +
    "@($u.KBArticleIDs);" +
    " IsHidden = [bool]$u.IsHidden; MsrcSeverity = $u.MsrcSeverity; CategoryIDs = @($u.Categories | " +
    "ForEach-Object { $_.CategoryID }) } })",
  "$reboot = [bool](New-Object -ComObject Microsoft.Update.SystemInfo).RebootRequired",
  "[pscustomobject]@{ RebootRequired = $reboot; Updates = $updates } | ConvertTo-Json -Depth 4 -Compress",
].join("; ");

interface WindowsUpdateRecord {
  Title: string;
  KBArticleIDs?: string[] | string | null;
  IsHidden: boolean;
  MsrcSeverity?: string | null;
  CategoryIDs?: string[] | string | null;
}

/** ConvertTo-Json writes a one-element array as the element itself: accept both. */
const list = <T>(value: T[] | T | null | undefined): T[] =>
  value == null ? [] : Array.isArray(value) ? value : [value];

export function parseWindowsUpdateJson(text: string): PatchCheck {
  const parsed = JSON.parse(text) as {
    RebootRequired: boolean;
    Updates?: WindowsUpdateRecord[] | WindowsUpdateRecord | null;
  };
  const updates = list(parsed.Updates);
  const visible = updates.filter((u) => !u.IsHidden);
  const isSecurity = (u: WindowsUpdateRecord): boolean =>
    list(u.CategoryIDs).some((id) => id.toLowerCase() === securityUpdatesCategory);
  const key = (u: WindowsUpdateRecord): string => {
    const kb = list(u.KBArticleIDs)[0];
    return kb ? `KB${kb}` : u.Title;
  };
  return {
    backend: "windows-update",
    security: visible.filter(isSecurity).map(key),
    otherCount: visible.filter((u) => !isSecurity(u)).length,
    held: updates.length - visible.length,
    rebootRequired: parsed.RebootRequired,
  };
}

export async function windowsUpdateCheck(timeoutMs: number): Promise<PatchCheck> {
  const args = ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-Command", windowsUpdateScript];
  const result = await runCommand("powershell.exe", args, timeoutMs);
  if (result.code !== 0)
    throw new Error(`Windows Update search exited with ${result.code}: ${lastLine(result.stderr)}`);
  return parseWindowsUpdateJson(result.stdout);
}
