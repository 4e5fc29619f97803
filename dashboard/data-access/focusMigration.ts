// Migration 0009: the imported cloud bill (FOCUS). The bill is kept as exact sums per group
// (domain/billGroups.ts), amounts as decimal text with ten places: BIGINT of 10^-10 euros would pass
// 2^53 (where SQLite's driver stops returning exact numbers) at about 900,000 euros. Imports are keyed
// by the file's SHA-256, so importing a file twice changes nothing.
import type { Kysely } from "kysely";
import type { MigrationFactory } from "./migrations.js";

export const focusCostsMigration: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("bill_groups")
      .addColumn("billing_period", "text", (c) => c.notNull())
      .addColumn("charge_period", "text", (c) => c.notNull())
      .addColumn("invoice_id", "text", (c) => c.notNull())
      .addColumn("department", "text", (c) => c.notNull())
      .addColumn("method", "text", (c) => c.notNull())
      .addColumn("service_category", "text", (c) => c.notNull())
      .addColumn("service_name", "text", (c) => c.notNull())
      .addColumn("charge_category", "text", (c) => c.notNull())
      .addColumn("billed_cost", "text", (c) => c.notNull())
      .addColumn("effective_cost", "text", (c) => c.notNull())
      .addColumn("row_count", "integer", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("bill_groups_billing").on("bill_groups").column("billing_period").execute();
    await db.schema.createIndex("bill_groups_charge").on("bill_groups").column("charge_period").execute();
    await db.schema
      .createTable("bill_periods")
      .addColumn("billing_period", "text", (c) => c.primaryKey())
      .addColumn("currency", "text", (c) => c.notNull())
      .addColumn("row_count", "integer", (c) => c.notNull())
      .addColumn("billed_cost", "text", (c) => c.notNull())
      .addColumn("effective_cost", "text", (c) => c.notNull())
      .addColumn("files", "text", (c) => c.notNull())
      .addColumn("imported_at", "text", (c) => c.notNull())
      .addColumn("imported_by", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("bill_files")
      .addColumn("sha256", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("row_count", "integer", (c) => c.notNull())
      .addColumn("billing_periods", "text", (c) => c.notNull())
      .addColumn("imported_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("rate_proposals")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("proposal", "text", (c) => c.notNull())
      .addColumn("adopted_from", "text")
      .execute();
  },
});
