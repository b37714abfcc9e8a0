import type { Subscription } from './entities/subscription.entity.js';

/**
 * DESIGN principle 6: canceled or expired grants nothing; a trial runs until `trialEnd`; a grace
 * period after a failed payment wins over the period end; otherwise until `currentPeriodEnd`.
 */
export function isSubscriptionActive(
  subscription: Pick<Subscription, 'status' | 'trialEnd' | 'gracePeriodEnd' | 'currentPeriodEnd'>,
  now: Date = new Date(),
): boolean {
  const until = (date: Date | null) => date !== null && date.getTime() > now.getTime();
  switch (subscription.status) {
    case 'canceled':
    case 'expired':
      return false;
    case 'trialing':
      return until(subscription.trialEnd);
    case 'past_due':
    case 'active':
      return subscription.gracePeriodEnd
        ? until(subscription.gracePeriodEnd)
        : until(subscription.currentPeriodEnd);
  }
}
