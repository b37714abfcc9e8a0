export type AuditEntityType =
  'SUBSCRIPTION' | 'ORGANIZATION' | 'USER' | 'INTENT' | 'WALLET' | 'API_KEY' | 'WEBHOOK';

export type AuditActorType = 'USER' | 'ADMIN' | 'WEBHOOK' | 'SYSTEM';

/** `{ field: { from, to } }`: what changed, never secrets. */
export type AuditChanges = Record<string, { from: unknown; to: unknown }>;

export interface AuditEntry {
  entityType: AuditEntityType;
  entityId: string;
  /** CREATE, UPDATE, DELETE, CANCEL, REACTIVATE, … */
  action: string;
  actor: { type: AuditActorType; id: string | null };
  changes?: AuditChanges;
  /** Why: reason, ticketId, route, request id. */
  metadata?: Record<string, unknown>;
}

/** Who acts and why, for a service that records the audit row of its own change. */
export type AuditContext = Pick<AuditEntry, 'actor' | 'metadata'>;
