import type Stripe from 'stripe';
import type { SubscriptionStatus } from './entities/subscription.entity.js';

/** Stripe's statuses folded into ours; a status we do not model keeps the one we had. */
export function fromStripeStatus(
  status: Stripe.Subscription.Status,
  current: SubscriptionStatus,
): SubscriptionStatus {
  switch (status) {
    case 'trialing':
      return 'trialing';
    case 'active':
      return 'active';
    case 'past_due':
      return 'past_due';
    case 'canceled':
      return 'canceled';
    case 'unpaid':
      return 'past_due';
    case 'incomplete_expired':
      return 'expired';
    case 'incomplete':
    case 'paused':
    default:
      return current;
  }
}
