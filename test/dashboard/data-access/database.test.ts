// The PostgreSQL ledger's connections: JIT compilation off (it cost more than the ledger's short index
// lookups it compiled), unless the URL passes server options of its own, which are left as given.
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { openLedger } from "../../../dashboard/data-access/database.js";
import { postgresBackend } from "../helpers/backends.js";

describe("PostgreSQL connection settings", () => {
  const backend = postgresBackend();
  afterAll(() => backend.cleanup());

  it.each([
    ["by default", "", "off"],
    ["when the URL sets options itself", "?options=-c%20jit%3Don", "on"],
  ])("JIT %s", async (_when, query, expected) => {
    const ledger = await openLedger(`${await backend.createUrl()}${query}`, { create: true });
    try {
      const { rows } = await sql<{ jit: string }>`show jit`.execute(ledger.db);
      expect(rows[0]?.jit).toBe(expected);
    } finally {
      await ledger.close();
    }
  });
});
