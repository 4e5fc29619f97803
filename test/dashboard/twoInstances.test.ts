// Two `muniops dashboard` processes on one PostgreSQL ledger (issue 20), as a partner runs them behind a
// load balancer: a session made on one is honoured and revoked on the other, a rate changed on one is read
// on the other, and metering runs in one of them at a time: kill it (SIGKILL) mid-run and the other takes
// over, with every hour metered once and none lost.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLedger, type Ledger } from "../../dashboard/data-access/database.js";
import { importMasterData } from "../../dashboard/app/ledgerImport.js";
import { addUser, prepareAuthTables } from "../../dashboard/auth/userStore.js";
import { hourKey, hourStart } from "../../dashboard/domain/period.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { started } from "../helpers/started.js";
import { postgresBackend } from "./helpers/backends.js";
import { testHost, testInventory } from "./helpers/inventory.js";
import { clientFor, login, password } from "./api/testServer.js";

const hostCount = 100;
const departments = ["burgerzaken", "belastingen", "ict"];
const hosts = Array.from({ length: hostCount }, (_v, i) => ({ name: `host-${i}`, department: departments[i % 3]! }));
const rows = { perHour: hostCount * 4 };
const complete = {
  "compute.vcpuHour": "0.02",
  "compute.memoryGibHour": "0.005",
  "storage.serverGbMonth": "0.12",
  "storage.shareGbMonth": "0.05",
};
const masterData =
  `departments:
  - { id: burgerzaken, name: Burgerzaken, costCenter: KP-4100, headcount: 50 }
  - { id: belastingen, name: Belastingen, costCenter: KP-4200, headcount: 30 }
  - { id: ict, name: Centrale ICT, costCenter: KP-9000, headcount: 20 }
rateCards:
  - { validFrom: 2026-01-01, prices: { compute.vcpuHour: "0.02", compute.memoryGibHour: "0.005", ` +
  `storage.serverGbMonth: "0.10", storage.shareGbMonth: "0.05" } }
`;

/** A PromQL API answering every metering query_range for every host and hour. */
function fakePromql(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const query = url.searchParams.get("query") ?? "";
    const [start, end] = [Number(url.searchParams.get("start")), Number(url.searchParams.get("end"))];
    const value = query.includes("up{") ? 1 : query.includes("filesystem") ? 1e9 : query.includes("cpu") ? 2 : 4 ** 16;
    const result = hosts.map((h) => {
      const values: [number, string][] = [];
      for (let t = start; t <= end; t += 3600) values.push([t, String(value)]);
      return { metric: { host: h.name, department: h.department }, values };
    });
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ status: "success", data: { resultType: query ? "matrix" : "vector", result } }));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` });
    }),
  );
}

interface Instance {
  child: ChildProcess;
  url: string;
  stderr(): string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, read: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("two dashboards, one PostgreSQL ledger", () => {
  const backend = postgresBackend();
  const instances: Instance[] = [];
  let dir: string;
  let promql: { server: Server; url: string };
  let databaseUrl: string;
  let inventoryPath: string;

  const startInstance = async (): Promise<Instance> => {
    const args = ["dashboard", "--log-level", "warn", "--host", "127.0.0.1", "--port", "0"];
    const child = spawn(
      process.execPath,
      [
        ...["--import", "tsx", join(repoRoot, "muniops.ts"), ...args],
        ...["--database-url", databaseUrl, "--prometheus-url", promql.url, "--inventory", inventoryPath],
      ],
      { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const instance = { child, url: "", stderr: () => stderr };
    instances.push(instance);
    instance.url = await until("the dashboard to listen", () => {
      if (child.exitCode !== null) throw new Error(`dashboard exited with ${child.exitCode}: ${stderr}`);
      return /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
    });
    return instance;
  };

  const withLedger = async <T>(fn: (ledger: Ledger) => Promise<T>): Promise<T> => {
    const ledger = await openLedger(databaseUrl);
    try {
      return await fn(ledger);
    } finally {
      await ledger.close();
    }
  };

  const hourCounts = (): Promise<Map<string, { rows: number; ok: number }>> =>
    withLedger(async (ledger) => {
      const found = await ledger.db
        .selectFrom("usage_hourly")
        .select("hour")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .select((eb) => eb.fn.count<string>(eb.case().when("status", "=", "ok").then(1).end()).as("ok"))
        .groupBy("hour")
        .execute();
      return new Map(found.map((r) => [r.hour, { rows: Number(r.n), ok: Number(r.ok) }]));
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "muniops-two-"));
    promql = await fakePromql();
    inventoryPath = join(dir, "inventory.json");
    const inventory = testInventory(
      "two",
      hosts.map((h, i) => testHost(h.name, h.department, { address: `10.1.0.${i + 1}`, memoryGiB: 4 })),
    );
    writeFileSync(inventoryPath, JSON.stringify(inventory));
    databaseUrl = await backend.createUrl();
    const ledger = await openLedger(databaseUrl, { create: true });
    try {
      await importMasterData(ledger, masterData, { format: "yaml", source: "m.yaml", actor: "test" });
      await prepareAuthTables(ledger);
      await addUser(ledger, { username: "manager", password, role: "service-manager", departments: [] }, "test");
    } finally {
      await ledger.close();
    }
  }, 120_000);

  afterAll(async () => {
    for (const { child } of instances) if (child.exitCode === null) child.kill("SIGKILL");
    if (started(promql)) await new Promise((r) => promql.server.close(r));
    await backend.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("shares sessions, revocation and rates, and hands metering over when its instance dies", async () => {
    const a = await startInstance();
    await until("A to meter", () => (a.stderr().includes("metering ") ? true : undefined));
    const b = await startInstance();

    // A session made on A is honoured on B; a logout on A is refused on B.
    const onA = await login(a.url, "manager");
    const onB = clientFor(b.url, onA.cookie, onA.csrf);
    expect((await onB.get("/api/v1/me")).status).toBe(200);
    const rate = await onA.post("/api/v1/rates", { validFrom: "2027-01-01", prices: complete });
    expect(rate.status).toBe(201);
    const versions = (await (await onB.get("/api/v1/rates")).json()) as { versions: { validFrom: string }[] };
    expect(versions.versions.map((v) => v.validFrom)).toContain("2027-01-01");
    expect((await onA.post("/logout", {}, { form: true })).status).toBe(303);
    expect((await onB.get("/api/v1/me")).status).toBe(401);

    // Revoked everywhere: `muniops users disable` ends the sessions on both.
    const again = await login(b.url, "manager");
    expect((await clientFor(a.url, again.cookie, again.csrf).get("/api/v1/me")).status).toBe(200);
    const disabled = await runCli(["users", "disable", "manager", "--database-url", databaseUrl]);
    expect(disabled.code, disabled.stderr).toBe(0);
    for (const base of [a.url, b.url])
      expect((await clientFor(base, again.cookie, again.csrf).get("/api/v1/me")).status).toBe(401);

    // Metering: A holds the lock, B waits. Kill A while it writes the month it catches up on.
    expect(b.stderr()).not.toContain("metering ");
    await until("A's first metered hours", async () => ((await hourCounts()).size > 0 ? true : undefined));
    a.child.kill("SIGKILL");
    const killedAt = (await hourCounts()).size;
    const lastFullHour = hourKey(Date.now() - 3_600_000);
    await until("B to take over", () => (b.stderr().includes("metering ") ? true : undefined), 60_000);
    const counts = await until(
      "B to meter up to the last full hour",
      async () => {
        const now = await hourCounts();
        return now.has(lastFullHour) ? now : undefined;
      },
      60_000,
    );
    const hours = [...counts.keys()].sort();
    expect(hours.length).toBeGreaterThanOrEqual(31 * 24); // the default catch-up
    for (let i = 1; i < hours.length; i++) expect(hourStart(hours[i]!) - hourStart(hours[i - 1]!)).toBe(3_600_000);
    for (const [hour, n] of counts) expect({ hour, ...n }).toEqual({ hour, rows: rows.perHour, ok: rows.perHour });
    process.stderr.write(`A was killed with ${killedAt} of ${hours.length} hours metered\n`);
  }, 180_000);
});
