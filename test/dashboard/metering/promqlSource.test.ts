// Metering against real peers: Prometheus 2.42 with backfilled history (promtool), and VictoriaMetrics
// with the same history imported. The ledger read from them equals the known input; with the source
// stopped, hours are recorded as gaps (never zero), retried later and backfilled.
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ledger } from "../../../dashboard/data-access/database.js";
import { openLedger } from "../../../dashboard/data-access/database.js";
import { applyMasterDataChanges } from "../../../dashboard/data-access/masterData.js";
import { hourlyRows } from "../../../dashboard/data-access/usage.js";
import { addHours, hourKey } from "../../../dashboard/domain/period.js";
import { meter } from "../../../dashboard/metering/meter.js";
import { PromqlSource } from "../../../dashboard/metering/promqlSource.js";
import type { Inventory } from "../../../contracts/inventory.js";
import { knownHistory } from "../helpers/history.js";
import { testHost, testInventory } from "../helpers/inventory.js";
import { backfillPrometheus, startPrometheus, startVictoriaMetrics, type Peer } from "../helpers/peers.js";
import { started } from "../../helpers/started.js";

const lastHour = hourKey(Date.now() - 2 * 3_600_000);
const firstHour = addHours(lastHour, -5);
const history = knownHistory(firstHour, lastHour);
const hours = history.hours;

const inventory: Inventory = testInventory("test", [
  testHost("bz-app-01", "burgerzaken", { service: "brp", vmSize: "Standard_D4s_v5", vcpus: 4, memoryGiB: 16 }),
  testHost("bel-app-01", "belastingen", { service: "woz" }),
  // Listed, existing, but Prometheus never scraped it: every hour a gap.
  testHost("ict-mon-01", "ict", { service: "monitoring", role: "prometheus" }),
]);

async function ledgerWithHosts(dir: string): Promise<Ledger> {
  const ledger = await openLedger(join(dir, `ledger-${Math.random().toString(36).slice(2)}.db`), { create: true });
  // The hosts existed before the window (a previous inventory sync), so missing hours are gaps.
  await ledger.db.transaction().execute((trx) =>
    applyMasterDataChanges(
      trx,
      {
        departments: inventory.departments.map((d) => ({ ...d, annualBudgetCents: null })),
        hosts: inventory.hosts.map((h) => ({
          name: h.name,
          department: h.department,
          service: h.service,
          environment: h.environment,
          vcpus: h.vcpus,
          memoryMib: h.memoryGiB * 1024,
          existedFrom: addHours(firstHour, -24),
          existedTo: null,
        })),
      },
      {},
      "test",
    ),
  );
  return ledger;
}

interface PeerKind {
  name: string;
  /** Load the history and start; `restart` starts the same data again on the same port. */
  start(dir: string): Promise<{ peer: Peer; restart(): Promise<Peer> }>;
}

const peers: PeerKind[] = [
  {
    name: "Prometheus 2.42 (promtool backfill)",
    async start(dir) {
      const data = join(dir, "prometheus");
      mkdirSync(data);
      await backfillPrometheus(history.openMetrics, data);
      const peer = await startPrometheus(data);
      return { peer, restart: () => startPrometheus(data, peer.port) };
    },
  },
  {
    name: "VictoriaMetrics",
    async start(dir) {
      const data = join(dir, "vm");
      const peer = await startVictoriaMetrics(data);
      const response = await fetch(`${peer.url}/api/v1/import/prometheus`, { method: "POST", body: history.promText });
      if (!response.ok) throw new Error(`VictoriaMetrics import failed: HTTP ${response.status}`);
      await fetch(`${peer.url}/internal/force_flush`);
      return { peer, restart: () => startVictoriaMetrics(data, peer.port) };
    },
  },
];

describe.each(peers)("metering from $name", (kind) => {
  let dir: string;
  let peer: Peer;
  let restart: () => Promise<Peer>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "muniops-metering-"));
    const started = await kind.start(dir);
    peer = started.peer;
    restart = () => started.restart();
  }, 90_000);
  afterAll(async () => {
    await started(peer)?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const expectKnownInput = async (ledger: Ledger): Promise<void> => {
    for (const [host, perHour] of history.expected) {
      const up = await hourlyRows(ledger.db, {
        from: hours[0]!,
        to: hours.at(-1)!,
        subject: host,
        meter: "up_seconds",
      });
      const fs = await hourlyRows(ledger.db, {
        from: hours[0]!,
        to: hours.at(-1)!,
        subject: host,
        meter: "fs_used_bytes",
      });
      expect(
        up.map((r) => [r.hour, r.status, r.value]),
        host,
      ).toEqual(hours.map((h) => [h, "ok", BigInt(perHour.get(h)!.up)]));
      expect(
        fs.map((r) => [r.hour, r.status, r.value]),
        host,
      ).toEqual(hours.map((h) => [h, "ok", perHour.get(h)!.fs]));
    }
  };

  it("records the known input hour by hour, with the departments Prometheus attached", async () => {
    const ledger = await ledgerWithHosts(dir);
    try {
      const source = new PromqlSource(peer.url, { timeoutMs: 10_000 });
      const result = await meter(ledger, {
        inventory,
        source,
        from: hours[0]!,
        to: hours.at(-1)!,
        maxCatchUpMs: 2 * 86_400_000,
      });
      expect(result.sourceError).toBeUndefined();
      expect(result.hours).toBe(6);
      await expectKnownInput(ledger);
      // The stray host no inventory lists: metered with what it reports, owned by nobody (unallocated).
      const stray = await hourlyRows(ledger.db, { from: hours[0]!, to: hours.at(-1)!, subject: "stray-01" });
      expect(new Set(stray.map((r) => r.department))).toEqual(new Set([null]));
      expect(stray.filter((r) => r.meter === "vcpus").map((r) => r.value)).toEqual(hours.map(() => 2n));
      expect(stray.filter((r) => r.meter === "memory_bytes").map((r) => r.value)).toEqual(
        hours.map(() => 2n * 1024n ** 3n),
      );
      const bz = await hourlyRows(ledger.db, {
        from: hours[0]!,
        to: hours.at(-1)!,
        subject: "bz-app-01",
        meter: "vcpus",
      });
      expect(bz.map((r) => [r.department, r.value])).toEqual(hours.map(() => ["burgerzaken", 4n]));
      // A listed host the source has nothing for is a gap, never a zero.
      const ict = await hourlyRows(ledger.db, {
        from: hours[0]!,
        to: hours.at(-1)!,
        subject: "ict-mon-01",
        meter: "fs_used_bytes",
      });
      expect(ict.map((r) => [r.status, r.value])).toEqual(hours.map(() => ["gap", null]));
      // Idempotent: metering the same hours again changes nothing.
      const before = await hourlyRows(ledger.db, { from: hours[0]!, to: hours.at(-1)! });
      await meter(ledger, { inventory, source, from: hours[0]!, to: hours.at(-1)!, maxCatchUpMs: 2 * 86_400_000 });
      expect(await hourlyRows(ledger.db, { from: hours[0]!, to: hours.at(-1)! })).toEqual(before);
    } finally {
      await ledger.close();
    }
  });

  it("with the source stopped records gaps, then retries and backfills them", async () => {
    const ledger = await ledgerWithHosts(dir);
    try {
      const source = new PromqlSource(peer.url, { timeoutMs: 2000 });
      const options = { inventory, source, maxCatchUpMs: 2 * 86_400_000, retries: 1, retryDelayMs: 50 };
      await meter(ledger, { ...options, from: hours[0]!, to: hours[2]! });
      await peer.stop();
      const down = await meter(ledger, { ...options, to: hours.at(-1)! });
      expect(down.sourceError).toMatch(/did not answer/);
      // It resumes at the earliest gap: ict-mon-01 has been one since the first run.
      expect(down.from).toBe(hours[0]);
      const gaps = await hourlyRows(ledger.db, {
        from: hours[3]!,
        to: hours.at(-1)!,
        subject: "bz-app-01",
        meter: "fs_used_bytes",
      });
      expect(gaps.map((r) => [r.status, r.value])).toEqual([
        ["gap", null],
        ["gap", null],
        ["gap", null],
      ]);
      // Compute is billed by existence (provisioned capacity from the inventory), so it has no gap.
      const compute = await hourlyRows(ledger.db, {
        from: hours[3]!,
        to: hours.at(-1)!,
        subject: "bz-app-01",
        meter: "vcpus",
      });
      expect(compute.map((r) => r.status)).toEqual(["ok", "ok", "ok"]);

      peer = await restart();
      const back = await meter(ledger, { ...options, to: hours.at(-1)! });
      expect(back.sourceError).toBeUndefined();
      expect(back.from).toBe(hours[0]); // the earliest gap: ict-mon-01 has been a gap all along
      await expectKnownInput(ledger);
      // The daily rollup bills the backfilled hours in full.
      const daily = await ledger.db
        .selectFrom("usage_daily")
        .select(["day", "value_hours", "hours_gap"])
        .where("subject", "=", "bz-app-01")
        .where("meter", "=", "fs_used_bytes")
        .execute();
      const billed = daily.reduce((a, d) => a + BigInt(d.value_hours), 0n);
      const known = [...history.expected.get("bz-app-01")!.values()].reduce((a, v) => a + v.fs, 0n);
      expect(billed).toBe(known);
      expect(daily.reduce((a, d) => a + d.hours_gap, 0)).toBe(0);
    } finally {
      await ledger.close();
    }
  });
});
