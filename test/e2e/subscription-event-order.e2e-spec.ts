import fc from 'fast-check';
import { registerUser, type RegisteredUser } from '../factories/user.factory.js';
import { webhookDelivery } from '../support/stripe/deliver-webhook.js';
import { StripeStub, type StripeEvent, type StripeObject } from '../support/stripe/stripe-stub.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const bearer = { type: 'bearer' as const };
const WEBHOOK_SECRET = 'whsec_event_order';
const urls = { successUrl: 'https://app.example.com/ok', cancelUrl: 'https://app.example.com/no' };
const GRACE_DAYS = 7;
/** A few hundred lives on PostgreSQL; fewer on the embedded database, which runs one at a time. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? (process.env.DATABASE_URL ? 250 : 25));

type Step =
  | 'endTrial'
  | 'endTrialDeclined'
  | 'renew'
  | 'renewDeclined'
  | 'retryFails'
  | 'retryPays'
  | 'switchUp'
  | 'scheduleDown'
  | 'cancelAtPeriodEnd'
  | 'resume'
  | 'cancelNow';
const STEPS: Step[] = [
  'endTrial',
  'endTrialDeclined',
  'renew',
  'renewDeclined',
  'retryFails',
  'retryPays',
  'switchUp',
  'scheduleDown',
  'cancelAtPeriodEnd',
  'resume',
  'cancelNow',
];

interface Plan {
  tier: string;
  billingCycle: string;
  unitAmount: number;
}

/**
 * A subscription's life at the Stripe stand-in (trial, paid and declined invoices, retries, a
 * portal upgrade, a downgrade scheduled for the period end, cancel at period end and back,
 * deletion), its events delivered while it happens and after, in random orders with random
 * duplicates and ties of `created`. Afterwards our row must say what Stripe's final objects say,
 * and the organization's level must follow.
 */
describe('Subscription state under any order of Stripe events (property, e2e)', () => {
  let t: TestApp;
  let stripe: StripeStub;
  let plans: Plan[];

  beforeAll(async () => {
    stripe = await new StripeStub().start();
    t = await createTestApp({
      ...stripe.env(),
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      GRACE_PERIOD_DAYS: String(GRACE_DAYS),
      JOBS_ENABLED: 'false',
    });
    plans = (await t.http.get('/v1/billing/plans?region=US').expect(200)).body.plans;
  });
  // Closing waits for the mail outbox, which holds a few mails of every life.
  afterAll(async () => {
    await t.close();
    await stripe.stop();
  }, 120_000);

  const deliver = async (event: StripeEvent) => {
    await webhookDelivery(t, stripe, WEBHOOK_SECRET)(event).expect(200);
  };
  const monthly = (tier: string) =>
    plans.find((plan) => plan.tier === tier && plan.billingCycle === 'monthly')!;
  const planOf = (price: { unit_amount: number; recurring: { interval: string } }) =>
    plans.find(
      (plan) =>
        plan.unitAmount === price.unit_amount &&
        plan.billingCycle === (price.recurring.interval === 'month' ? 'monthly' : 'yearly'),
    )!;

  async function startTrial(user: RegisteredUser): Promise<StripeObject> {
    const checkout = await t.http
      .post(`/v1/organizations/${user.organizationId}/checkout/subscription`)
      .auth(user.accessToken, bearer)
      .send({ ...urls, tier: 'standard', billingCycle: 'monthly' })
      .expect(201);
    const completed = stripe.completeCheckout(checkout.body.sessionId as string);
    const subscription = stripe.subscriptions.get(completed.data.object.subscription as string)!;
    await deliver(completed);
    return subscription;
  }

  /** One step of the life, when it can happen in the subscription's state; its events. */
  function live(step: Step, subscription: StripeObject): StripeEvent[] {
    const id = subscription.id;
    const status = subscription.status as string;
    const invoice = stripe.invoices.get(subscription.latest_invoice as string);
    const owes = invoice?.status === 'open';
    if (status === 'canceled') return [];
    switch (step) {
      case 'endTrial':
      case 'endTrialDeclined':
        return status === 'trialing' ? stripe.endTrial(id, step === 'endTrial') : [];
      case 'renew':
      case 'renewDeclined':
        return status === 'active' ? stripe.renew(id, { fail: step === 'renewDeclined' }) : [];
      case 'retryFails':
      case 'retryPays':
        return owes ? stripe.retryPayment(id, step === 'retryPays') : [];
      case 'switchUp':
        return status === 'active'
          ? [stripe.switchPrice(id, { unitAmount: monthly('pro').unitAmount, interval: 'month' })]
          : [];
      case 'scheduleDown':
        return status === 'active' && !subscription.schedule
          ? [
              stripe.scheduleChange(
                id,
                { unitAmount: monthly('basic').unitAmount, interval: 'month' },
                { tier: 'basic', billingCycle: 'monthly' },
              ),
            ]
          : [];
      case 'cancelAtPeriodEnd':
      case 'resume':
        return [stripe.setCancelAtPeriodEnd(id, step === 'cancelAtPeriodEnd')];
      case 'cancelNow':
        return [stripe.cancel(id)];
    }
  }

  /** What our row must say, read off Stripe's final objects. */
  function expectedOf(subscription: StripeObject) {
    const item = (subscription.items as { data: Record<string, any>[] }).data[0];
    const invoice = stripe.invoices.get(subscription.latest_invoice as string)!;
    const owes = invoice.status === 'open' && Number(invoice.attempt_count) > 0;
    const status =
      subscription.status === 'active' && owes ? 'past_due' : (subscription.status as string);
    const finalizedAt = (invoice.status_transitions as { finalized_at: number }).finalized_at;
    const schedule = subscription.schedule
      ? stripe.schedules.get(subscription.schedule as string)
      : undefined;
    const next = (schedule?.phases as Record<string, any>[] | undefined)?.find(
      (phase) => phase.start_date > item.current_period_start,
    );
    const plan = planOf(item.price);
    const nextPlan = next && planOf(stripe.prices.get(next.items[0].price)! as never);
    return {
      status,
      tier: plan.tier,
      billingCycle: plan.billingCycle,
      cancelAtPeriodEnd: subscription.cancel_at_period_end,
      currentPeriodEnd: new Date(item.current_period_end * 1000).toISOString(),
      gracePeriodEnd:
        status === 'past_due'
          ? new Date((finalizedAt + GRACE_DAYS * 86_400) * 1000).toISOString()
          : null,
      pendingChange:
        nextPlan && nextPlan.tier !== plan.tier
          ? { tier: nextPlan.tier, billingCycle: nextPlan.billingCycle }
          : null,
      level: status === 'canceled' ? 'free' : status === 'trialing' ? 'trial' : plan.tier,
    };
  }

  it('ends as Stripe says, whatever the order, the duplicates and the ties', async () => {
    const life = fc.record({
      steps: fc.array(fc.record({ step: fc.constantFrom(...STEPS), seconds: fc.nat(30) }), {
        minLength: 1,
        maxLength: 8,
      }),
      /** Random keys for the order of delivery, and which deliveries are sent twice. */
      keys: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 40, maxLength: 40 }),
      duplicates: fc.array(fc.nat(39), { maxLength: 6 }),
      /** After which steps the events so far are delivered (a webhook that arrives on time). */
      deliverDuring: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    });
    await fc.assert(
      fc.asyncProperty(life, async ({ steps, keys, duplicates, deliverDuring }) => {
        const user = await registerUser(t.http);
        const subscription = await startTrial(user);
        let pending: StripeEvent[] = [stripe.event('customer.subscription.created', subscription)];
        let sent = 0;
        const shuffled = (events: StripeEvent[]) =>
          events
            .map((event, index) => ({ event, key: keys[(sent + index) % keys.length] }))
            .sort((a, b) => a.key - b.key)
            .map(({ event }) => event);
        const all: StripeEvent[] = [];
        for (const [index, { step, seconds }] of steps.entries()) {
          stripe.advance(seconds);
          pending.push(...live(step, subscription));
          if (!deliverDuring[index]) continue;
          const now = shuffled(pending);
          for (const event of now) await deliver(event);
          all.push(...now);
          sent += now.length;
          pending = [];
        }
        all.push(...pending);
        for (const event of [...shuffled(pending), ...duplicates.map((i) => all[i % all.length])])
          await deliver(event);

        const expected = expectedOf(subscription);
        const [row] = (
          await t.http
            .get(`/v1/organizations/${user.organizationId}/subscriptions`)
            .auth(user.accessToken, bearer)
            .expect(200)
        ).body;
        const features = await t.http
          .get(`/v1/organizations/${user.organizationId}/features`)
          .auth(user.accessToken, bearer)
          .expect(200);
        const { level, ...state } = expected;
        expect({
          ...row,
          pendingChange: row.pendingChange && { ...row.pendingChange, effectiveAt: undefined },
        }).toMatchObject({
          ...state,
          pendingChange: state.pendingChange && { ...state.pendingChange, effectiveAt: undefined },
        });
        expect(features.body.level).toBe(level);
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 100_000, markInterruptAsFailure: true },
    );
  }, 120_000);
});
