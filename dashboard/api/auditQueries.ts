// The audit-log viewer reads newest first, a page at a time. The ledger's `readAuditLog` reads oldest
// first (what its exports need), so the viewer's page query lives here, read-only.
import type { Ledger } from "../data-access/database.js";
import type { AuditEntry } from "../data-access/auditLog.js";

export async function readAuditPage(ledger: Ledger, filter: { entity?: string | undefined; limit: number; before?: number | undefined }): Promise<AuditEntry[]> {
  let query = ledger.db.selectFrom("audit_log").selectAll().orderBy("id", "desc").limit(filter.limit);
  if (filter.entity) query = query.where("entity", "=", filter.entity);
  if (filter.before) query = query.where("id", "<", filter.before);
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
