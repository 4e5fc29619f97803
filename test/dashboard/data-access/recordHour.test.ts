// recordHour on both backends: a new hour goes in whole, recording it again keeps what was measured and
// fills its gaps, and on PostgreSQL a row another writer commits for the hour meanwhile is kept too (the
// plain insert of a new hour falls back to the upsert).
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { hourlyRows, recordHour, type UsageRow } from "../../../dashboard/data-access/usage.js";
import { backends, freshLedger, postgresBackend } from "../helpers/backends.js";

const hour = "2026-03-02T05";

function rows(value: bigint, gaps: readonly string[] = []): UsageRow[] {
  return ["host-a", "host-b", "host-'c"].flatMap((subject) =>
    ["vcpus", "memory_bytes"].map((meter) => {
      const gap = gaps.includes(`${subject}/${meter}`);
      return {
        subject,
        meter,
        department: subject === "host-b" ? null : "dept-1",
        value: gap ? null : value,
        status: gap ? ("gap" as const) : ("ok" as const),
      };
    }),
  );
}

const read = async (ledger: Awaited<ReturnType<typeof freshLedger>>) =>
  (await hourlyRows(ledger.db, { from: hour, to: hour })).map(
    (r) => `${r.subject} ${r.meter} ${r.department} ${r.value} ${r.status}`,
  );

describe.each(backends)("recordHour ($name)", (backend) => {
  afterAll(() => backend.cleanup());

  it("records a new hour whole, then keeps measured rows and fills only the gaps", async () => {
    const ledger = await freshLedger(backend);
    try {
      await recordHour(ledger.db, ledger.dialect, hour, rows(4n, ["host-a/vcpus", "host-'c/memory_bytes"]));
      expect(await read(ledger)).toEqual([
        "host-'c memory_bytes dept-1 null gap",
        "host-'c vcpus dept-1 4 ok",
        "host-a memory_bytes dept-1 4 ok",
        "host-a vcpus dept-1 null gap",
        "host-b memory_bytes null 4 ok",
        "host-b vcpus null 4 ok",
      ]);
      await recordHour(ledger.db, ledger.dialect, hour, rows(8n, ["host-'c/memory_bytes"]));
      expect(await read(ledger)).toEqual([
        "host-'c memory_bytes dept-1 null gap",
        "host-'c vcpus dept-1 4 ok",
        "host-a memory_bytes dept-1 4 ok",
        "host-a vcpus dept-1 8 ok",
        "host-b memory_bytes null 4 ok",
        "host-b vcpus null 4 ok",
      ]);
    } finally {
      await ledger.close();
    }
  });
});

describe("recordHour (postgres) with another writer on the same hour", () => {
  const backend = postgresBackend();
  afterAll(() => backend.cleanup());

  it("keeps the row the other writer committed and records the rest", async () => {
    const url = await backend.createUrl();
    const ledger = await freshLedger({ ...backend, createUrl: () => Promise.resolve(url) });
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query("begin");
      await other.query(
        `insert into usage_hourly (subject, meter, hour, department, value, status)
         values ('host-a', 'vcpus', $1, 'dept-1', 2, 'ok')`,
        [hour],
      );
      const recording = recordHour(ledger.db, ledger.dialect, hour, rows(4n));
      await new Promise((resolve) => setTimeout(resolve, 300)); // recordHour waits on the uncommitted row
      await other.query("commit");
      await recording;
      expect(await read(ledger)).toEqual([
        "host-'c memory_bytes dept-1 4 ok",
        "host-'c vcpus dept-1 4 ok",
        "host-a memory_bytes dept-1 4 ok",
        "host-a vcpus dept-1 2 ok",
        "host-b memory_bytes null 4 ok",
        "host-b vcpus null 4 ok",
      ]);
    } finally {
      await other.end();
      await ledger.close();
    }
  });
});
