// A host's live status from real agent output: CPU busy from two scrapes' counters, memory, the fullest
// real filesystem (tmpfs and friends left out), and what a down host keeps.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseExposition } from "../../../dashboard/metering/exposition.js";
import { cpuBusyRatio, downSnapshot, snapshotFromExposition } from "../../../dashboard/metering/hostSnapshot.js";
import { fixtureDir } from "../helpers/handMonth.js";

const agentText = readFileSync(join(fixtureDir, "agent-metrics.prom"), "utf8");

/** The fixture with every CPU counter advanced: `busy` seconds of work and `idle` seconds idle per CPU. */
function later(busy: number, idle: number): string {
  return agentText.replace(
    /^(muniops_cpu_seconds_total\{cpu="\d+",mode="(\w+)"\}) ([\d.]+)$/gm,
    (_m, series: string, mode: string, value: string) => {
      const add = mode === "user" ? busy : mode === "idle" ? idle : 0;
      return `${series} ${Number(value) + add}`;
    },
  );
}

describe("host snapshot", () => {
  const first = snapshotFromExposition("bz-app-01", "2026-11-15T11:59:00.000Z", parseExposition(agentText), undefined);

  it("reads memory, used bytes and the fullest real filesystem from the agent's metrics", () => {
    expect(first.up).toBe(true);
    expect(first.memoryTotalBytes).toBe(25276026880n);
    expect(first.memoryAvailableBytes).toBe(22229377024n);
    expect(first.fsUsedBytes).toBe(270553174016n - 244679544832n);
    // the tmpfs on /run is 100 % full but holds no data: / is the fullest real filesystem
    expect(first.fullest).toEqual({ mountpoint: "/", sizeBytes: 270553174016n, availBytes: 83070664704n });
    expect(first.cpuBusyRatio).toBeNull();
  });

  it("computes CPU busy from the counters of two scrapes", () => {
    const cpus = (agentText.match(/mode="idle"/g) ?? []).length;
    const second = snapshotFromExposition(
      "bz-app-01",
      "2026-11-15T12:00:00.000Z",
      parseExposition(later(15, 45)),
      first,
    );
    expect(second.cpuBusyRatio).toBeCloseTo(0.25, 10);
    expect(cpus).toBeGreaterThan(1);
  });

  it("gives no CPU figure after a counter reset (agent restart) or without a previous scrape", () => {
    const reset = snapshotFromExposition(
      "bz-app-01",
      "2026-11-15T12:00:00.000Z",
      parseExposition(agentText.replace(/(mode="\w+"\}) [\d.]+/g, "$1 1")),
      first,
    );
    expect(reset.cpuBusyRatio).toBeNull();
    expect(cpuBusyRatio(undefined, first)).toBeNull();
  });

  it("marks a host that did not answer as down and keeps its last figures", () => {
    const down = downSnapshot("bz-app-01", "2026-11-15T12:01:00.000Z", first);
    expect(down).toMatchObject({
      up: false,
      at: "2026-11-15T12:01:00.000Z",
      fullest: first.fullest,
      cpuBusyRatio: null,
    });
    expect(downSnapshot("new-01", "2026-11-15T12:01:00.000Z", undefined)).toMatchObject({
      host: "new-01",
      up: false,
      fullest: null,
    });
  });
});
