// Crash safety of metering, on both backends (SQLite, where two processes share one file, and PostgreSQL):
// - a run killed with SIGKILL mid-way leaves only whole hours, and a rerun completes the rest;
// - a run going on while another process closes the month corrupts nothing: the frozen statement equals
//   the month recomputed afterwards (no hour slipped in after the close), and the chain holds.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLedger, type Ledger } from "../../../dashboard/data-access/database.js";
import { chargebackJson } from "../../../dashboard/domain/chargeback.js";
import { computePeriod } from "../../../dashboard/app/chargeback.js";
import { closePeriod, verifyChain } from "../../../dashboard/app/close.js";
import { importMasterData } from "../../../dashboard/app/ledgerImport.js";
import { hourStart, hourKey } from "../../../dashboard/domain/period.js";
import { repoRoot } from "../../helpers/cli.js";
import { backends } from "../helpers/backends.js";
import { testHost, testInventory } from "../helpers/inventory.js";
import { started } from "../../helpers/started.js";

const hostCount = 1000;
const departments = ["burgerzaken", "belastingen", "ict"];
const hosts = Array.from({ length: hostCount }, (_v, i) => ({ name: `host-${i}`, department: departments[i % 3]! }));

/** A PromQL API answering query_range for every host and hour: the four metering queries. */
function fakePromql(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const query = url.searchParams.get("query") ?? "";
    const start = Number(url.searchParams.get("start"));
    const end = Number(url.searchParams.get("end"));
    const value = (i: number): number =>
      query.includes("up{")
        ? 1
        : query.includes("filesystem")
          ? ((i % 10) + 1) * 1e9
          : query.includes("cpu")
            ? 2
            : 4 * 1024 ** 3;
    const result = hosts.map((h, i) => {
      const values: [number, string][] = [];
      for (let t = start; t <= end; t += 3600) values.push([t, String(value(i))]);
      return { metric: { host: h.name, department: h.department }, values };
    });
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ status: "success", data: { resultType: "matrix", result } }));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` });
    }),
  );
}

const masterData =
  `departments:
  - { id: burgerzaken, name: Burgerzaken, costCenter: KP-4100, headcount: 50 }
  - { id: belastingen, name: Belastingen, costCenter: KP-4200, headcount: 30 }
  - { id: ict, name: Centrale ICT, costCenter: KP-9000, headcount: 20 }
rateCards:
  - { validFrom: 2026-01-01, prices: { compute.vcpuHour: "0.02", compute.memoryGibHour: "0.005", ` +
  `storage.serverGbMonth: "0.10", storage.shareGbMonth: "0.05" } }
`;

describe.each(backends)("metering crash safety ($name)", (backend) => {
  let dir: string;
  let promql: { server: Server; url: string };
  let inventoryPath: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "muniops-crash-"));
    promql = await fakePromql();
    inventoryPath = join(dir, "inventory.json");
    writeFileSync(
      inventoryPath,
      JSON.stringify(
        testInventory(
          "crash",
          hosts.map((h, i) =>
            testHost(h.name, h.department, { address: `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`, memoryGiB: 4 }),
          ),
        ),
      ),
    );
  });
  afterAll(async () => {
    if (started(promql)) await new Promise((r) => promql.server.close(r));
    await backend.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const stderr = new WeakMap<ChildProcess, string[]>();
  const startMeter = (db: string, from: string, to: string): ChildProcess => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        join(repoRoot, "muniops.ts"),
        "meter",
        "--log-level",
        "error",
        "--database-url",
        db,
        "--prometheus-url",
        promql.url,
        "--inventory",
        inventoryPath,
        "--from",
        from,
        "--to",
        to,
        "--actor",
        "metering",
      ],
      { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"] },
    );
    const lines: string[] = [];
    child.stderr.on("data", (chunk: Buffer) => {
      lines.push(chunk.toString());
    });
    stderr.set(child, lines);
    return child;
  };

  const exited = (child: ChildProcess): Promise<number | null> =>
    new Promise((resolve) => {
      child.once("exit", (code) => {
        resolve(code);
      });
    });

  const hourCounts = async (ledger: Ledger): Promise<Map<string, number>> => {
    const rows = await ledger.db
      .selectFrom("usage_hourly")
      .select("hour")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .groupBy("hour")
      .execute();
    return new Map(rows.map((r) => [r.hour, Number(r.n)]));
  };

  async function waitForHours(ledger: Ledger, atLeast: number, child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if ((await hourCounts(ledger)).size >= atLeast) return;
      if (child.exitCode !== null)
        throw new Error(`meter exited early with ${child.exitCode}: ${(stderr.get(child) ?? []).join("")}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error("metering made no progress");
  }

  it("leaves no partial hour when killed with SIGKILL, and a rerun completes it", { timeout: 180_000 }, async () => {
    const db = await backend.createUrl();
    const ledger = await openLedger(db, { create: true });
    try {
      await importMasterData(ledger, masterData, { format: "yaml", source: "m.yaml", actor: "test" });
      const child = startMeter(db, "2026-11-01T00", "2026-11-01T23");
      await waitForHours(ledger, 3, child);
      child.kill("SIGKILL");
      await exited(child);
      const partial = await hourCounts(ledger);
      expect(partial.size).toBeGreaterThanOrEqual(3);
      expect(partial.size).toBeLessThan(24);
      for (const [hour, n] of partial) expect(n, hour).toBe(hostCount * 4);

      const rerun = startMeter(db, "2026-11-01T00", "2026-11-01T23");
      expect(await exited(rerun), (stderr.get(rerun) ?? []).join("")).toBe(0);
      const complete = await hourCounts(ledger);
      expect(complete.size).toBe(24);
      for (const [hour, n] of complete) expect(n, hour).toBe(hostCount * 4);
      const fs = await ledger.db
        .selectFrom("usage_hourly")
        .select((eb) => eb.fn.sum<number | string>("value").as("total"))
        .where("meter", "=", "fs_used_bytes")
        .executeTakeFirstOrThrow();
      const perHour = hosts.reduce((a, _h, i) => a + ((i % 10) + 1) * 1e9, 0);
      expect(Number(fs.total)).toBe(perHour * 24);
    } finally {
      await ledger.close();
    }
  });

  it("corrupts nothing when a close runs while metering writes", { timeout: 180_000 }, async () => {
    const db = await backend.createUrl();
    const ledger = await openLedger(db, { create: true });
    try {
      await importMasterData(ledger, masterData, { format: "yaml", source: "m.yaml", actor: "test" });
      const child = startMeter(db, "2026-10-31T12", "2026-11-01T11");
      await waitForHours(ledger, 2, child);
      const closed = await closePeriod(ledger, "2026-10", {
        actor: "anna",
        acceptGaps: true,
        now: Date.parse("2026-12-01T00:00:00Z"),
      });
      expect(await exited(child), (stderr.get(child) ?? []).join("")).toBe(0);
      // Nothing reached October after its close: recomputing it gives the frozen statement.
      const recomputed = chargebackJson(await computePeriod(ledger.db, "2026-10"), "closed");
      expect(JSON.stringify(recomputed)).toBe(JSON.stringify(closed.statement));
      expect(await verifyChain(ledger)).toEqual({ ok: true, periods: 1 });
      const counts = await hourCounts(ledger);
      for (const [hour, n] of counts) expect(n, hour).toBe(hostCount * 4);
      // Every November hour is there; October has only what was metered before the close.
      for (let t = hourStart("2026-11-01T00"); t <= hourStart("2026-11-01T11"); t += 3_600_000)
        expect(counts.get(hourKey(t))).toBe(hostCount * 4);
    } finally {
      await ledger.close();
    }
  });
});
