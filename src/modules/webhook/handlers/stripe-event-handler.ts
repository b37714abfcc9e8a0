import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';

/** Applies one type of Stripe event inside the inbox row's transaction. */
export interface StripeEventHandler {
  readonly types: readonly Stripe.Event.Type[];
  handle(manager: EntityManager, event: Stripe.Event): Promise<void>;
}
