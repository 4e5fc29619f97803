// Issue 7's tables (dashboard accounts and their sessions), migrated beside the ledger's own. They keep
// their own migration table: `ledgerMigrations` is one file under active work, and kysely refuses
// migrations that sort before ones already applied, so interleaving names from two parts would break
// whichever part migrated second. The ledger part may fold these into `ledgerMigrations` later.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import { OperationFailedError } from "../../errors.js";
import type { Dialect } from "./database.js";
import type { MigrationFactory } from "./migrations.js";

const usersAndSessions: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("dashboard_users")
      .addColumn("username", "text", (c) => c.primaryKey())
      .addColumn("display_name", "text", (c) => c.notNull())
      .addColumn("password_hash", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("departments", "text", (c) => c.notNull())
      .addColumn("disabled", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("dashboard_sessions")
      .addColumn("id_hash", "text", (c) => c.primaryKey())
      .addColumn("username", "text", (c) => c.notNull().references("dashboard_users.username").onDelete("cascade"))
      .addColumn("csrf_token", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("dashboard_sessions_expires").on("dashboard_sessions").column("expires_at").execute();
  },
});

export const authMigrations: Record<string, MigrationFactory> = {
  "0001_users_sessions": usersAndSessions,
};

class AuthProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(
      Object.fromEntries(Object.entries(authMigrations).map(([name, factory]) => [name, factory(this.dialect)])),
    );
  }
}

export async function migrateAuth(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new AuthProvider(dialect),
    migrationTableName: "auth_schema_migrations",
    migrationLockTableName: "auth_schema_migrations_lock",
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error !== undefined || failed) {
    throw new OperationFailedError(
      `database migration auth/${failed?.migrationName ?? ""} failed: ` +
        (error instanceof Error ? error.message : String(error)),
      { cause: error },
    );
  }
}
