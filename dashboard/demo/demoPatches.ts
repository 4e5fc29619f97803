// The demo's patch compliance (BIO2 8.08.01): a daily patch snapshot for every simulated host over the demo's
// history, read from the fleet simulator's model as metering would have read it at 02:00 UTC each day, so the
// patch page has a fleet from the first view and the yearly evidence has months; and one waiver (with a
// simulated risk analysis) for a host in breach today, so the page shows a mitigation.
import { readFileSync, writeFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import type { Inventory } from "../../contracts/inventory.js";
import type { FleetModel } from "../../agents/simulator/fleetModel.js";
import { patchFamilies } from "../../agents/simulator/simulatedMetrics.js";
import { patchRuleCheckId } from "../../policies/hostChecks.js";
import type { Ledger } from "../data-access/database.js";
import { latestPatchStates, savePatchSnapshots } from "../data-access/patchSnapshots.js";
import { breachesPatchRule, type PatchState } from "../domain/patchCompliance.js";
import type { ExposedSample } from "../metering/exposition.js";
import { patchStateFromExposition } from "../metering/patchSeries.js";

const dayMs = 86_400_000;
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** What the simulated agent of `host` reports about its patches at `tMs`; undefined when it is down. */
export function simulatedPatchState(model: FleetModel, inventory: Inventory, host: string, tMs: number) {
  const profile = model.profile(host);
  if (!profile || !model.isUp(profile, tMs)) return undefined;
  const samples: ExposedSample[] = patchFamilies(model, profile, tMs).flatMap((f) =>
    f.samples.map((s) => ({ name: s.name ?? f.name, labels: { ...s.labels }, value: s.value })),
  );
  const department = inventory.hosts.find((h) => h.name === host)?.department ?? null;
  return patchStateFromExposition(host, department, new Date(tMs).toISOString(), samples);
}

/** One snapshot per host and day from `fromMs` to yesterday; a kept ledger that has them is left alone. */
export async function seedDemoPatchHistory(
  ledger: Ledger,
  model: FleetModel,
  inventory: Inventory,
  fromMs: number,
  nowMs: number,
): Promise<{ days: number; snapshots: number }> {
  if ((await latestPatchStates(ledger.db)).length > 0) return { days: 0, snapshots: 0 };
  let days = 0;
  let snapshots = 0;
  let batch: PatchState[] = [];
  for (let t = Math.floor(fromMs / dayMs) * dayMs + 2 * 3_600_000; t < nowMs - dayMs; t += dayMs) {
    batch.push(...inventory.hosts.flatMap((h) => simulatedPatchState(model, inventory, h.name, t) ?? []));
    days++;
    // a month a transaction: a year of a fleet of 150 is 60,000 rows
    if (days % 30 === 0) {
      await savePatchSnapshots(ledger.db, batch);
      snapshots += batch.length;
      batch = [];
    }
  }
  await savePatchSnapshots(ledger.db, batch);
  return { days, snapshots: snapshots + batch.length };
}

/** Adds a patch-rule waiver for the first host in breach now to the demo's waivers file; the host, if any. */
export function addDemoPatchWaiver(
  waiversFile: string,
  model: FleetModel,
  inventory: Inventory,
  nowMs: number,
): string | undefined {
  const breached = inventory.hosts
    .map((h) => simulatedPatchState(model, inventory, h.name, nowMs))
    .find((s): s is PatchState => s !== undefined && breachesPatchRule(s));
  if (!breached) return undefined;
  const file = parse(readFileSync(waiversFile, "utf8")) as { schemaVersion: 1; waivers?: unknown[] };
  const waiver = {
    id: "WVR-DEMO-002",
    policies: [patchRuleCheckId],
    bio2Measures: ["8.08.01"],
    scope: { hosts: [breached.host] },
    category: "Waiver",
    justification: "The application supplier certifies the pending security update only with its next release.",
    riskOwner: "CISO (demo)",
    riskAnalysis: "RA-DEMO-2 (simulated risk analysis)",
    approvedBy: "CISO (demo)",
    approvedOn: isoDate(nowMs - 10 * dayMs),
    ticket: "DEMO-2",
    expiresOn: isoDate(nowMs + 45 * dayMs),
  };
  const text = stringify({ ...file, waivers: [...(file.waivers ?? []), waiver] });
  writeFileSync(waiversFile, "# Written by muniops demo: simulated waivers, for the demo's pages only.\n" + text);
  return breached.host;
}
