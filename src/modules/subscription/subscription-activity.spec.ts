import { isSubscriptionActive } from './subscription-activity.js';

describe('isSubscriptionActive', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const past = new Date('2026-11-22T12:00:00Z');
  const future = new Date('2026-11-24T12:00:00Z');
  const base = { trialEnd: null, gracePeriodEnd: null, currentPeriodEnd: future };

  it.each([
    ['active within its period', { ...base, status: 'active' as const }, true],
    [
      'active past its period',
      { ...base, status: 'active' as const, currentPeriodEnd: past },
      false,
    ],
    ['trialing before trialEnd', { ...base, status: 'trialing' as const, trialEnd: future }, true],
    [
      'trialing after trialEnd, even with a period left',
      { ...base, status: 'trialing' as const, trialEnd: past },
      false,
    ],
    [
      'past_due within its grace period, after the period end',
      { ...base, status: 'past_due' as const, currentPeriodEnd: past, gracePeriodEnd: future },
      true,
    ],
    [
      'past_due after its grace period, even with a period left',
      { ...base, status: 'past_due' as const, gracePeriodEnd: past },
      false,
    ],
    ['canceled, even with a period left', { ...base, status: 'canceled' as const }, false],
    ['expired', { ...base, status: 'expired' as const }, false],
  ])('%s → %s', (_label, subscription, expected) => {
    expect(isSubscriptionActive(subscription, now)).toBe(expected);
  });
});
