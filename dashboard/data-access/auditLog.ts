// The append-only audit log: who changed what, when, with the record before and after. Written in the
// same transaction as the change it describes, so neither exists without the other.
import type { LedgerDb, LedgerTrx } from "./database.js";
import type { AuditEntry } from "../domain/auditEntry.js";

/** JSON with bigints as decimal strings: money must survive the round trip exactly. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

export async function writeAudit(
  trx: LedgerTrx | LedgerDb,
  entry: {
    actor: string;
    action: string;
    entity: string;
    entityId: string;
    before?: unknown;
    after?: unknown;
    at?: string;
  },
): Promise<void> {
  await trx
    .insertInto("audit_log")
    .values({
      at: entry.at ?? new Date().toISOString(),
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId,
      before: entry.before === undefined ? null : toJson(entry.before),
      after: entry.after === undefined ? null : toJson(entry.after),
    })
    .execute();
}

export interface AuditLogFilter {
  entity?: string | undefined;
  entityId?: string | undefined;
  limit?: number | undefined;
  /** Only entries older than this id: the viewer's next page. */
  before?: number | undefined;
  /** Oldest first (exports) or newest first (the viewer). */
  order?: "asc" | "desc";
}

export async function readAuditLog(db: LedgerDb, filter: AuditLogFilter = {}): Promise<AuditEntry[]> {
  let query = db
    .selectFrom("audit_log")
    .selectAll()
    .orderBy("id", filter.order ?? "asc");
  if (filter.entity) query = query.where("entity", "=", filter.entity);
  if (filter.entityId) query = query.where("entity_id", "=", filter.entityId);
  if (filter.before) query = query.where("id", "<", filter.before);
  if (filter.limit) query = query.limit(filter.limit);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: r.before === null ? null : (JSON.parse(r.before) as unknown),
    after: r.after === null ? null : (JSON.parse(r.after) as unknown),
  }));
}
