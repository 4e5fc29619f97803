// Parsing `df -PTk` and `df -PTi` (POSIX output format, with the filesystem type): what an appliance
// without an agent can still tell us over a read-only SSH login. Pure functions, tested on real output.

export interface DfRow {
  device: string;
  fstype: string;
  /** -k: 1024-byte blocks; -i: inodes. */
  total: number;
  used: number;
  available: number;
  mountpoint: string;
}

// Device names and mount points may hold spaces; the numeric middle columns anchor the split.
const rowPattern = /^(.+?)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(?:\d+%|-)\s+(.+)$/;

export function parseDf(text: string): DfRow[] {
  const rows: DfRow[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "" || /^Filesystem\s/.test(line)) continue;
    const match = rowPattern.exec(line.trimEnd());
    if (!match) continue;
    const [, device, fstype, total, used, available, mountpoint] = match;
    if (!device || !fstype || !mountpoint) continue;
    rows.push({ device, fstype, total: Number(total), used: Number(used), available: Number(available), mountpoint });
  }
  return rows;
}
