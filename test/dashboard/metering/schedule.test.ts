// The schedule the dashboard process runs: each tick scrapes (embedded mode) and meters; runs don't overlap;
// the first run already knows each host's CPU busy share.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openLedger } from "../../../dashboard/data-access/database.js";
import { startMeteringSchedule } from "../../../dashboard/metering/schedule.js";
import { hostSnapshots } from "../../../dashboard/data-access/hostStatus.js";
import type { MeterResult } from "../../../dashboard/metering/meter.js";

describe("metering schedule", () => {
  it("scrapes and meters on every tick, one run at a time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "muniops-schedule-"));
    const ledger = await openLedger(join(dir, "l.db"), { create: true });
    const runs: MeterResult[] = [];
    try {
      const schedule = startMeteringSchedule({
        ledger,
        loadInventory: () => ({
          schemaVersion: 1,
          organization: "o",
          stack: "s",
          departments: [{ id: "ict", name: "ICT", costCenter: "KP-9000", headcount: 1 }],
          hosts: [
            {
              name: "fw-01",
              address: "127.0.0.1",
              agentPort: 1,
              department: "ict",
              service: "fw",
              role: "fw",
              environment: "prod",
              os: "linux",
              vmSize: "appliance",
              vcpus: 2,
              memoryGiB: 4,
              disks: [],
              collect: "ssh",
            },
          ],
          shares: [],
        }),
        timeoutMs: 1000,
        maxCatchUpMs: 3 * 3_600_000,
        scrapeIntervalMs: 3_600_000,
        cpuPrimeMs: 0,
        fetchers: {
          ssh: () =>
            Promise.resolve(
              'muniops_filesystem_size_bytes{device="/dev/sda",fstype="ext4",mountpoint="/"} ' +
                '100\nmuniops_filesystem_free_bytes{device="/dev/sda",fstype="ext4",mountpoint="/"} 40\n',
            ),
        },
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

  it("takes a CPU reading before the first scrape, so the first tick already shows CPU busy", async () => {
    const dir = mkdtempSync(join(tmpdir(), "muniops-schedule-"));
    const ledger = await openLedger(join(dir, "l.db"), { create: true });
    // a 2-CPU host 30 % busy: every read advances the counters by one second of wall time
    let reads = 0;
    const exposition = (): string => {
      reads++;
      const busy = 0.6 * reads;
      const idle = 2 * reads - busy;
      return (
        `muniops_cpu_seconds_total{cpu="0",mode="user"} ` +
        `${busy}\nmuniops_cpu_seconds_total{cpu="0",mode="idle"} ${idle}\n`
      );
    };
    try {
      const schedule = startMeteringSchedule({
        ledger,
        loadInventory: () => ({
          schemaVersion: 1,
          organization: "o",
          stack: "s",
          departments: [{ id: "ict", name: "ICT", costCenter: "KP-9000", headcount: 1 }],
          hosts: [
            {
              name: "app-01",
              address: "127.0.0.1",
              agentPort: 1,
              department: "ict",
              service: "app",
              role: "app",
              environment: "prod",
              os: "linux",
              vmSize: "D2",
              vcpus: 2,
              memoryGiB: 4,
              disks: [],
            },
          ],
          shares: [],
        }),
        timeoutMs: 1000,
        maxCatchUpMs: 3 * 3_600_000,
        scrapeIntervalMs: 3_600_000,
        cpuPrimeMs: 10,
        fetchers: { agent: () => Promise.resolve(exposition()) },
      });
      await schedule.tick();
      await schedule.stop();
      expect(reads).toBe(2);
      expect((await hostSnapshots(ledger.db, ["app-01"])).get("app-01")?.cpuBusyRatio).toBeCloseTo(0.3, 10);
      // the start-up reading is live status only: usage has the tick's one sample
      expect(await ledger.db.selectFrom("scrape_samples").select("host").execute()).toHaveLength(1);
    } finally {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
