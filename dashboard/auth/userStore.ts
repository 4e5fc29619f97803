// Dashboard accounts and sessions in the ledger database (tables from data-access/authMigrations.ts).
// Session ids are stored only as their SHA-256: a copy of the database does not hand out live sessions.
import { hash, randomBytes } from "node:crypto";
import { CompiledQuery, type Kysely } from "kysely";
import { UsageError } from "../../errors.js";
import { writeAudit } from "../data-access/auditLog.js";
import { sqliteHandleOf, type Ledger, type LedgerTrx } from "../data-access/database.js";
import type { LedgerSchema } from "../data-access/schema.js";
import { migrateAuth } from "../data-access/authMigrations.js";
import { hashPassword, minPasswordLength } from "./password.js";
import { isRole, roles, type Principal, type Role } from "./roles.js";
import { SessionCache } from "./sessionCache.js";

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

export interface Session {
  principal: Principal;
  csrfToken: string;
  expiresAt: string;
}

const usernamePattern = /^[a-z0-9][a-z0-9._-]{1,63}$/;

function authDb(ledger: Ledger): AuthDb {
  return ledger.db.withTables<{ dashboard_users: UsersTable; dashboard_sessions: SessionsTable }>();
}

export async function prepareAuthTables(ledger: Ledger): Promise<void> {
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

export async function findUser(ledger: Ledger, username: string): Promise<StoredUser | undefined> {
  const row = await authDb(ledger).selectFrom("dashboard_users").selectAll().where("username", "=", username).executeTakeFirst();
  return row && toUser(row);
}

export async function listUsers(ledger: Ledger): Promise<StoredUser[]> {
  const rows = await authDb(ledger).selectFrom("dashboard_users").selectAll().orderBy("username").execute();
  return rows.map(toUser);
}

export interface NewUser {
  username: string;
  displayName?: string;
  password: string;
  role: string;
  departments?: readonly string[];
}

function checkPassword(password: string): void {
  if (password.length < minPasswordLength) throw new UsageError(`the password must be at least ${minPasswordLength} characters`);
}

export interface AddUserOptions {
  /** Only for `muniops demo`'s accounts, whose documented password is `demo`: skip the minimum length. */
  allowShortPassword?: boolean;
}

/** Add an account; audited without its hash. */
export async function addUser(ledger: Ledger, user: NewUser, actor: string, options: AddUserOptions = {}): Promise<void> {
  if (!usernamePattern.test(user.username)) throw new UsageError(`username "${user.username}" must be 2-64 characters: lowercase letters, digits, dot, dash, underscore`);
  if (!isRole(user.role)) throw new UsageError(`--role must be one of ${roles.join(", ")}, got "${user.role}"`);
  const departments = [...new Set(user.departments ?? [])];
  if (user.role === "department-controller" && departments.length === 0) throw new UsageError("a department-controller needs --department (one or more department ids)");
  if (user.role !== "department-controller" && departments.length > 0) throw new UsageError("--department is only for the department-controller role");
  if (options.allowShortPassword !== true) checkPassword(user.password);
  const passwordHash = await hashPassword(user.password);
  const db = authDb(ledger);
  await db.transaction().execute(async (trx) => {
    if (departments.length > 0) {
      const known = await trx.selectFrom("departments").select("id").where("id", "in", departments).execute();
      const missing = departments.filter((d) => !known.some((k) => k.id === d));
      if (missing.length > 0) throw new UsageError(`unknown department ${missing.map((m) => `"${m}"`).join(", ")} (--department): import the departments first`);
    }
    const exists = await trx.selectFrom("dashboard_users").select("username").where("username", "=", user.username).executeTakeFirst();
    if (exists) throw new UsageError(`user "${user.username}" already exists (use \`muniops users passwd\`)`);
    const now = new Date().toISOString();
    const record = { username: user.username, display_name: user.displayName ?? user.username, role: user.role, departments: JSON.stringify(departments), disabled: 0, created_at: now, updated_at: now };
    await trx.insertInto("dashboard_users").values({ ...record, password_hash: passwordHash }).execute();
    await writeAudit(trx as unknown as LedgerTrx, { actor, action: "create", entity: "user", entityId: user.username, before: null, after: { ...record, departments }, at: now });
  });
}

async function updateUser(ledger: Ledger, username: string, actor: string, action: string, change: Partial<UsersTable>, audited: Record<string, unknown>): Promise<void> {
  const db = authDb(ledger);
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("dashboard_users").select(["username", "role", "departments", "disabled"]).where("username", "=", username).executeTakeFirst();
    if (!before) throw new UsageError(`no user "${username}" (muniops users list shows them)`);
    const now = new Date().toISOString();
    await trx.updateTable("dashboard_users").set({ ...change, updated_at: now }).where("username", "=", username).execute();
    // A password change or a disabled account ends every session of that user.
    await trx.deleteFrom("dashboard_sessions").where("username", "=", username).execute();
    await writeAudit(trx as unknown as LedgerTrx, { actor, action, entity: "user", entityId: username, before: { disabled: before.disabled === 1 }, after: audited, at: now });
  });
  sessionCaches.get(ledger)?.deleteUser(username);
}

export async function setPassword(ledger: Ledger, username: string, password: string, actor: string): Promise<void> {
  checkPassword(password);
  await updateUser(ledger, username, actor, "passwd", { password_hash: await hashPassword(password) }, { password: "changed" });
}

export async function setDisabled(ledger: Ledger, username: string, disabled: boolean, actor: string): Promise<void> {
  await updateUser(ledger, username, actor, disabled ? "disable" : "enable", { disabled: disabled ? 1 : 0 }, { disabled });
}

/**
 * An account whose identity provider vouches for it (OIDC). It lives in the same table as local accounts,
 * so sessions, `users list` and `users disable` treat both alike; its password_hash holds the identity it
 * is bound to (`oidc$<issuer>$<subject>`), which no password verifies.
 */
export interface FederatedUser {
  username: string;
  displayName: string;
  role: Role;
  departments: readonly string[];
  issuer: string;
  subject: string;
}

export type FederatedUpsert = { ok: true } | { ok: false; reason: "local-account" | "other-subject" | "disabled" };

export function federatedCredential(issuer: string, subject: string): string {
  return ["oidc", encodeURIComponent(issuer), encodeURIComponent(subject)].join("$");
}

/** Create or refresh a federated account from the provider's current claims; audited when it changes. */
export async function upsertFederatedUser(ledger: Ledger, user: FederatedUser, actor: string): Promise<FederatedUpsert> {
  const credential = federatedCredential(user.issuer, user.subject);
  return authDb(ledger)
    .transaction()
    .execute(async (trx) => {
      const existing = await trx.selectFrom("dashboard_users").selectAll().where("username", "=", user.username).executeTakeFirst();
      // Never take over a local account, nor another person's account that once had this name.
      if (existing && existing.password_hash !== credential) return { ok: false, reason: existing.password_hash.startsWith("oidc$") ? "other-subject" : "local-account" };
      if (existing?.disabled === 1) return { ok: false, reason: "disabled" };
      const now = new Date().toISOString();
      const record = { display_name: user.displayName, role: user.role, departments: JSON.stringify(user.departments) };
      const audited = { role: user.role, departments: user.departments, displayName: user.displayName, issuer: user.issuer, subject: user.subject };
      if (!existing) {
        await trx.insertInto("dashboard_users").values({ username: user.username, ...record, password_hash: credential, disabled: 0, created_at: now, updated_at: now }).execute();
        await writeAudit(trx as unknown as LedgerTrx, { actor, action: "create", entity: "user", entityId: user.username, before: null, after: audited, at: now });
      } else if (existing.role !== record.role || existing.departments !== record.departments || existing.display_name !== record.display_name) {
        await trx.updateTable("dashboard_users").set({ ...record, updated_at: now }).where("username", "=", user.username).execute();
        const before = { role: existing.role, departments: JSON.parse(existing.departments) as unknown, displayName: existing.display_name };
        await writeAudit(trx as unknown as LedgerTrx, { actor, action: "update", entity: "user", entityId: user.username, before, after: audited, at: now });
      }
      return { ok: true };
    });
}

function digest(token: string): string {
  // the one-shot hash: a fifth of createHash's cost, on every request
  return hash("sha256", token, "hex");
}

/** Start a session; returns the token for the cookie (only its hash is stored). */
export async function createSession(ledger: Ledger, username: string, ttlMs: number, now = Date.now()): Promise<{ token: string; csrfToken: string; expiresAt: string }> {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now + ttlMs).toISOString();
  const db = authDb(ledger);
  await db.insertInto("dashboard_sessions").values({ id_hash: digest(token), username, csrf_token: csrfToken, created_at: new Date(now).toISOString(), expires_at: expiresAt }).execute();
  return { token, csrfToken, expiresAt };
}

interface SessionRow {
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

function sessionQuery(ledger: Ledger): (idHash: string) => Promise<SessionRow | undefined> {
  let query = sessionQueries.get(ledger);
  if (!query) {
    const { sql } = authDb(ledger)
      .selectFrom("dashboard_sessions")
      .innerJoin("dashboard_users", "dashboard_users.username", "dashboard_sessions.username")
      .select(["dashboard_sessions.csrf_token", "dashboard_sessions.expires_at", "dashboard_users.username", "dashboard_users.display_name", "dashboard_users.role", "dashboard_users.departments", "dashboard_users.disabled"])
      .where("dashboard_sessions.id_hash", "=", "")
      .compile();
    const sqlite = sqliteHandleOf(ledger.db);
    if (sqlite) {
      const statement = sqlite.prepare<[string], SessionRow>(sql);
      query = (idHash) => Promise.resolve(statement.get(idHash));
    } else {
      query = async (idHash) => (await ledger.db.executeQuery<SessionRow>(CompiledQuery.raw(sql, [idHash]))).rows[0];
    }
    sessionQueries.set(ledger, query);
  }
  return query;
}

async function readSession(ledger: Ledger, idHash: string, now: number): Promise<Session | undefined> {
  const row = await sessionQuery(ledger)(idHash);
  if (!row || row.disabled === 1 || row.expires_at <= new Date(now).toISOString()) return undefined;
  return {
    principal: { username: row.username, displayName: row.display_name, role: row.role as Role, departments: JSON.parse(row.departments) as string[] },
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  };
}

/** The live session for a cookie token: unexpired, and its user still enabled. Always reads the ledger. */
export function findSession(ledger: Ledger, token: string, now = Date.now()): Promise<Session | undefined> {
  return readSession(ledger, digest(token), now);
}

const sessionCaches = new WeakMap<Ledger, SessionCache>();

function sessionCache(ledger: Ledger): SessionCache {
  let cache = sessionCaches.get(ledger);
  if (!cache) {
    cache = new SessionCache();
    sessionCaches.set(ledger, cache);
  }
  return cache;
}

/**
 * `findSession` for the request path, answered from a short in-process cache (see sessionCache.ts). Its
 * caller must call `forgetCachedSessions` when the ledger changes behind this process's back, as the
 * dashboard's change watch does; changes through this module evict by themselves.
 */
export async function findLiveSession(ledger: Ledger, token: string, now = Date.now()): Promise<Session | undefined> {
  const idHash = digest(token);
  const cache = sessionCache(ledger);
  const cached = cache.get(idHash, now);
  if (cached) return cached;
  const session = await readSession(ledger, idHash, now);
  if (session) cache.set(idHash, session, now);
  return session;
}

/** The session `findLiveSession` would answer from its cache, without a promise; undefined on a miss. */
export function cachedLiveSession(ledger: Ledger, token: string, now = Date.now()): Session | undefined {
  return sessionCache(ledger).get(digest(token), now);
}

export function forgetCachedSessions(ledger: Ledger): void {
  sessionCaches.get(ledger)?.clear();
}

export async function deleteSession(ledger: Ledger, token: string): Promise<void> {
  const idHash = digest(token);
  sessionCaches.get(ledger)?.delete(idHash);
  await authDb(ledger).deleteFrom("dashboard_sessions").where("id_hash", "=", idHash).execute();
}

export async function purgeExpiredSessions(ledger: Ledger, now = Date.now()): Promise<number> {
  const result = await authDb(ledger).deleteFrom("dashboard_sessions").where("expires_at", "<=", new Date(now).toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
