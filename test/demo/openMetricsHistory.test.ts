// The backfill file for Prometheus: hourly history, then the minutes before start-up at scrape density,
// with the same CPU counters the simulator serves live, so rate() over [5m] has samples from the start
// and sees no counter reset where the live scrape takes over.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { formatText } from "../../agents/exposition.js";
import { FleetModel } from "../../agents/simulator/fleetModel.js";
import { historyTimes, writeOpenMetricsHistory } from "../../agents/simulator/openMetricsHistory.js";
import { simulatedFamilies } from "../../agents/simulator/simulatedMetrics.js";
import { parseExposition } from "../../dashboard/metering/exposition.js";
import type { InventoryHost } from "../../contracts/inventory.js";

const hour = 3_600_000;
const from = Date.parse("2026-11-18T10:00:00Z");
const to = Date.parse("2026-11-18T14:00:00Z");
const now = Date.parse("2026-11-18T14:20:07Z");
const host: InventoryHost = {
  name: "bz-app-01",
  address: "10.20.1.4",
  agentPort: 9110,
  department: "burgerzaken",
  service: "brp",
  role: "app",
  environment: "prod",
  os: "linux",
  vmSize: "D4",
  vcpus: 4,
  memoryGiB: 16,
  disks: [{ name: "bz-app-01-os", sizeGiB: 128, sku: "Premium_LRS" }],
};

describe("OpenMetrics history for the Prometheus backfill", () => {
  test("half past every hour, then every step of the recent span, in time order", () => {
    expect(historyTimes(from, to)).toEqual([0, 1, 2, 3].map((h) => from + h * hour + hour / 2));
    const times = historyTimes(from, to, { untilMs: now, spanMs: 60_000, stepMs: 15_000 });
    expect(times.slice(4)).toEqual([-60_000, -45_000, -30_000, -15_000, 0].map((d) => now + d));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  test("the CPU series carry the values the simulator serves live at the same instant", async () => {
    const model = new FleetModel({
      seed: 7,
      hosts: [host],
      historyStartMs: Date.parse("2025-10-01T00:00:00Z"),
      nowMs: now,
      downNow: 0,
      fillingUp: 0,
    });
    const dir = mkdtempSync(join(tmpdir(), "muniops-history-"));
    try {
      const file = join(dir, "history.om");
      await writeOpenMetricsHistory(model, file, from, to, { untilMs: now, spanMs: 5 * 60_000, stepMs: 15_000 });
      const lines = readFileSync(file, "utf8")
        .split("\n")
        .filter(
          (l) => l.startsWith("muniops_cpu_seconds_total{") && l.includes('cpu="1"') && l.includes('mode="idle"'),
        );
      // 4 hourly samples and 21 recent ones
      expect(lines).toHaveLength(25);
      const profile = model.profile(host.name);
      if (!profile) throw new Error("no profile");
      for (const line of [lines[3], lines[24]]) {
        const [, value = "", seconds = ""] = /} (\S+) (\S+)$/.exec(line ?? "") ?? [];
        const live = parseExposition(formatText(simulatedFamilies(model, profile, Number(seconds) * 1000))).find(
          (s) => s.name === "muniops_cpu_seconds_total" && s.labels.cpu === "1" && s.labels.mode === "idle",
        );
        expect(Number(value)).toBe(live?.value);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
