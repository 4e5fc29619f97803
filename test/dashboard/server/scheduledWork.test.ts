// Scheduled work in one instance at a time (issue 20): on PostgreSQL only the holder of the advisory lock
// works, the other takes over when the holder stops, and a holder whose lock connection is killed stops
// working; on SQLite the one process works from the start.
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openLedger, type Ledger } from "../../../dashboard/data-access/database.js";
import { startScheduledWork, type Work } from "../../../dashboard/server/scheduledWork.js";
import { postgresAdminUrl, postgresBackend, sqliteBackend } from "../helpers/backends.js";

const postgres = postgresBackend();
const sqlite = sqliteBackend();
afterAll(async () => {
  await postgres.cleanup();
  await sqlite.cleanup();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** An instance's scheduled work, recording whether its metering runs. */
function instance(ledger: Ledger, databaseUrl: string): { metering: () => boolean; work: Work } {
  let metering = false;
  const work = startScheduledWork({
    ledger,
    databaseUrl,
    retryMs: 100,
    startMetering: () => {
      metering = true;
      return {
        stop: () => {
          metering = false;
          return Promise.resolve();
        },
      };
    },
  });
  return { metering: () => metering, work };
}

describe("scheduled work", () => {
  it("runs in one PostgreSQL instance at a time; the other takes over; a lost lock connection stops it", async () => {
    const url = await postgres.createUrl();
    const [ledgerA, ledgerB] = [await openLedger(url, { create: true }), await openLedger(url)];
    const a = instance(ledgerA, url);
    try {
      await until("A to lead", a.metering);
      const b = instance(ledgerB, url);
      try {
        await sleep(500);
        expect([a.metering(), b.metering()]).toEqual([true, false]);
        await a.work.stop();
        await until("B to take over", b.metering);
        expect(a.metering()).toBe(false);
        // B's lock connection dies (a network cut, an administrator): B stops, then leads again when it can.
        const admin = new pg.Client({ connectionString: postgresAdminUrl });
        await admin.connect();
        try {
          await admin.query(
            "select pg_terminate_backend(pid) from pg_stat_activity where application_name like 'muniops " +
              "dashboard (scheduled work)%' and datname = $1",
            [new URL(url).pathname.slice(1)],
          );
        } finally {
          await admin.end();
        }
        await until("B to stop", () => !b.metering());
        await until("B to lead again", b.metering);
      } finally {
        await b.work.stop();
      }
    } finally {
      await a.work.stop();
      await ledgerA.close();
      await ledgerB.close();
    }
  }, 30_000);

  it("runs at once on SQLite (one process serves a SQLite ledger)", async () => {
    const url = await sqlite.createUrl();
    const ledger = await openLedger(url, { create: true });
    const only = instance(ledger, url);
    try {
      expect(only.metering()).toBe(true);
    } finally {
      await only.work.stop();
      await ledger.close();
    }
    expect(only.metering()).toBe(false);
  });
});
