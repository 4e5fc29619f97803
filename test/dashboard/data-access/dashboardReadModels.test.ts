// The dashboard's stores on both backends: audit reports (latest per stack, with their audit-log entry),
// host status (one row per host, replaced, byte counts exact up to 2^53: SQLite hands BIGINTs over as
// numbers), and a department's storage per month.
import { afterAll, describe, expect, it } from "vitest";
import {
  auditReportText,
  latestAuditPerStack,
  listAuditReports,
  saveAuditReport,
  type NewAuditReport,
} from "../../../dashboard/data-access/auditReports.js";
import { readAuditLog } from "../../../dashboard/data-access/auditLog.js";
import { hostSnapshots, saveHostSnapshots } from "../../../dashboard/data-access/hostStatus.js";
import { type HostSnapshot } from "../../../dashboard/domain/records.js";
import { monthlyStorage } from "../../../dashboard/data-access/storageTrend.js";
import { recordHour, rollup } from "../../../dashboard/data-access/usage.js";
import { backends, freshLedger } from "../helpers/backends.js";

const report = (stack: string, at: string, passed: boolean): NewAuditReport => ({
  stack,
  generatedAt: at,
  receivedAt: at,
  receivedFrom: "auditor",
  source: "upload",
  passed,
  resources: 10,
  mandatoryFailures: passed ? 0 : 2,
  advisoryFailures: 1,
  waived: 0,
  report: JSON.stringify({ stack, at }),
});

const snapshot = (host: string, at: string, up: boolean): HostSnapshot => ({
  host,
  at,
  up,
  cpuBusyRatio: up ? 0.25 : null,
  cpuSeconds: 1234.5,
  cpuIdleSeconds: 1000.25,
  memoryTotalBytes: 2n ** 40n + 1n,
  memoryAvailableBytes: 2n ** 39n,
  fsUsedBytes: 4_503_599_627_370_497n,
  fullest: { mountpoint: "/data", sizeBytes: 2n ** 50n + 3n, availBytes: 5n },
});

describe.each(backends)("dashboard read models on $name", (backend) => {
  afterAll(() => backend.cleanup());

  it("audit reports: the newest per stack, the text kept whole, each logged", async () => {
    const ledger = await freshLedger(backend);
    try {
      const a1 = await saveAuditReport(ledger.db, report("leiden-prod", "2026-11-01T10:00:00Z", false));
      const b1 = await saveAuditReport(ledger.db, report("leiden-test", "2026-11-02T10:00:00Z", true));
      const a2 = await saveAuditReport(ledger.db, report("leiden-prod", "2026-11-03T10:00:00Z", true));
      expect((await latestAuditPerStack(ledger.db)).map((r) => [r.stack, r.id, r.passed])).toEqual([
        ["leiden-prod", a2, true],
        ["leiden-test", b1, true],
      ]);
      expect((await listAuditReports(ledger.db)).map((r) => r.id)).toEqual([a2, b1, a1]);
      expect(await auditReportText(ledger.db, a1)).toBe(
        JSON.stringify({ stack: "leiden-prod", at: "2026-11-01T10:00:00Z" }),
      );
      const log = await readAuditLog(ledger.db, { entity: "audit_report" });
      expect(log.map((e) => e.entityId)).toEqual([String(a1), String(b1), String(a2)]);
    } finally {
      await ledger.close();
    }
  });

  it("host status: one row per host, replaced by the next scrape, bigints exact", async () => {
    const ledger = await freshLedger(backend);
    try {
      await saveHostSnapshots(ledger.db, [
        snapshot("a", "2026-11-15T11:00:00.000Z", true),
        snapshot("b", "2026-11-15T11:00:00.000Z", true),
      ]);
      await saveHostSnapshots(ledger.db, [snapshot("a", "2026-11-15T11:01:00.000Z", false)]);
      const all = await hostSnapshots(ledger.db);
      expect(all.size).toBe(2);
      expect(all.get("a")).toEqual(snapshot("a", "2026-11-15T11:01:00.000Z", false));
      expect(all.get("b")).toEqual(snapshot("b", "2026-11-15T11:00:00.000Z", true));
      expect([...(await hostSnapshots(ledger.db, ["b"])).keys()]).toEqual(["b"]);
    } finally {
      await ledger.close();
    }
  });

  it("storage per month: byte-hours and days with data, per meter", async () => {
    const ledger = await freshLedger(backend);
    try {
      for (const hour of ["2026-10-30T00", "2026-10-31T00", "2026-11-01T00"]) {
        await recordHour(ledger.db, ledger.dialect, hour, [
          { subject: "h", meter: "fs_used_bytes", department: "bz", value: 10n ** 12n, status: "ok" },
          { subject: "s", meter: "share_used_bytes", department: "bz", value: 5n, status: "ok" },
          { subject: "x", meter: "fs_used_bytes", department: "other", value: 7n, status: "ok" },
        ]);
      }
      await rollup(ledger.db, ["2026-10-30", "2026-10-31", "2026-11-01"]);
      expect(await monthlyStorage(ledger.db, "bz", "2026-10", "2026-11")).toEqual([
        { period: "2026-10", meter: "fs_used_bytes", valueHours: 2n * 10n ** 12n, days: 2 },
        { period: "2026-10", meter: "share_used_bytes", valueHours: 10n, days: 2 },
        { period: "2026-11", meter: "fs_used_bytes", valueHours: 10n ** 12n, days: 1 },
        { period: "2026-11", meter: "share_used_bytes", valueHours: 5n, days: 1 },
      ]);
    } finally {
      await ledger.close();
    }
  });
});
