// The demo ledger's past, from the same fleet model the simulator serves: what metering would have
// recorded had it run all along. Recent hours go in as hourly rows through the ledger's own writer
// (recordHour, then the rollup); months long gone go in as the daily rows the rollup and the hourly purge
// leave behind, since writing every hour of a year would cost most of the demo's start-up time. Both
// come from `hourRows`, metering's own row builder, so they agree with what live metering writes.
import type { FleetModel } from "../../agents/simulator/fleetModel.js";
import type { Ledger } from "../data-access/database.js";
import { replaceDailyUsage, type DailyUsageRow } from "../data-access/dailyUsageHistory.js";
import type { Host, Share } from "../domain/records.js";
import { recordHour, rollup } from "../data-access/usage.js";
import { hourStart, hoursBetween } from "../domain/period.js";
import type { HostHour } from "../metering/source.js";
import { hourRows } from "../metering/meter.js";

/** What a scrape at half past the hour would have measured for every host. */
export function modelMeasurements(model: FleetModel, hour: string): Map<string, HostHour> {
  const t = hourStart(hour) + 1_800_000;
  const result = new Map<string, HostHour>();
  for (const name of model.hostNames()) {
    const p = model.profile(name);
    if (!p) continue;
    const up = model.isUp(p, t);
    result.set(name, {
      host: name,
      department: p.host.department,
      up: up ? 1 : 0,
      fsUsedBytes: up ? model.billableUsedBytes(p, t) : null,
      vcpus: null,
      memoryBytes: null,
    });
  }
  return result;
}

export interface LedgerSubjects {
  hosts: readonly Host[];
  shares: readonly Share[];
}

/** Hourly rows for every hour from `from` to `to` (inclusive), then their daily rollup. */
export async function writeHourlyHistory(
  ledger: Ledger,
  model: FleetModel,
  subjects: LedgerSubjects,
  from: string,
  to: string,
): Promise<number> {
  const hours = from <= to ? hoursBetween(from, to) : [];
  for (const hour of hours)
    await recordHour(
      ledger.db,
      ledger.dialect,
      hour,
      hourRows(hour, subjects.hosts, subjects.shares, modelMeasurements(model, hour)),
    );
  await rollup(ledger.db, new Set(hours.map((h) => h.slice(0, 10))));
  return hours.length;
}

/** The daily rows of `day` (YYYY-MM-DD), as the rollup of its hours would have left them. */
function modelDailyRows(model: FleetModel, subjects: LedgerSubjects, day: string): DailyUsageRow[] {
  const totals = new Map<string, DailyUsageRow>();
  for (const hour of hoursBetween(`${day}T00`, `${day}T23`)) {
    for (const r of hourRows(hour, subjects.hosts, subjects.shares, modelMeasurements(model, hour))) {
      const key = `${r.subject}\u0000${r.meter}`;
      const row = totals.get(key) ?? {
        subject: r.subject,
        meter: r.meter,
        day,
        department: r.department,
        value_hours: "0",
        hours_ok: 0,
        hours_gap: 0,
      };
      if (r.status === "ok") {
        row.value_hours = (BigInt(row.value_hours) + (r.value ?? 0n)).toString();
        row.hours_ok++;
      } else row.hours_gap++;
      totals.set(key, row);
    }
  }
  return [...totals.values()];
}

/** The daily rows of `days` (YYYY-MM-DD), as the rollup of their hours would have left them. */
export async function writeDailyHistory(
  ledger: Ledger,
  model: FleetModel,
  subjects: LedgerSubjects,
  days: readonly string[],
): Promise<void> {
  await replaceDailyUsage(ledger, days, (day) => modelDailyRows(model, subjects, day));
}
