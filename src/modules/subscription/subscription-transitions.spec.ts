import type { StripeSnapshot } from './stripe-snapshot.js';
import {
  nextState,
  type SubscriptionState,
  type TransitionInput,
} from './subscription-transitions.js';

const DAY_MS = 86_400_000;
const readAt = new Date('2026-12-01T00:00:00Z');
const finalizedAt = new Date('2026-11-30T12:00:00Z');

function input(
  snapshot: Partial<StripeSnapshot> = {},
  extra: Partial<TransitionInput> = {},
): TransitionInput {
  return {
    snapshot: {
      stripeSubscriptionId: 'sub_1',
      customerId: 'cus_1',
      status: 'active',
      billed: { price: null, metadata: {} },
      currency: 'USD',
      currentPeriodEnd: new Date('2026-12-31T00:00:00Z'),
      trialEnd: null,
      cancelAtPeriodEnd: false,
      overdueInvoice: null,
      nextPhase: null,
      ...snapshot,
    },
    plan: { tier: 'standard', billingCycle: 'monthly', region: 'US' },
    nextPlan: null,
    graceDays: 7,
    readAt,
    ...extra,
  };
}

const row = (state: Partial<SubscriptionState> = {}): SubscriptionState => ({
  ...nextState(null, input())!,
  ...state,
});
const overdue = { finalizedAt, amountDue: 2900, currency: 'USD' };

describe('nextState', () => {
  it('keeps a trial a trial whatever its invoices say', () => {
    expect(nextState(row({ status: 'trialing' }), input({ status: 'trialing' }))?.status).toBe(
      'trialing',
    );
  });

  it('makes an active subscription whose latest invoice failed past due, graced from that invoice', () => {
    const sut = nextState(row(), input({ overdueInvoice: overdue }));
    expect(sut).toMatchObject({ status: 'past_due' });
    expect(sut!.gracePeriodEnd!.getTime()).toBe(finalizedAt.getTime() + 7 * DAY_MS);
  });

  it('never moves the grace period back, and lets a newer failed invoice or an operator extend it', () => {
    const granted = new Date(finalizedAt.getTime() + 30 * DAY_MS);
    const sut = nextState(
      row({ status: 'past_due', gracePeriodEnd: granted }),
      input({ status: 'past_due', overdueInvoice: overdue }),
    );
    expect(sut!.gracePeriodEnd).toEqual(granted);
  });

  it('ends the episode when Stripe reports it paid', () => {
    const sut = nextState(row({ status: 'past_due', gracePeriodEnd: readAt }), input());
    expect(sut).toMatchObject({ status: 'active', gracePeriodEnd: null });
  });

  it('keeps an expired subscription expired while Stripe still says past due, and revives it when paid', () => {
    const expired = row({ status: 'expired', gracePeriodEnd: readAt });
    expect(nextState(expired, input({ status: 'past_due' }))?.status).toBe('expired');
    expect(nextState(expired, input({ status: 'active' }))?.status).toBe('active');
  });

  it('creates nothing for an incomplete subscription and changes nothing of a known one', () => {
    expect(nextState(null, input({ status: 'incomplete' }))).toBeNull();
    expect(nextState(row({ status: 'active' }), input({ status: 'incomplete' }))?.status).toBe(
      'active',
    );
  });

  it('keeps what is known of a price outside the catalog and flags it', () => {
    const sut = nextState(row({ tier: 'pro' }), input({}, { plan: null }));
    expect(sut).toMatchObject({
      tier: 'pro',
      flaggedReason: expect.stringMatching(/outside the catalog/),
    });
  });

  it("shows the schedule's next phase as the pending change, and nothing once it is the current plan", () => {
    const nextPhase = { price: null, metadata: {}, startsAt: new Date('2026-12-31T00:00:00Z') };
    const basic = { tier: 'basic', billingCycle: 'monthly', region: 'US' };
    expect(nextState(row(), input({ nextPhase }, { nextPlan: basic }))?.pendingChange).toEqual({
      tier: 'basic',
      billingCycle: 'monthly',
      effectiveAt: '2026-12-31T00:00:00.000Z',
    });
    expect(
      nextState(row(), input({ nextPhase }, { plan: basic, nextPlan: basic }))?.pendingChange,
    ).toBeNull();
  });
});
