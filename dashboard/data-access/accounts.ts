// Dashboard accounts and sessions as rows of the ledger database (tables from authMigrations.ts). The rules
// about them (valid names and roles, password length, hashing, the session cache) live in auth/userStore.ts;
// this module holds their SQL, each write in one transaction with its audit record.
import { CompiledQuery, type Kysely } from "kysely";
import type { Principal, Role } from "../auth/roles.js";
import { writeAudit } from "./auditLog.js";
import { migrateAuth } from "./authMigrations.js";
import { sqliteHandleOf, type Ledger, type LedgerTrx } from "./database.js";
import type { LedgerSchema } from "./schema.js";

interface UsersTable {
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  departments: string;
  disabled: number;
  created_at: string;
  updated_at: string;
}

interface SessionsTable {
  id_hash: string;
  username: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

type AuthDb = Kysely<LedgerSchema & { dashboard_users: UsersTable; dashboard_sessions: SessionsTable }>;

export interface StoredUser extends Principal {
  passwordHash: string;
  disabled: boolean;
}

function authDb(ledger: Ledger): AuthDb {
  return ledger.db.withTables<{ dashboard_users: UsersTable; dashboard_sessions: SessionsTable }>();
}

export async function createAuthTables(ledger: Ledger): Promise<void> {
  await migrateAuth(ledger.db as Kysely<unknown>, ledger.dialect);
}

function toUser(r: UsersTable): StoredUser {
  return {
    username: r.username,
    displayName: r.display_name,
    role: r.role as Role,
    departments: JSON.parse(r.departments) as string[],
    passwordHash: r.password_hash,
    disabled: r.disabled === 1,
  };
}

export async function selectUser(ledger: Ledger, username: string): Promise<StoredUser | undefined> {
  const row = await authDb(ledger)
    .selectFrom("dashboard_users")
    .selectAll()
    .where("username", "=", username)
    .executeTakeFirst();
  return row && toUser(row);
}

export async function selectUsers(ledger: Ledger): Promise<StoredUser[]> {
  const rows = await authDb(ledger).selectFrom("dashboard_users").selectAll().orderBy("username").execute();
  return rows.map(toUser);
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  departments: readonly string[];
  passwordHash: string;
}

export type AccountInsert =
  { ok: true } | { ok: false; reason: "exists" } | { ok: false; reason: "unknown-departments"; missing: string[] };

/** Insert an account whose departments all exist and whose name is free; audited without its hash. */
export async function insertAccount(ledger: Ledger, account: NewAccount, actor: string): Promise<AccountInsert> {
  return authDb(ledger)
    .transaction()
    .execute(async (trx): Promise<AccountInsert> => {
      const { departments } = account;
      if (departments.length > 0) {
        const known = await trx.selectFrom("departments").select("id").where("id", "in", departments).execute();
        const missing = departments.filter((d) => !known.some((k) => k.id === d));
        if (missing.length > 0) return { ok: false, reason: "unknown-departments", missing };
      }
      const exists = await trx
        .selectFrom("dashboard_users")
        .select("username")
        .where("username", "=", account.username)
        .executeTakeFirst();
      if (exists) return { ok: false, reason: "exists" };
      const now = new Date().toISOString();
      const record = {
        username: account.username,
        display_name: account.displayName,
        role: account.role,
        departments: JSON.stringify(departments),
        disabled: 0,
        created_at: now,
        updated_at: now,
      };
      await trx
        .insertInto("dashboard_users")
        .values({ ...record, password_hash: account.passwordHash })
        .execute();
      await writeAudit(trx as unknown as LedgerTrx, {
        actor,
        action: "create",
        entity: "user",
        entityId: account.username,
        before: null,
        after: { ...record, departments },
        at: now,
      });
      return { ok: true };
    });
}

/** A change to an existing account (a new password hash, disabled or enabled); false when there is no such user. */
export async function updateAccount(
  ledger: Ledger,
  username: string,
  actor: string,
  action: string,
  change: { passwordHash?: string; disabled?: boolean },
  audited: Record<string, unknown>,
): Promise<boolean> {
  return authDb(ledger)
    .transaction()
    .execute(async (trx) => {
      const before = await trx
        .selectFrom("dashboard_users")
        .select(["username", "role", "departments", "disabled"])
        .where("username", "=", username)
        .executeTakeFirst();
      if (!before) return false;
      const now = new Date().toISOString();
      const columns = {
        ...(change.passwordHash === undefined ? {} : { password_hash: change.passwordHash }),
        ...(change.disabled === undefined ? {} : { disabled: change.disabled ? 1 : 0 }),
      };
      await trx
        .updateTable("dashboard_users")
        .set({ ...columns, updated_at: now })
        .where("username", "=", username)
        .execute();
      // A password change or a disabled account ends every session of that user.
      await trx.deleteFrom("dashboard_sessions").where("username", "=", username).execute();
      await writeAudit(trx as unknown as LedgerTrx, {
        actor,
        action,
        entity: "user",
        entityId: username,
        before: { disabled: before.disabled === 1 },
        after: audited,
        at: now,
      });
      return true;
    });
}

/** An account whose identity provider vouches for it, as auth/userStore.ts describes. */
export interface FederatedAccount {
  username: string;
  displayName: string;
  role: Role;
  departments: readonly string[];
  issuer: string;
  subject: string;
  /** `oidc$<issuer>$<subject>`: stored as the password hash, which no password verifies. */
  credential: string;
}

export type FederatedUpsert = { ok: true } | { ok: false; reason: "local-account" | "other-subject" | "disabled" };

/** Create or refresh a federated account from the provider's current claims; audited when it changes. */
export async function upsertFederatedAccount(
  ledger: Ledger,
  user: FederatedAccount,
  actor: string,
): Promise<FederatedUpsert> {
  const { credential } = user;
  return authDb(ledger)
    .transaction()
    .execute(async (trx) => {
      const existing = await trx
        .selectFrom("dashboard_users")
        .selectAll()
        .where("username", "=", user.username)
        .executeTakeFirst();
      // Never take over a local account, nor another person's account that once had this name.
      if (existing && existing.password_hash !== credential)
        return { ok: false, reason: existing.password_hash.startsWith("oidc$") ? "other-subject" : "local-account" };
      if (existing?.disabled === 1) return { ok: false, reason: "disabled" };
      const now = new Date().toISOString();
      const record = { display_name: user.displayName, role: user.role, departments: JSON.stringify(user.departments) };
      const audited = {
        role: user.role,
        departments: user.departments,
        displayName: user.displayName,
        issuer: user.issuer,
        subject: user.subject,
      };
      if (!existing) {
        await trx
          .insertInto("dashboard_users")
          .values({
            username: user.username,
            ...record,
            password_hash: credential,
            disabled: 0,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await writeAudit(trx as unknown as LedgerTrx, {
          actor,
          action: "create",
          entity: "user",
          entityId: user.username,
          before: null,
          after: audited,
          at: now,
        });
      } else if (
        existing.role !== record.role ||
        existing.departments !== record.departments ||
        existing.display_name !== record.display_name
      ) {
        await trx
          .updateTable("dashboard_users")
          .set({ ...record, updated_at: now })
          .where("username", "=", user.username)
          .execute();
        const before = {
          role: existing.role,
          departments: JSON.parse(existing.departments) as unknown,
          displayName: existing.display_name,
        };
        await writeAudit(trx as unknown as LedgerTrx, {
          actor,
          action: "update",
          entity: "user",
          entityId: user.username,
          before,
          after: audited,
          at: now,
        });
      }
      return { ok: true };
    });
}

export async function insertSession(
  ledger: Ledger,
  row: { idHash: string; username: string; csrfToken: string; createdAt: string; expiresAt: string },
): Promise<void> {
  await authDb(ledger)
    .insertInto("dashboard_sessions")
    .values({
      id_hash: row.idHash,
      username: row.username,
      csrf_token: row.csrfToken,
      created_at: row.createdAt,
      expires_at: row.expiresAt,
    })
    .execute();
}

export interface SessionRow {
  csrf_token: string;
  expires_at: string;
  username: string;
  display_name: string;
  role: string;
  departments: string;
  disabled: number;
}

// Every request looks its session up: the query is built once per ledger and, on SQLite, prepared once
// (kysely rebuilds and re-prepares a query on each call, which cost ~80 µs a request).
const sessionQueries = new WeakMap<Ledger, (idHash: string) => Promise<SessionRow | undefined>>();

/** The session with this id hash joined with its user, whatever its expiry and the user's state. */
export function selectSession(ledger: Ledger, idHash: string): Promise<SessionRow | undefined> {
  let query = sessionQueries.get(ledger);
  if (!query) {
    const { sql } = authDb(ledger)
      .selectFrom("dashboard_sessions")
      .innerJoin("dashboard_users", "dashboard_users.username", "dashboard_sessions.username")
      .select([
        "dashboard_sessions.csrf_token",
        "dashboard_sessions.expires_at",
        "dashboard_users.username",
        "dashboard_users.display_name",
        "dashboard_users.role",
        "dashboard_users.departments",
        "dashboard_users.disabled",
      ])
      .where("dashboard_sessions.id_hash", "=", "")
      .compile();
    const sqlite = sqliteHandleOf(ledger.db);
    if (sqlite) {
      const statement = sqlite.prepare<[string], SessionRow>(sql);
      query = (hash) => Promise.resolve(statement.get(hash));
    } else {
      query = async (hash) => (await ledger.db.executeQuery<SessionRow>(CompiledQuery.raw(sql, [hash]))).rows[0];
    }
    sessionQueries.set(ledger, query);
  }
  return query(idHash);
}

export async function deleteSessionRow(ledger: Ledger, idHash: string): Promise<void> {
  await authDb(ledger).deleteFrom("dashboard_sessions").where("id_hash", "=", idHash).execute();
}

/** Delete the sessions expired at `nowIso`; the number deleted. */
export async function deleteExpiredSessions(ledger: Ledger, nowIso: string): Promise<number> {
  const result = await authDb(ledger)
    .deleteFrom("dashboard_sessions")
    .where("expires_at", "<=", nowIso)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
