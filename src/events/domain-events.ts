/**
 * What a lower module tells higher ones (DESIGN.md, "Modules"): typed payloads by event name.
 * Published after the publishing transaction commits; listeners never run inside it.
 */
export interface DomainEventMap {
  /** A platform admin suspended the user: their sessions must end. */
  'user.suspended': { userId: string };
  /** An organization's name changed: its Stripe customer's name follows. */
  'organization.renamed': { organizationId: string; name: string };
  /** A subscription was created, changed or ended: levels, caches and live clients follow. */
  'subscription.updated': {
    organizationId: string;
    stripeSubscriptionId: string;
    status: string;
    tier: string;
  };
  /** An organization's level may have changed: caches dropped, clients told. */
  'entitlements.changed': { organizationId: string; level: string };
  /** Credits moved in or out of an organization's wallet. */
  'wallet.updated': { organizationId: string; balance: number };
  /** The wallet's available credits fell below its threshold (once per crossing). */
  'wallet.low_balance': { organizationId: string; available: number; threshold: number };
  /** A credit pack was paid for and its credits granted. */
  'purchase.completed': { organizationId: string; purchaseId: string; credits: number };
}

export type DomainEventName = keyof DomainEventMap;
