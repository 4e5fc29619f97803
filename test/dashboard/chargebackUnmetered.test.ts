// Hours nobody metered (issue 6): every host of the inventory is expected for the hours it existed in the
// month; what the ledger has no row for is "unmetered", shown next to the gaps and refused at close like
// them. On both backends, through the public chargeback and close use cases.
import { afterAll, describe, expect, it } from "vitest";
import { readAuditLog } from "../../dashboard/data-access/auditLog.js";
import type { Ledger } from "../../dashboard/data-access/database.js";
import { applyMasterDataChanges } from "../../dashboard/data-access/masterData.js";
import type { Host, MasterData } from "../../dashboard/domain/records.js";
import { recordHour, rollup, type UsageRow } from "../../dashboard/data-access/usage.js";
import { chargeback, chargebackTotals, computePeriod } from "../../dashboard/app/chargeback.js";
import { closePeriod } from "../../dashboard/app/close.js";
import { hoursBetween } from "../../dashboard/domain/period.js";
import { backends, freshLedger } from "./helpers/backends.js";
import { joinedRegExp } from "../helpers/joinedRegExp.js";

const afterOctober = Date.parse("2026-11-03T09:00:00Z");

function host(name: string, existedFrom: string, existedTo: string | null = null): Host {
  return {
    name,
    department: "ict",
    service: null,
    environment: "prod",
    vcpus: 2,
    memoryMib: 4096,
    existedFrom,
    existedTo,
  };
}

async function seedMasterData(ledger: Ledger, hosts: Host[]): Promise<void> {
  const data: Partial<MasterData> = {
    departments: [{ id: "ict", name: "Centrale ICT", costCenter: "KP-9000", headcount: 20, annualBudgetCents: null }],
    rateVersions: [
      {
        validFrom: "2026-01-01",
        note: null,
        prices: {
          "compute.vcpuHour": 10_000n,
          "compute.memoryGibHour": 5_000n,
          "storage.serverGbMonth": 100_000n,
          "storage.shareGbMonth": 50_000n,
        },
      },
    ],
    hosts,
  };
  await ledger.db.transaction().execute((trx) => applyMasterDataChanges(trx, data, {}, "test"));
}

/** Meter `names` for every hour of [from, to], as metering does: vcpus always, fs usage measured. */
async function meterHours(ledger: Ledger, names: string[], from: string, to: string): Promise<void> {
  const hours = hoursBetween(from, to);
  for (const hour of hours) {
    const rows = names.flatMap((subject): UsageRow[] => [
      { subject, meter: "vcpus", department: "ict", value: 2n, status: "ok" },
      { subject, meter: "fs_used_bytes", department: "ict", value: 10n ** 9n, status: "ok" },
    ]);
    await recordHour(ledger.db, ledger.dialect, hour, rows);
  }
  await rollup(
    ledger.db,
    hours.map((h) => h.slice(0, 10)),
  );
}

describe.each(backends)("unmetered host-hours on $name", (backend) => {
  afterAll(() => backend.cleanup());

  it(
    "refuses to close a month nobody metered, names the " + "hours and hosts, and closes it with --accept-gaps",
    async () => {
      const ledger = await freshLedger(backend);
      try {
        await seedMasterData(ledger, [host("web-01", "2026-01-01T00"), host("web-02", "2026-01-01T00")]);
        const preview = await chargeback(ledger, "2026-10", undefined, afterOctober);
        expect(preview).toMatchObject({ status: "open", total: "0.00", gapHours: 0, unmeteredHours: 2 * 744 });
        await expect(closePeriod(ledger, "2026-10", { actor: "anna", now: afterOctober })).rejects.toThrow(
          "period 2026-10 has 1488 host-hours never metered (web-01 744 h of 2026-10-01 to 2026-10-31, web-02 " +
            "744 h of 2026-10-01 to 2026-10-31): run `muniops meter` to backfill them, or close with " +
            "--accept-gaps to leave them unbilled",
        );
        const closed = await closePeriod(ledger, "2026-10", { actor: "anna", now: afterOctober, acceptGaps: true });
        expect(closed.statement.unmeteredHours).toBe(1488);
        const [entry] = await readAuditLog(ledger.db, { entity: "period", entityId: "2026-10" });
        expect(entry?.after).toMatchObject({ status: "closed", gapHours: 0, unmeteredHours: 1488 });
      } finally {
        await ledger.close();
      }
    },
    120_000,
  );

  it(
    "counts the unmetered half of a host, not a host after it left nor before it came, and the current month " +
      "up to now",
    async () => {
      const ledger = await freshLedger(backend);
      try {
        await seedMasterData(ledger, [
          host("full-01", "2026-01-01T00"),
          host("half-01", "2026-01-01T00"),
          host("gone-01", "2026-01-01T00", "2026-10-11T00"),
          host("late-01", "2026-10-21T00"),
        ]);
        await meterHours(ledger, ["full-01", "half-01", "gone-01"], "2026-10-01T00", "2026-10-10T23");
        await meterHours(ledger, ["full-01", "half-01"], "2026-10-11T00", "2026-10-15T23");
        await meterHours(ledger, ["full-01"], "2026-10-16T00", "2026-10-31T23");

        const october = await computePeriod(ledger.db, "2026-10", undefined, afterOctober);
        expect(october.unmetered.hosts).toEqual([
          { host: "half-01", hours: 16 * 24, from: "2026-10-01T00", to: "2026-11-01T00" },
          { host: "late-01", hours: 11 * 24, from: "2026-10-21T00", to: "2026-11-01T00" },
        ]);
        expect(october.unmeteredHours).toBe(27 * 24);
        expect(october.gapHours).toBe(0);

        // Mid-month the hours still to come are not missing: expected up to the hour in progress.
        const midOctober = await chargeback(ledger, "2026-10", undefined, Date.parse("2026-10-25T12:10:00Z"));
        expect(midOctober.unmeteredHours).toBe(24 * 24 + 12 - 15 * 24 + (4 * 24 + 12));
        await expect(closePeriod(ledger, "2026-10", { actor: "anna", now: afterOctober })).rejects.toThrow(
          joinedRegExp([
            /648 host-hours never metered \(half-01 384 h of 2026-10-01 to 2026-10-31, late-01 264 h of /,
            /2026-10-21 to 2026-10-31\)/,
          ]),
        );
      } finally {
        await ledger.close();
      }
    },
    180_000,
  );

  it(
    "leaves the " +
      "count " +
      "out of the " +
      "totals the " +
      "overview's " +
      "trend " +
      "reads, which are " +
      "otherwise " +
      "the month's charges",
    async () => {
      const ledger = await freshLedger(backend);
      try {
        await seedMasterData(ledger, [host("full-01", "2026-01-01T00"), host("half-01", "2026-01-01T00")]);
        await meterHours(ledger, ["full-01", "half-01"], "2026-10-01T00", "2026-10-15T23");
        await meterHours(ledger, ["full-01"], "2026-10-16T00", "2026-10-31T23");
        const full = await chargeback(ledger, "2026-10", undefined, afterOctober);
        expect(full.unmeteredHours).toBe(16 * 24);
        const totals = await chargebackTotals(ledger, "2026-10");
        // absent, not 0: a reader must not take "not counted" for "none"
        expect(totals).not.toHaveProperty("unmeteredHours");
        const { unmeteredHours: _counted, ...charges } = full;
        expect(totals).toEqual(charges);
        expect(Number(totals.total)).toBeGreaterThan(0);

        await closePeriod(ledger, "2026-10", { actor: "anna", now: afterOctober, acceptGaps: true });
        expect(await chargebackTotals(ledger, "2026-10")).toEqual(
          await chargeback(ledger, "2026-10", undefined, afterOctober),
        );
      } finally {
        await ledger.close();
      }
    },
    180_000,
  );
});
