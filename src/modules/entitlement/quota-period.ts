import type { SubscriptionLevel } from '../subscription/subscription.service.js';

export interface QuotaPeriod {
  start: Date;
  /** When the quota starts afresh: the `Retry-After` of a refused request. */
  end: Date;
}

/**
 * The window a limited feature's usage counts in (UTC): `day`, `month`, or `billing_period` (the
 * subscription's current period; a calendar month on `free`). Null: the limit is not periodic.
 */
export function quotaPeriodOf(
  period: 'day' | 'month' | 'billing_period' | null,
  subscription: Pick<SubscriptionLevel, 'currentPeriodEnd' | 'billingCycle'>,
  now: Date = new Date(),
): QuotaPeriod | null {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  switch (period) {
    case 'day': {
      const start = new Date(Date.UTC(year, month, now.getUTCDate()));
      return { start, end: new Date(start.getTime() + 86_400_000) };
    }
    case 'billing_period':
      if (subscription.currentPeriodEnd && subscription.currentPeriodEnd > now) {
        const end = subscription.currentPeriodEnd;
        const start = new Date(end);
        if (subscription.billingCycle === 'yearly') start.setUTCFullYear(end.getUTCFullYear() - 1);
        else start.setUTCMonth(end.getUTCMonth() - 1);
        return { start, end };
      }
      return quotaPeriodOf('month', subscription, now);
    case 'month':
      return {
        start: new Date(Date.UTC(year, month, 1)),
        end: new Date(Date.UTC(year, month + 1, 1)),
      };
    case null:
      return null;
  }
}
