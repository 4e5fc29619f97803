// Filling the demo ledger: master data, a year of history with every month but the last closed (signed
// off by most departments, one statement disputed and corrected), and the recent hours metering would
// have recorded. A ledger that already has data (a second `muniops demo` without --fresh) keeps it and
// only gets the hours it missed while the demo was stopped.
import type { FleetModel } from "../../agents/simulator/fleetModel.js";
import { rng } from "../../agents/simulator/prng.js";
import type { Inventory } from "../../contracts/inventory.js";
import type { Ledger } from "../data-access/database.js";
import { applyMasterDataChanges, loadMasterData } from "../data-access/masterData.js";
import { PeriodClosedError } from "../data-access/periods.js";
import { meteringProgress } from "../data-access/usage.js";
import { addAdjustment } from "../app/adjustments.js";
import { closePeriod, setStatementStatus } from "../app/close.js";
import { addHours, currentPeriod, firstDay, hourKey, hourStart, nextPeriod, previousPeriod } from "../domain/period.js";
import { demoMasterData } from "./demoMasterData.js";
import { writeDailyHistory, writeHourlyHistory, type LedgerSubjects } from "./demoHistory.js";
import { writeMeteredHistory } from "./demoMetered.js";

export interface DemoTimeline {
  nowMs: number;
  /** First hour of the history: the first day of the month 13 months before this one. */
  historyStartMs: number;
  /** Months closed in the seeded history, oldest first. */
  closedPeriods: string[];
  /** The last month, left open for the user to close. */
  openPeriod: string;
}

export function demoTimeline(nowMs: number): DemoTimeline {
  const now = new Date(nowMs);
  const historyStartMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 13, 1);
  const openPeriod = previousPeriod(currentPeriod(nowMs));
  const closedPeriods: string[] = [];
  for (let p = currentPeriod(historyStartMs); p < openPeriod; p = nextPeriod(p)) closedPeriods.push(p);
  return { nowMs, historyStartMs, closedPeriods, openPeriod };
}

export interface SeedResult {
  fresh: boolean;
  closed: number;
  hourlyHours: number;
}

const disputeDepartment = "belastingen";

/** Every day from `from` to `to` (YYYY-MM-DD, inclusive). */
function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Closes, sign-offs and one dispute, as a year of service management would have left them. */
async function closeHistory(
  ledger: Ledger,
  model: FleetModel,
  timeline: DemoTimeline,
  departments: readonly string[],
): Promise<void> {
  const { closedPeriods } = timeline;
  const disputed = closedPeriods.at(-2);
  for (const [i, period] of closedPeriods.entries()) {
    // Closed on the third working morning of the next month.
    const closedAt = hourStart(`${firstDay(nextPeriod(period))}T09`) + 2 * 86_400_000;
    await closePeriod(ledger, period, { actor: "servicemanager", acceptGaps: true, now: closedAt });
    const latest = i === closedPeriods.length - 1;
    for (const department of departments) {
      if (period === disputed && department === disputeDepartment) {
        await setStatementStatus(
          ledger,
          period,
          department,
          "disputed",
          `controller-${department}`,
          "Opslag van de belastingdatabase na de migratie dubbel geteld; graag corrigeren.",
        );
        continue;
      }
      if (rng(model.seed, "sign-off", period, department)() < (latest ? 0.5 : 0.92))
        await setStatementStatus(ledger, period, department, "signed-off", `controller-${department}`);
    }
  }
  if (disputed && departments.includes(disputeDepartment)) {
    await addAdjustment(ledger, {
      period: timeline.openPeriod,
      department: disputeDepartment,
      amountCents: -41250n,
      reason: `correctie dubbel getelde opslag ${disputed} (dispuut)`,
      refersToPeriod: disputed,
      actor: "servicemanager",
    });
  }
}

/**
 * Seed the ledger up to (not including) `meteredFrom`: from that hour on, live metering fills it — from
 * the simulator's scrapes (embedded) or from Prometheus's backfilled and live data.
 */
export async function seedDemoLedger(
  ledger: Ledger,
  model: FleetModel,
  inventory: Inventory,
  timeline: DemoTimeline,
  meteredFrom: string,
): Promise<SeedResult> {
  const existing = await loadMasterData(ledger.db);
  const lastHourly = addHours(meteredFrom, -1);
  if (existing.departments.length > 0) {
    const { lastHour } = await meteringProgress(ledger.db, hourKey(timeline.historyStartMs));
    // At most the month metering itself would catch up on; a closed hour stays as it was closed.
    const resume = lastHour ? addHours(lastHour, 1) : meteredFrom;
    const earliest = addHours(meteredFrom, -31 * 24);
    const from = resume > earliest ? resume : earliest;
    let hours = 0;
    try {
      hours = await writeHourlyHistory(ledger, model, existing, from, lastHourly);
      await writeMeteredHistory(ledger, inventory, from, lastHourly);
    } catch (error) {
      if (!(error instanceof PeriodClosedError)) throw error;
    }
    return { fresh: false, closed: 0, hourlyHours: hours };
  }
  const master = demoMasterData(
    inventory,
    timeline.historyStartMs,
    `${currentPeriod(timeline.nowMs).slice(0, 4)}-01-01`,
  );
  await ledger.db.transaction().execute((trx) => applyMasterDataChanges(trx, master, {}, "muniops demo"));
  const subjects: LedgerSubjects = { hosts: master.hosts, shares: master.shares };
  // Hourly rows for the day before metering takes over and after (what the operations views and
  // metering's resume point read); daily rows, as the rollup would have left them, for the rest.
  const hourlyFrom = `${addHours(meteredFrom, -24).slice(0, 10)}T00`;
  const dailyDays = daysBetween(hourKey(timeline.historyStartMs).slice(0, 10), addHours(hourlyFrom, -24).slice(0, 10));
  await writeDailyHistory(ledger, model, subjects, dailyDays);
  const hourlyHours = await writeHourlyHistory(ledger, model, subjects, hourlyFrom, lastHourly);
  await writeMeteredHistory(ledger, inventory, hourKey(timeline.historyStartMs), lastHourly);
  await closeHistory(
    ledger,
    model,
    timeline,
    inventory.departments.map((d) => d.id),
  );
  return { fresh: true, closed: timeline.closedPeriods.length, hourlyHours };
}
