// A department's disk and share use over the last twelve months: the average bytes held on the month's
// days with data (Σ byte-hours / 24 h per such day; gap hours count as empty), in GB with one decimal.
// Months without data stay empty rather than zero.
import type { LedgerDb } from "../data-access/database.js";
import { monthlyStorage } from "../data-access/storageTrend.js";
import { previousPeriod } from "../domain/period.js";

export interface StorageTrendRow {
  period: string;
  diskGb: string | null;
  shareGb: string | null;
}

const gb = (valueHours: bigint, days: number): string => {
  const tenthsOfGb = (valueHours * 10n) / (BigInt(days) * 24n * 1_000_000_000n);
  return `${tenthsOfGb / 10n}.${tenthsOfGb % 10n}`;
};

export async function storageTrend(
  db: LedgerDb,
  department: string,
  lastPeriod: string,
  months = 12,
): Promise<StorageTrendRow[]> {
  const periods: string[] = [];
  for (let p = lastPeriod, i = 0; i < months; i++, p = previousPeriod(p)) periods.unshift(p);
  const rows = await monthlyStorage(db, department, periods[0] ?? lastPeriod, lastPeriod);
  const find = (period: string, meter: string) =>
    rows.find((r) => r.period === period && r.meter === meter && r.days > 0);
  return periods.map((period) => {
    const disk = find(period, "fs_used_bytes");
    const share = find(period, "share_used_bytes");
    return {
      period,
      diskGb: disk ? gb(disk.valueHours, disk.days) : null,
      shareGb: share ? gb(share.valueHours, share.days) : null,
    };
  });
}
