import type { AuditContext } from '../audit/audit.types.js';
import type { AdminCaller } from './internal-api-key.guard.js';

/** The audit context of an operator's call: the key's fingerprint, the route, reason and ticket. */
export function adminAudit(
  admin: AdminCaller,
  route: string,
  why: { reason?: string; ticketId?: string } = {},
): AuditContext {
  return {
    actor: { type: 'ADMIN', id: admin.fingerprint },
    metadata: { route, reason: why.reason ?? null, ticketId: why.ticketId ?? null },
  };
}
