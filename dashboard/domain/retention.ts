// Retention: hourly rows at least 62 days (they are what a disputed month is re-checked against), daily
// rows for the retention period (default 7 years, the Dutch fiscal retention obligation).

export function retentionCutoffs(
  now: number,
  hourlyDays: number,
  dailyYears: number,
): { hourlyBefore: string; dailyBefore: string } {
  if (hourlyDays < 62) throw new Error("hourly usage is kept at least 62 days");
  const hourlyBefore = new Date(now - hourlyDays * 86_400_000).toISOString().slice(0, 10);
  const date = new Date(now);
  date.setUTCFullYear(date.getUTCFullYear() - dailyYears);
  return { hourlyBefore, dailyBefore: date.toISOString().slice(0, 10) };
}
