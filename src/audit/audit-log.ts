import type { Executor } from '../db/database.ts';

export interface AuditEntry {
  at: number;
  actorUserId?: number | null;
  onBehalfOfUserId?: number | null;
  action: string;
  entityType: string;
  entityId: string | number;
  revision?: number | null;
  /** Where the action came from: `cli`, `card:<message id>`, `http:<request id>`. */
  source?: string | null;
  detail?: unknown;
}

/**
 * Appends one entry; call it inside the transaction of the change it records. The table refuses updates and deletes.
 */
export async function appendAudit(db: Executor, e: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    at: e.at,
    actor_user_id: e.actorUserId ?? null,
    on_behalf_of_user_id: e.onBehalfOfUserId ?? null,
    action: e.action,
    entity_type: e.entityType,
    entity_id: String(e.entityId),
    revision: e.revision ?? null,
    source: e.source ?? null,
    detail: e.detail === undefined ? null : JSON.stringify(e.detail),
  });
}
