// Both backends migrate from empty, and a second migration is a no-op.
import { afterAll, describe, expect, it } from "vitest";
import { openLedger } from "../../../dashboard/data-access/database.js";
import { ledgerMigrations, migrateToLatest } from "../../../dashboard/data-access/migrations.js";
import { backends } from "../helpers/backends.js";

describe.each(backends)("ledger migrations on $name", (backend) => {
  afterAll(() => backend.cleanup());

  it("migrate an empty database to the latest version, once", async () => {
    const url = await backend.createUrl();
    const ledger = await openLedger(url, { migrate: false, create: true });
    try {
      expect(await migrateToLatest(ledger.db as never, ledger.dialect)).toEqual(Object.keys(ledgerMigrations));
      expect(await migrateToLatest(ledger.db as never, ledger.dialect)).toEqual([]);
      const tables = (await ledger.db.introspection.getTables()).map((t) => t.name);
      for (const t of [
        "departments",
        "hosts",
        "shares",
        "rate_versions",
        "rate_prices",
        "licence_products",
        "licence_contracts",
        "licence_assignments",
        "cost_items",
        "usage_hourly",
        "usage_daily",
        "scrape_samples",
        "periods",
        "statement_status",
        "adjustments",
        "audit_log",
        "audit_reports",
        "host_status",
      ])
        expect(tables).toContain(t);
    } finally {
      await ledger.close();
    }
  });
});
