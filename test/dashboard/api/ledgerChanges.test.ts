// The change watch that invalidates the dashboard's caches: on both backends a commit by another
// connection changes the version, and concurrent checks share reads without answering a caller with a
// read that started before it asked.
import { afterAll, describe, expect, test } from "vitest";
import { openLedger, type Ledger } from "../../../dashboard/data-access/database.js";
import { coalesce, watchLedgerChanges } from "../../../dashboard/data-access/ledgerChanges.js";
import { postgresBackend, sqliteBackend } from "../helpers/backends.js";

const backends = [sqliteBackend(), postgresBackend()];

afterAll(async () => {
  for (const b of backends) await b.cleanup();
});

async function addDepartment(ledger: Ledger, id: string): Promise<void> {
  await ledger.db
    .insertInto("departments")
    .values({ id, name: id, cost_center: "KP-1", headcount: 1, annual_budget_cents: null })
    .execute();
}

describe.each(backends)("watchLedgerChanges on $name", (backend) => {
  test("a commit by another connection, or by the watched one, changes the version", async () => {
    const url = await backend.createUrl();
    const ledger = await openLedger(url, { create: true });
    const other = await openLedger(url);
    const watch = watchLedgerChanges(ledger);
    try {
      const first = await watch.version();
      await addDepartment(other, "elsewhere");
      const afterOther = await watch.version();
      expect(afterOther).not.toBe(first);
      await addDepartment(ledger, "here");
      expect(await watch.version()).not.toBe(afterOther);
    } finally {
      watch.close();
      await other.close();
      await ledger.close();
    }
  });
});

test("sqlite: reads alone leave the version as it was", async () => {
  const url = await backends[0]!.createUrl();
  const ledger = await openLedger(url, { create: true });
  const watch = watchLedgerChanges(ledger);
  try {
    const first = await watch.version();
    await ledger.db.selectFrom("departments").selectAll().execute();
    expect(await watch.version()).toBe(first);
  } finally {
    watch.close();
    await ledger.close();
  }
});

describe("coalesce", () => {
  test("callers arriving during a read share the next one, never the one already under way", async () => {
    const pending: ((value: number) => void)[] = [];
    let reads = 0;
    const check = coalesce(
      () =>
        new Promise<number>((resolve) => {
          reads++;
          pending.push(resolve);
        }),
    );
    const a = check();
    const b = check();
    const c = check();
    expect(reads).toBe(1);
    pending.shift()?.(1);
    expect(await a).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toBe(2);
    pending.shift()?.(2);
    expect(await b).toBe(2);
    expect(await c).toBe(2);
    const d = check();
    expect(reads).toBe(3);
    pending.shift()?.(3);
    expect(await d).toBe(3);
  });

  test("a failed read fails its callers only; the next caller reads again", async () => {
    let fail = true;
    const check = coalesce(() => (fail ? Promise.reject(new Error("down")) : Promise.resolve("up")));
    await expect(check()).rejects.toThrow("down");
    fail = false;
    expect(await check()).toBe("up");
  });
});
