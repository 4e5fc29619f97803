// Signing in someone the OIDC provider vouched for: map their claims to a role and departments, refresh
// their federated account, and start a session exactly like a local login's (same table, same expiry,
// the same "login" audit entry, saying how and as which subject).
import { writeAudit } from "../data-access/auditLog.js";
import type { Ledger } from "../data-access/database.js";
import { logger } from "../../logger.js";
import { mapClaims, type RefusalReason } from "./oidcClaims.js";
import type { VerifiedLogin } from "./oidcClient.js";
import type { ClaimMapping } from "./oidcSettings.js";
import { createSession, upsertFederatedUser } from "./userStore.js";

export type SignInRefusal = RefusalReason | "local-account" | "other-subject" | "disabled";
export type SignInResult =
  | { ok: true; username: string; token: string; expiresAt: string }
  | { ok: false; reason: SignInRefusal; username?: string; detail: string };

/** Departments the ledger knows: a controller is limited to real ones, and an unknown id is only logged. */
async function knownDepartments(ledger: Ledger, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await ledger.db.selectFrom("departments").select("id").where("id", "in", ids).execute();
  return ids.filter((id) => rows.some((r) => r.id === id));
}

export async function signInFederated(
  ledger: Ledger,
  login: VerifiedLogin,
  mapping: ClaimMapping,
  sessionTtlMs: number,
): Promise<SignInResult> {
  const mapped = mapClaims(login.claims, mapping);
  if (!mapped.ok) return mapped;
  const account = mapped.account;
  if (account.role === "department-controller") {
    const known = await knownDepartments(ledger, account.departments);
    const unknown = account.departments.filter((d) => !known.includes(d));
    if (unknown.length > 0)
      logger().warn(
        { username: account.username, unknown },
        "OIDC claims name departments the ledger does not know; they are ignored",
      );
    if (known.length === 0)
      return {
        ok: false,
        reason: "no-department",
        username: account.username,
        detail: `none of the departments from the claims (${account.departments.join(", ")}) is known to the ledger`,
      };
    account.departments = known;
  }
  const actor = `oidc:${new URL(login.issuer).host}`;
  const upsert = await upsertFederatedUser(ledger, { ...account, issuer: login.issuer, subject: login.subject }, actor);
  if (!upsert.ok)
    return {
      ok: false,
      reason: upsert.reason,
      username: account.username,
      detail: `account ${account.username}: ${upsert.reason}`,
    };
  const session = await createSession(ledger, account.username, sessionTtlMs);
  await writeAudit(ledger.db, {
    actor: account.username,
    action: "login",
    entity: "session",
    entityId: account.username,
    after: { expiresAt: session.expiresAt, method: "oidc", issuer: login.issuer, subject: login.subject },
  });
  return { ok: true, username: account.username, token: session.token, expiresAt: session.expiresAt };
}
