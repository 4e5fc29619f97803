/** One record of the dashboard's audit log: who changed what, and the entity before and after. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
}
