// Dashboard accounts and sessions: the rules (valid names, roles and departments, password length,
// hashing) and the session cache, over the rows in data-access/accounts.ts.
// Session ids are stored only as their SHA-256: a copy of the database does not hand out live sessions.
import { hash, randomBytes } from "node:crypto";
import { UsageError } from "../../errors.js";
import {
  createAuthTables,
  deleteExpiredSessions,
  deleteSessionRow,
  insertAccount,
  insertSession,
  selectSession,
  selectUser,
  selectUsers,
  updateAccount,
  upsertFederatedAccount,
  type FederatedAccount,
  type FederatedUpsert,
  type StoredUser,
} from "../data-access/accounts.js";
import { writeAudit } from "../data-access/auditLog.js";
import type { Ledger } from "../data-access/database.js";
import { hashPassword, minPasswordLength } from "./password.js";
import { isRole, roles, type Principal, type Role } from "./roles.js";
import { SessionCache } from "./sessionCache.js";

export type { FederatedUpsert, StoredUser };

export interface Session {
  principal: Principal;
  csrfToken: string;
  expiresAt: string;
}

const usernamePattern = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export async function prepareAuthTables(ledger: Ledger): Promise<void> {
  await createAuthTables(ledger);
}

export function findUser(ledger: Ledger, username: string): Promise<StoredUser | undefined> {
  return selectUser(ledger, username);
}

export function listUsers(ledger: Ledger): Promise<StoredUser[]> {
  return selectUsers(ledger);
}

export interface NewUser {
  username: string;
  displayName?: string;
  password: string;
  role: string;
  departments?: readonly string[];
}

function checkPassword(password: string): void {
  if (password.length < minPasswordLength)
    throw new UsageError(`the password must be at least ${minPasswordLength} characters`);
}

export interface AddUserOptions {
  /** Only for `muniops demo`'s accounts, whose documented password is `demo`: skip the minimum length. */
  allowShortPassword?: boolean;
}

/** Add an account; audited without its hash. */
export async function addUser(
  ledger: Ledger,
  user: NewUser,
  actor: string,
  options: AddUserOptions = {},
): Promise<void> {
  if (!usernamePattern.test(user.username))
    throw new UsageError(
      `username "${user.username}" must be 2-64 characters: lowercase letters, digits, dot, dash, underscore`,
    );
  if (!isRole(user.role)) throw new UsageError(`--role must be one of ${roles.join(", ")}, got "${user.role}"`);
  const departments = [...new Set(user.departments ?? [])];
  if (user.role === "department-controller" && departments.length === 0)
    throw new UsageError("a department-controller needs --department (one or more department ids)");
  if (user.role !== "department-controller" && departments.length > 0)
    throw new UsageError("--department is only for the department-controller role");
  if (options.allowShortPassword !== true) checkPassword(user.password);
  const passwordHash = await hashPassword(user.password);
  const account = {
    username: user.username,
    displayName: user.displayName ?? user.username,
    role: user.role,
    departments,
    passwordHash,
  };
  const inserted = await insertAccount(ledger, account, actor);
  if (inserted.ok) return;
  if (inserted.reason === "exists")
    throw new UsageError(`user "${user.username}" already exists (use \`muniops users passwd\`)`);
  const missing = inserted.missing.map((m) => `"${m}"`).join(", ");
  throw new UsageError(`unknown department ${missing} (--department): import the departments first`);
}

async function updateUser(
  ledger: Ledger,
  username: string,
  actor: string,
  action: string,
  change: { passwordHash?: string; disabled?: boolean },
  audited: Record<string, unknown>,
): Promise<void> {
  if (!(await updateAccount(ledger, username, actor, action, change, audited)))
    throw new UsageError(`no user "${username}" (muniops users list shows them)`);
  sessionCaches.get(ledger)?.deleteUser(username);
}

export async function setPassword(ledger: Ledger, username: string, password: string, actor: string): Promise<void> {
  checkPassword(password);
  await updateUser(
    ledger,
    username,
    actor,
    "passwd",
    { passwordHash: await hashPassword(password) },
    { password: "changed" },
  );
}

export async function setDisabled(ledger: Ledger, username: string, disabled: boolean, actor: string): Promise<void> {
  await updateUser(ledger, username, actor, disabled ? "disable" : "enable", { disabled }, { disabled });
}

/**
 * An account whose identity provider vouches for it (OIDC). It lives in the same table as local accounts,
 * so sessions, `users list` and `users disable` treat both alike; its password_hash holds the identity it
 * is bound to (`oidc$<issuer>$<subject>`), which no password verifies.
 */
export type FederatedUser = Omit<FederatedAccount, "credential">;

export function federatedCredential(issuer: string, subject: string): string {
  return ["oidc", encodeURIComponent(issuer), encodeURIComponent(subject)].join("$");
}

/** Create or refresh a federated account from the provider's current claims; audited when it changes. */
export function upsertFederatedUser(ledger: Ledger, user: FederatedUser, actor: string): Promise<FederatedUpsert> {
  return upsertFederatedAccount(ledger, { ...user, credential: federatedCredential(user.issuer, user.subject) }, actor);
}

function digest(token: string): string {
  // the one-shot hash: a fifth of createHash's cost, on every request
  return hash("sha256", token, "hex");
}

/** Start the session of someone whose password was just verified, audited as their login. */
export async function startPasswordSession(
  ledger: Ledger,
  username: string,
  ttlMs: number,
): Promise<{ token: string; csrfToken: string; expiresAt: string }> {
  const session = await createSession(ledger, username, ttlMs);
  await writeAudit(ledger.db, {
    actor: username,
    action: "login",
    entity: "session",
    entityId: username,
    after: { expiresAt: session.expiresAt, method: "password" },
  });
  return session;
}

/** Start a session; returns the token for the cookie (only its hash is stored). */
export async function createSession(
  ledger: Ledger,
  username: string,
  ttlMs: number,
  now = Date.now(),
): Promise<{ token: string; csrfToken: string; expiresAt: string }> {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now + ttlMs).toISOString();
  await insertSession(ledger, {
    idHash: digest(token),
    username,
    csrfToken,
    createdAt: new Date(now).toISOString(),
    expiresAt,
  });
  return { token, csrfToken, expiresAt };
}

async function readSession(ledger: Ledger, idHash: string, now: number): Promise<Session | undefined> {
  const row = await selectSession(ledger, idHash);
  if (!row || row.disabled === 1 || row.expires_at <= new Date(now).toISOString()) return undefined;
  return {
    principal: {
      username: row.username,
      displayName: row.display_name,
      role: row.role as Role,
      departments: JSON.parse(row.departments) as string[],
    },
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
  await deleteSessionRow(ledger, idHash);
}

export function purgeExpiredSessions(ledger: Ledger, now = Date.now()): Promise<number> {
  return deleteExpiredSessions(ledger, new Date(now).toISOString());
}
