// The daily patch snapshot (migration 0008): each server's patch state as last read on a day, written by
// metering in both modes (embedded scrapes and PromQL) and read by the patch page (the latest day of each
// server) and the yearly BIO2 8.08.01 evidence (every day of a year).
import type { LedgerDb } from "./database.js";
import type { PatchSnapshotsTable } from "./schema.js";
import type { PatchState } from "../domain/patchCompliance.js";

const flag = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);

function stateOf(r: PatchSnapshotsTable): PatchState {
  return {
    host: r.host,
    department: r.department,
    at: r.at,
    securityPending: r.security_pending,
    otherPending: r.other_pending,
    securityOldestAgeSeconds: r.security_oldest_age_seconds,
    rebootRequired: r.reboot_required === null ? null : r.reboot_required === 1,
    rebootRequiredAgeSeconds: r.reboot_required_age_seconds,
  };
}

/** Keep each state as its server's snapshot of the day it was read (UTC): a later reading that day replaces it. */
export async function savePatchSnapshots(db: LedgerDb, states: readonly PatchState[]): Promise<void> {
  if (states.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < states.length; i += 500) {
      const values = states.slice(i, i + 500).map((s) => ({
        day: s.at.slice(0, 10),
        host: s.host,
        department: s.department,
        at: s.at,
        security_pending: s.securityPending,
        other_pending: s.otherPending,
        security_oldest_age_seconds: s.securityOldestAgeSeconds,
        reboot_required: flag(s.rebootRequired),
        reboot_required_age_seconds: s.rebootRequiredAgeSeconds,
      }));
      await trx
        .insertInto("patch_snapshots")
        .values(values)
        .onConflict((oc) =>
          oc.columns(["day", "host"]).doUpdateSet((eb) => ({
            department: eb.ref("excluded.department"),
            at: eb.ref("excluded.at"),
            security_pending: eb.ref("excluded.security_pending"),
            other_pending: eb.ref("excluded.other_pending"),
            security_oldest_age_seconds: eb.ref("excluded.security_oldest_age_seconds"),
            reboot_required: eb.ref("excluded.reboot_required"),
            reboot_required_age_seconds: eb.ref("excluded.reboot_required_age_seconds"),
          })),
        )
        .execute();
    }
  });
}

/**
 * Each server's latest snapshot, among servers read within `days` days of the newest snapshot (a server
 * gone from the fleet drops out instead of counting against the rule forever).
 */
export async function latestPatchStates(db: LedgerDb, days = 2): Promise<PatchState[]> {
  const newest = await db
    .selectFrom("patch_snapshots")
    .select((eb) => eb.fn.max("day").as("day"))
    .executeTakeFirst();
  if (!newest?.day) return [];
  const since = new Date(Date.parse(`${newest.day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  const rows = await db
    .selectFrom("patch_snapshots")
    .selectAll()
    .where("day", ">=", since)
    .orderBy("host")
    .orderBy("day", "desc")
    .execute();
  const latest = new Map<string, PatchSnapshotsTable>();
  for (const r of rows) if (!latest.has(r.host)) latest.set(r.host, r);
  return [...latest.values()].map(stateOf);
}

/** Every snapshot from `from` to `to` (days, inclusive), by day then host. */
export async function patchSnapshotsBetween(db: LedgerDb, from: string, to: string): Promise<PatchState[]> {
  const rows = await db
    .selectFrom("patch_snapshots")
    .selectAll()
    .where("day", ">=", from)
    .where("day", "<=", to)
    .orderBy("day")
    .orderBy("host")
    .execute();
  return rows.map(stateOf);
}
