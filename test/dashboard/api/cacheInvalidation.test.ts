// The dashboard caches computed months, the overview, serialised documents and sessions until the ledger
// changes. Each test primes the cache, changes the ledger one way (through the dashboard, through another
// connection as the `muniops meter` or `muniops users` CLI would, or through the dashboard's own ledger
// connection as in-process metering does) and expects the very next request to show the change.
import { afterAll, describe, expect, test } from "vitest";
import { openLedger, type Ledger } from "../../../dashboard/data-access/database.js";
import { recordHour, rollup, type UsageRow } from "../../../dashboard/data-access/usage.js";
import { addUser, prepareAuthTables, setDisabled } from "../../../dashboard/auth/userStore.js";
import { postgresBackend } from "../helpers/backends.js";
import { seedHandMonth } from "../helpers/handMonth.js";
import { accounts, login, password, startTestDashboard, useTestDashboard, type TestDashboard } from "./testServer.js";

const t = useTestDashboard(["manager"]);

interface Chargeback {
  status: string;
  total: string;
  departments: { id: string; compute: string; adjustments: string; total: string }[];
}

async function chargeback(period: string, client = t.manager): Promise<Chargeback> {
  const res = await client.get(`/api/v1/chargeback?period=${period}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Chargeback;
}

const department = (doc: Chargeback, id: string) => doc.departments.find((d) => d.id === id);
const cents = (euros: string | undefined): number => Math.round(Number(euros) * 100);

/** Another connection to the same ledger file: what a CLI in another process writes through. */
async function otherConnection<T>(fn: (ledger: Ledger) => Promise<T>): Promise<T> {
  const other = await openLedger(t.dashboard.ledger.location);
  try {
    return await fn(other);
  } finally {
    await other.close();
  }
}

/** One metered hour of a host, as metering records it. */
async function meterHour(ledger: Ledger, hour: string, host: string, departmentId: string): Promise<void> {
  const rows: UsageRow[] = [
    { subject: host, meter: "up_seconds", department: departmentId, value: 3600n, status: "ok" },
    { subject: host, meter: "vcpus", department: departmentId, value: 64n, status: "ok" },
    { subject: host, meter: "memory_bytes", department: departmentId, value: 256n * 1024n ** 3n, status: "ok" },
    { subject: host, meter: "fs_used_bytes", department: departmentId, value: 10n ** 12n, status: "ok" },
  ];
  await recordHour(ledger.db, ledger.dialect, hour, rows);
  await rollup(ledger.db, [hour.slice(0, 10)]);
}

describe("computed months follow every write at once", () => {
  test("an adjustment through the API shows in the next chargeback and on the overview", async () => {
    const before = await chargeback("2026-11");
    const overviewBefore = await (await t.manager.get("/")).text();
    const created = await t.manager.post("/api/v1/adjustments", {
      period: "2026-11",
      department: "burgerzaken",
      amount: "123.45",
      reason: "cache test",
    });
    expect(created.status).toBe(201);
    const after = await chargeback("2026-11");
    expect(
      cents(department(after, "burgerzaken")?.adjustments) - cents(department(before, "burgerzaken")?.adjustments),
    ).toBe(12345);
    expect(cents(after.total) - cents(before.total)).toBe(12345);
    const overviewAfter = await (await t.manager.get("/")).text();
    expect(overviewAfter).not.toBe(overviewBefore);
  });

  test("a new rate-card version reprices the open month at once", async () => {
    const before = await chargeback("2026-10");
    const saved = await t.manager.post("/api/v1/rates", {
      validFrom: "2026-10-25",
      note: "cache test",
      prices: {
        "compute.vcpuHour": "0.50",
        "compute.memoryGibHour": "0.05",
        "storage.serverGbMonth": "0.12",
        "storage.shareGbMonth": "0.05",
      },
    });
    expect(saved.status).toBe(201);
    const after = await chargeback("2026-10");
    expect(cents(department(after, "burgerzaken")?.compute)).toBeGreaterThan(
      cents(department(before, "burgerzaken")?.compute),
    );
  });

  test("metering by another process shows in the next request", async () => {
    const before = await chargeback("2026-11");
    await otherConnection((ledger) => meterHour(ledger, "2026-11-14T10", "bz-app-01", "burgerzaken"));
    const after = await chargeback("2026-11");
    expect(cents(department(after, "burgerzaken")?.compute)).toBeGreaterThan(
      cents(department(before, "burgerzaken")?.compute),
    );
  });

  test("metering in the dashboard's own process (its ledger connection) shows in the next request", async () => {
    const before = await chargeback("2026-11");
    await meterHour(t.dashboard.ledger, "2026-11-14T11", "bz-app-01", "burgerzaken");
    const after = await chargeback("2026-11");
    expect(cents(department(after, "burgerzaken")?.compute)).toBeGreaterThan(
      cents(department(before, "burgerzaken")?.compute),
    );
  });

  test("closing a month turns the cached open month into the frozen statement", async () => {
    expect((await chargeback("2026-10")).status).toBe("open");
    const closed = await t.manager.post("/api/v1/periods/2026-10/close", { confirm: true });
    expect(closed.status).toBe(201);
    expect((await chargeback("2026-10")).status).toBe("closed");
    const periods = (await (await t.manager.get("/api/v1/periods")).json()) as {
      periods: { period: string; status: string }[];
    };
    expect(periods.periods.find((p) => p.period === "2026-10")?.status).toBe("closed");
  });
});

describe("revalidation", () => {
  // fetch adds `Cache-Control: no-cache` to a conditional request unless one is given; a browser's
  // reload sends max-age=0, which still allows a 304.
  const revalidate = (path: string, etag: string) =>
    t.manager.get(path, { headers: { "if-none-match": etag, "cache-control": "max-age=0" } });

  test("the chargeback answers 304 to its ETag until the month changes", async () => {
    const path = "/api/v1/chargeback?period=2026-11";
    const first = await t.manager.get(path);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get("cache-control")).toBe("no-store");
    const again = await revalidate(path, etag);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    await t.manager.post("/api/v1/adjustments", {
      period: "2026-11",
      department: "belastingen",
      amount: "1.00",
      reason: "etag test",
    });
    const changed = await revalidate(path, etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  test("a controller's ETag never matches another scope's document", async () => {
    const controller = await login(t.dashboard.url, "ctl-bz");
    const path = "/api/v1/chargeback?period=2026-11";
    const managerEtag = (await t.manager.get(path)).headers.get("etag") ?? "";
    const res = await controller.get(path, { headers: { "if-none-match": managerEtag, "cache-control": "max-age=0" } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Chargeback).departments.map((d) => d.id)).toEqual(["burgerzaken"]);
  });
});

describe("sessions are cached but revoked at once", () => {
  test("after logout the same cookie is refused", async () => {
    const client = await login(t.dashboard.url, "auditor");
    expect((await client.get("/api/v1/me")).status).toBe(200);
    expect((await client.post("/logout", {}, { form: true })).status).toBe(303);
    expect((await client.get("/api/v1/me")).status).toBe(401);
  });

  test("an account disabled by another process loses its cached session on the next request", async () => {
    const client = await login(t.dashboard.url, "operator");
    expect((await client.get("/api/v1/me")).status).toBe(200);
    await otherConnection((ledger) => setDisabled(ledger, "operator", true, "test"));
    expect((await client.get("/api/v1/me")).status).toBe(401);
  });
});

describe("on PostgreSQL (the scale path: replicas share the ledger)", () => {
  const postgres = postgresBackend();
  let replica: TestDashboard | undefined;

  afterAll(async () => {
    await replica?.close();
    await postgres.cleanup();
  });

  test("another writer's metering and a disable show on the next request", async () => {
    const url = await postgres.createUrl();
    const seeding = await openLedger(url, { create: true });
    try {
      await seedHandMonth(seeding);
      await prepareAuthTables(seeding);
      for (const name of ["manager", "operator"] as const)
        await addUser(seeding, { username: name, password, role: accounts[name].role }, "test");
    } finally {
      await seeding.close();
    }
    replica = await startTestDashboard({ path: url });
    const client = await login(replica.url, "manager");
    const operator = await login(replica.url, "operator");
    const before = await chargeback("2026-11", client);
    const other = await openLedger(url);
    try {
      await meterHour(other, "2026-11-14T10", "bz-app-01", "burgerzaken");
      const after = await chargeback("2026-11", client);
      expect(cents(department(after, "burgerzaken")?.compute)).toBeGreaterThan(
        cents(department(before, "burgerzaken")?.compute),
      );
      expect((await operator.get("/api/v1/me")).status).toBe(200);
      await setDisabled(other, "operator", true, "test");
      expect((await operator.get("/api/v1/me")).status).toBe(401);
    } finally {
      await other.close();
    }
  }, 120_000);
});
