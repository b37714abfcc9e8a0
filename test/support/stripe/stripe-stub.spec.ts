import Stripe from 'stripe';
import { StripeStub } from './stripe-stub.js';

/** The stand-in's "what Stripe does next" helpers, driven through the real SDK as the service drives it. */
describe('StripeStub', () => {
  let sut: StripeStub;
  let stripe: Stripe;
  const secret = 'whsec_test_secret';

  beforeAll(async () => {
    sut = await new StripeStub().start();
    const base = new URL(sut.env().STRIPE_API_BASE);
    stripe = new Stripe(sut.secretKey, { host: base.hostname, port: base.port, protocol: 'http' });
  });
  afterAll(() => sut.stop());

  async function openSession(mode: 'subscription' | 'payment') {
    const customer = await stripe.customers.create({ email: 'ada@example.com' });
    const price_data =
      mode === 'subscription'
        ? {
            currency: 'usd',
            unit_amount: 2900,
            recurring: { interval: 'month' as const },
            product_data: { name: 'Standard' },
          }
        : { currency: 'usd', unit_amount: 4499, product_data: { name: 'Growth' } };
    return stripe.checkout.sessions.create({
      mode,
      customer: customer.id,
      line_items: [{ price_data, quantity: 1 }],
      metadata: { intentId: 'intent-1' },
      ...(mode === 'subscription'
        ? { subscription_data: { metadata: { intentId: 'intent-1' } } }
        : {}),
      success_url: 'https://app.example.com/ok',
    });
  }

  describe('completeCheckout', () => {
    it('completes a subscription checkout into a live subscription and a signed event', async () => {
      const session = await openSession('subscription');
      const event = sut.completeCheckout(session.id);
      expect(event).toMatchObject({
        type: 'checkout.session.completed',
        data: { object: { id: session.id, status: 'complete', payment_status: 'paid' } },
      });
      const subscription = await stripe.subscriptions.retrieve(
        event.data.object.subscription as string,
      );
      expect(subscription).toMatchObject({ status: 'active', metadata: { intentId: 'intent-1' } });
      expect(subscription.items.data[0].price.unit_amount).toBe(2900);

      const { body, signature } = sut.sign(event, secret);
      expect(stripe.webhooks.constructEvent(body, signature, secret).id).toBe(event.id);
    });

    it('gives a payment checkout a payment intent', async () => {
      const session = await openSession('payment');
      const event = sut.completeCheckout(session.id, 'unpaid');
      expect(event.data.object).toMatchObject({
        payment_status: 'unpaid',
        payment_intent: expect.stringMatching(/^pi_test_/),
      });
    });
  });

  describe('sign', () => {
    it('produces signatures that fail with another secret or when stale', async () => {
      const event = sut.expireCheckout((await openSession('payment')).id);
      const { body, signature } = sut.sign(event, secret);
      expect(() => stripe.webhooks.constructEvent(body, signature, 'whsec_other')).toThrow(
        Stripe.errors.StripeSignatureVerificationError,
      );
      const stale = sut.sign(event, secret, Math.floor(Date.now() / 1000) - 600);
      expect(() => stripe.webhooks.constructEvent(stale.body, stale.signature, secret)).toThrow(
        Stripe.errors.StripeSignatureVerificationError,
      );
    });
  });

  describe('renew, failPayment, refund', () => {
    it('moves the period on with a paid invoice, then fails a payment', async () => {
      const completed = sut.completeCheckout((await openSession('subscription')).id);
      const subscriptionId = completed.data.object.subscription as string;
      const before = (await stripe.subscriptions.retrieve(subscriptionId)).items.data[0]
        .current_period_end;

      const [updated, paid] = sut.renew(subscriptionId);
      expect(updated.type).toBe('customer.subscription.updated');
      expect(
        (await stripe.subscriptions.retrieve(subscriptionId)).items.data[0].current_period_end,
      ).toBeGreaterThan(before);
      expect(paid).toMatchObject({
        type: 'invoice.paid',
        data: { object: { parent: { subscription_details: { subscription: subscriptionId } } } },
      });

      const [pastDue, failed] = sut.failPayment(subscriptionId);
      expect(pastDue.data).toMatchObject({
        object: { status: 'past_due' },
        previous_attributes: { status: 'active' },
      });
      expect(failed.type).toBe('invoice.payment_failed');
    });

    it('reports refunds cumulatively, as Stripe does', () => {
      expect(sut.refund('pi_test_1', 1000, 4499).data.object).toMatchObject({
        amount_refunded: 1000,
        refunded: false,
      });
      expect(sut.refund('pi_test_1', 4499, 4499).data.object).toMatchObject({
        amount_refunded: 4499,
        refunded: true,
      });
    });
  });
});
