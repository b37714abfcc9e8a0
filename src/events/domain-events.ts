/**
 * What a lower module tells higher ones (DESIGN.md, "Modules"): typed payloads by event name.
 * Published after the publishing transaction commits; listeners never run inside it.
 */
export interface DomainEventMap {
  /** A platform admin suspended the user: their sessions must end. */
  'user.suspended': { userId: string };
  /** An organization's name changed: its Stripe customer's name follows. */
  'organization.renamed': { organizationId: string; name: string };
}

export type DomainEventName = keyof DomainEventMap;
