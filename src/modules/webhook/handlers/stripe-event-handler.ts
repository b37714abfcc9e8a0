import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';

/**
 * Applies one type of Stripe event inside the inbox row's transaction. What it must ask Stripe
 * first it asks in `prepare`, before the transaction opens, so no transaction waits on Stripe.
 */
export interface StripeEventHandler<Prepared = unknown> {
  readonly types: readonly Stripe.Event.Type[];
  prepare?(event: Stripe.Event): Promise<Prepared>;
  handle(manager: EntityManager, event: Stripe.Event, prepared: Prepared): Promise<void>;
}
