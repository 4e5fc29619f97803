// The schedule the dashboard process runs: each tick scrapes (embedded mode) and meters; runs don't overlap.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openLedger } from "../../../dashboard/data-access/database.js";
import { startMeteringSchedule } from "../../../dashboard/metering/schedule.js";
import type { MeterResult } from "../../../dashboard/metering/meter.js";

describe("metering schedule", () => {
  it("scrapes and meters on every tick, one run at a time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "muniops-schedule-"));
    const ledger = await openLedger(join(dir, "l.db"));
    const runs: MeterResult[] = [];
    try {
      const schedule = startMeteringSchedule({
        ledger,
        loadInventory: () => ({ schemaVersion: 1, organization: "o", stack: "s", departments: [{ id: "ict", name: "ICT", costCenter: "KP-9000", headcount: 1 }], hosts: [{ name: "fw-01", address: "127.0.0.1", agentPort: 1, department: "ict", service: "fw", role: "fw", environment: "prod", os: "linux", vmSize: "appliance", vcpus: 2, memoryGiB: 4, disks: [], collect: "ssh" }], shares: [] }),
        timeoutMs: 1000,
        maxCatchUpMs: 3 * 3_600_000,
        scrapeIntervalMs: 3_600_000,
        fetchers: { ssh: () => Promise.resolve('muniops_filesystem_size_bytes{device="/dev/sda",fstype="ext4",mountpoint="/"} 100\nmuniops_filesystem_free_bytes{device="/dev/sda",fstype="ext4",mountpoint="/"} 40\n') },
        onRun: (r) => runs.push(r),
      });
      const [a, b] = [schedule.tick(), schedule.tick()];
      expect(a).toBe(b);
      await a;
      await schedule.stop();
      expect(runs).toHaveLength(1);
      const samples = await ledger.db.selectFrom("scrape_samples").selectAll().execute();
      expect(samples.map((s) => [s.host, s.up, String(s.fs_used_bytes)])).toEqual([["fw-01", 1, "60"]]);
      expect((await ledger.db.selectFrom("hosts").select("name").execute()).map((h) => h.name)).toEqual(["fw-01"]);
    } finally {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
