import { DataSource } from 'typeorm';
import { registerUser, type RegisteredUser } from '../factories/user.factory.js';
import { webhookDelivery, type DeliveryOptions } from '../support/stripe/deliver-webhook.js';
import { StripeStub, type StripeEvent } from '../support/stripe/stripe-stub.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const bearer = { type: 'bearer' as const };
const WEBHOOK_SECRET = 'whsec_e2e_secret';
const urls = { successUrl: 'https://app.example.com/ok', cancelUrl: 'https://app.example.com/no' };

describe('Stripe webhooks (e2e)', () => {
  let t: TestApp;
  let stripe: StripeStub;
  let db: DataSource;

  beforeAll(async () => {
    stripe = await new StripeStub().start();
    t = await createTestApp({ ...stripe.env(), STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
    await stripe.stop();
  });

  const deliver = (event: StripeEvent, options?: DeliveryOptions) =>
    webhookDelivery(t, stripe, WEBHOOK_SECRET)(event, options);

  const inbox = (id: string) =>
    db.query<{ status: string; attempts: number; last_error: string | null }[]>(
      'SELECT status, attempts, last_error FROM stripe_events WHERE id = $1',
      [id],
    );

  async function checkout(user: RegisteredUser, kind: 'subscription' | 'credits') {
    const body =
      kind === 'credits' ? { packKey: 'starter' } : { tier: 'standard', billingCycle: 'monthly' };
    const response = await t.http
      .post(`/v1/organizations/${user.organizationId}/checkout/${kind}`)
      .auth(user.accessToken, bearer)
      .send({ ...urls, ...body })
      .expect(201);
    return response.body as { intentId: string; sessionId: string };
  }

  // bigint columns come back as strings from pg and as numbers from PGlite.
  const wallet = async (user: RegisteredUser): Promise<number> => {
    const rows = await db.query('SELECT balance FROM wallets WHERE organization_id = $1', [
      user.organizationId,
    ]);
    return Number(rows[0]?.balance ?? 0);
  };
  interface LedgerRow {
    type: string;
    amount: number;
    balance_after: number;
    reference: string;
  }
  const ledger = async (user: RegisteredUser): Promise<LedgerRow[]> => {
    const rows = await db.query(
      'SELECT type, amount, balance_after, reference FROM wallet_transactions WHERE organization_id = $1 ORDER BY seq',
      [user.organizationId],
    );
    return rows.map((row: Record<string, unknown>) => ({
      type: row.type as string,
      reference: row.reference as string,
      amount: Number(row.amount),
      balance_after: Number(row.balance_after),
    }));
  };

  describe('signatures', () => {
    it.each([
      ['another secret', { secret: 'whsec_wrong' }],
      ['a stale timestamp', { timestamp: Math.floor(Date.now() / 1000) - 600 }],
      ['no signature', { signature: null }],
      ['a garbled signature', { signature: 't=1,v1=deadbeef' }],
    ])('refuses %s with 400 INVALID_SIGNATURE and stores nothing', async (_label, options) => {
      const event = stripe.event('payment_intent.created', {
        id: 'pi_test_x',
        object: 'payment_intent',
      });
      const response = await deliver(event, options).expect(400);
      expect(response.body.code).toBe('INVALID_SIGNATURE');
      expect(await inbox(event.id)).toEqual([]);
    });
  });

  it('stores event types it does not handle as ignored and answers 200', async () => {
    const event = stripe.event('payment_intent.created', {
      id: 'pi_test_y',
      object: 'payment_intent',
    });
    const response = await deliver(event).expect(200);
    expect(response.body).toEqual({ received: true, outcome: 'ignored' });
    expect(await inbox(event.id)).toEqual([{ status: 'ignored', attempts: 1, last_error: null }]);
  });

  describe('checkout.session.completed', () => {
    it('grants the pack once, however often the event arrives at once, and tells the buyer', async () => {
      const user = await registerUser(t.http);
      const response = await t.http
        .post(`/v1/organizations/${user.organizationId}/checkout/credits`)
        .auth(user.accessToken, bearer)
        .send({ ...urls, packKey: 'growth' })
        .expect(201);
      const { sessionId, intentId } = response.body;
      const before = await t.http
        .get(`/v1/checkout/sessions/${sessionId}`)
        .auth(user.accessToken, bearer)
        .expect(200);
      expect(before.body).toMatchObject({
        status: 'pending',
        creditsGranted: 0,
        wallet: { balance: 0 },
      });

      const event = stripe.completeCheckout(sessionId);
      const deliveries = await Promise.all(Array.from({ length: 10 }, () => deliver(event)));
      expect(deliveries.every((d) => d.status === 200)).toBe(true);

      expect(await wallet(user)).toBe(5500);
      expect(await ledger(user)).toEqual([
        { type: 'purchase', amount: 5500, balance_after: 5500, reference: sessionId },
      ]);
      const [intent] = await db.query('SELECT status FROM subscription_intents WHERE id = $1', [
        intentId,
      ]);
      expect(intent.status).toBe('completed');
      const after = await t.http
        .get(`/v1/checkout/sessions/${sessionId}`)
        .auth(user.accessToken, bearer)
        .expect(200);
      expect(after.body).toMatchObject({
        status: 'paid',
        creditsGranted: 5500,
        wallet: { balance: 5500 },
      });
      await t.mail.waitFor(user.email, /5,500 credits added/);
    });

    it('waits for an asynchronous payment, then grants', async () => {
      const user = await registerUser(t.http);
      const { sessionId } = await checkout(user, 'credits');
      const pending = stripe.completeCheckout(sessionId, 'unpaid');
      await deliver(pending).expect(200);
      expect(await wallet(user)).toBe(0);
      const succeeded = stripe.event('checkout.session.async_payment_succeeded', {
        ...pending.data.object,
        payment_status: 'paid',
      });
      await deliver(succeeded).expect(200);
      expect(await wallet(user)).toBe(1000);
    });

    it('grants nothing and flags the event when the amount differs from the intent', async () => {
      const user = await registerUser(t.http);
      const { sessionId } = await checkout(user, 'credits');
      const event = stripe.completeCheckout(sessionId);
      event.data.object.amount_total = 1;
      await deliver(event).expect(200);
      expect(await wallet(user)).toBe(0);
      const [flag] = await db.query(
        `SELECT action, metadata FROM audit_logs WHERE entity_type = 'WEBHOOK' AND entity_id = $1`,
        [event.id],
      );
      expect(flag).toMatchObject({ action: 'FLAGGED', metadata: { sessionId } });
    });

    it("grants nothing when the session's customer belongs to another organization", async () => {
      const victim = await registerUser(t.http);
      const attacker = await registerUser(t.http);
      const { sessionId } = await checkout(victim, 'credits');
      await checkout(attacker, 'credits');
      const attackerCustomer = (
        await db.query(
          'SELECT stripe_customer_id FROM billing_customers WHERE organization_id = $1',
          [attacker.organizationId],
        )
      )[0].stripe_customer_id;
      const event = stripe.completeCheckout(sessionId);
      event.data.object.customer = attackerCustomer;
      await deliver(event).expect(200);
      expect(await wallet(victim)).toBe(0);
      expect(await wallet(attacker)).toBe(0);
    });

    it('completes a subscription intent and links the Stripe subscription', async () => {
      const user = await registerUser(t.http);
      const { sessionId, intentId } = await checkout(user, 'subscription');
      const event = stripe.completeCheckout(sessionId);
      await deliver(event).expect(200);
      const [intent] = await db.query(
        'SELECT status, stripe_subscription_id FROM subscription_intents WHERE id = $1',
        [intentId],
      );
      expect(intent).toEqual({
        status: 'completed',
        stripe_subscription_id: event.data.object.subscription,
      });
    });
  });

  it('records a dispute in the audit log for operators', async () => {
    const event = stripe.event('charge.dispute.created', {
      id: 'dp_test_1',
      object: 'dispute',
      charge: 'ch_test_1',
      amount: 4499,
      currency: 'usd',
      reason: 'fraudulent',
      status: 'needs_response',
    });
    await deliver(event).expect(200);
    const rows = await db.query(
      `SELECT action, metadata FROM audit_logs WHERE entity_type = 'WEBHOOK' AND entity_id = 'dp_test_1'`,
    );
    expect(rows).toEqual([
      {
        action: 'DISPUTE',
        metadata: expect.objectContaining({
          charge: 'ch_test_1',
          amount: 4499,
          reason: 'fraudulent',
        }),
      },
    ]);
  });

  describe('charge.refunded', () => {
    async function boughtPack(user: RegisteredUser, packKey: string) {
      const response = await t.http
        .post(`/v1/organizations/${user.organizationId}/checkout/credits`)
        .auth(user.accessToken, bearer)
        .send({ ...urls, packKey })
        .expect(201);
      const completed = stripe.completeCheckout(response.body.sessionId);
      await deliver(completed).expect(200);
      return {
        intentId: response.body.intentId as string,
        paymentIntent: completed.data.object.payment_intent as string,
      };
    }
    const purchase = async (intentId: string) =>
      (
        await db.query(
          'SELECT status, refunded_amount, refunded_credits FROM purchases WHERE intent_id = $1',
          [intentId],
        )
      )[0];

    it("takes back the refunded share of a pack's credits, once per refund, however often it is delivered", async () => {
      const user = await registerUser(t.http);
      const { intentId, paymentIntent } = await boughtPack(user, 'starter'); // 1,000 credits, $9.99

      const partial = stripe.refund(paymentIntent, 333, 999);
      const deliveries = await Promise.all(Array.from({ length: 5 }, () => deliver(partial)));
      expect(deliveries.map((d) => d.status)).toEqual(Array(5).fill(200));
      expect(await wallet(user)).toBe(667);
      expect(await purchase(intentId)).toEqual({
        status: 'paid',
        refunded_amount: 333,
        refunded_credits: 333,
      });
      await t.mail.waitFor(user.email, /Refund issued: USD 3\.33/);

      await deliver(stripe.refund(paymentIntent, 999, 999)).expect(200);
      expect(await wallet(user)).toBe(0);
      expect((await ledger(user)).map((row) => [row.type, row.amount, row.balance_after])).toEqual([
        ['purchase', 1000, 1000],
        ['refund', -333, 667],
        ['refund', -667, 0],
      ]);
      expect(await purchase(intentId)).toMatchObject({
        status: 'refunded',
        refunded_credits: 1000,
      });
    });

    it('never takes what is held; what it could not take back becomes debt, audited', async () => {
      const user = await registerUser(t.http);
      const { intentId, paymentIntent } = await boughtPack(user, 'growth'); // 5,500 credits
      // Work in progress holds 5,000 of them (what a reservation does).
      await db.query('UPDATE wallets SET held = 5000 WHERE organization_id = $1', [
        user.organizationId,
      ]);

      await deliver(stripe.refund(paymentIntent, 4499, 4499)).expect(200);
      expect(await wallet(user)).toBe(5000);
      expect(await purchase(intentId)).toMatchObject({
        status: 'refunded',
        refunded_credits: 5500,
      });
      const [audit] = await db.query(
        `SELECT actor_type, metadata FROM audit_logs WHERE entity_type = 'WALLET' AND entity_id = $1 AND action = 'REFUND'`,
        [user.organizationId],
      );
      expect(audit).toEqual({
        actor_type: 'WEBHOOK',
        metadata: expect.objectContaining({
          creditsOwed: 5500,
          creditsRemoved: 500,
          debt: 5000,
        }),
      });
      const view = await t.http
        .get(`/v1/organizations/${user.organizationId}/wallet`)
        .auth(user.accessToken, bearer)
        .expect(200);
      expect(view.body).toMatchObject({ balance: 5000, held: 5000, debt: 5000, available: 0 });
    });

    it('changes nothing for a charge that paid for no credit pack', async () => {
      const event = stripe.refund('pi_test_subscription_invoice', 900, 900);
      const response = await deliver(event).expect(200);
      expect(response.body.outcome).toBe('processed');
      expect(await inbox(event.id)).toEqual([
        { status: 'processed', attempts: 1, last_error: null },
      ]);
    });
  });

  it('leaves no partial effect when a handler fails halfway, and applies the event once on redelivery', async () => {
    const user = await registerUser(t.http);
    const { intentId, sessionId } = await checkout(user, 'credits');
    // The grant books the ledger and the wallet, then completes the intent: make that last step fail.
    await db.query(`CREATE FUNCTION fail_intent_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id = '${intentId}' THEN RAISE EXCEPTION 'injected failure'; END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER fail_intent_update BEFORE UPDATE ON subscription_intents
      FOR EACH ROW EXECUTE FUNCTION fail_intent_update()`);
    const event = stripe.completeCheckout(sessionId);
    try {
      await deliver(event).expect(500);
    } finally {
      await db.query('DROP TRIGGER fail_intent_update ON subscription_intents');
      await db.query('DROP FUNCTION fail_intent_update');
    }
    expect(await wallet(user)).toBe(0);
    expect(await ledger(user)).toEqual([]);
    const [purchase] = await db.query('SELECT status FROM purchases WHERE intent_id = $1', [
      intentId,
    ]);
    expect(purchase.status).toBe('pending');
    expect((await inbox(event.id))[0]).toMatchObject({ status: 'failed', attempts: 1 });

    await Promise.all([deliver(event).expect(200), deliver(event).expect(200)]);
    expect(await wallet(user)).toBe(1000);
    expect(await ledger(user)).toHaveLength(1);
    expect(await inbox(event.id)).toEqual([{ status: 'processed', attempts: 2, last_error: null }]);
  });

  describe('checkout.session.expired', () => {
    it('expires the intent and the purchase, once, however often it is delivered at the same time', async () => {
      const user = await registerUser(t.http);
      const { intentId, sessionId } = await checkout(user, 'credits');
      const event = stripe.expireCheckout(sessionId);

      const deliveries = await Promise.all(Array.from({ length: 10 }, () => deliver(event)));
      expect(deliveries.map((d) => d.status)).toEqual(Array(10).fill(200));
      expect(deliveries.filter((d) => d.body.outcome === 'processed')).toHaveLength(1);
      expect(await inbox(event.id)).toEqual([
        { status: 'processed', attempts: 1, last_error: null },
      ]);

      const [intent] = await db.query(
        'SELECT status, version FROM subscription_intents WHERE id = $1',
        [intentId],
      );
      expect(intent).toEqual({ status: 'expired', version: 3 });
      const [purchase] = await db.query('SELECT status FROM purchases WHERE intent_id = $1', [
        intentId,
      ]);
      expect(purchase.status).toBe('expired');
      const status = await t.http
        .get(`/v1/checkout/sessions/${sessionId}`)
        .auth(user.accessToken, bearer)
        .expect(200);
      expect(status.body.status).toBe('expired');
    });
  });

  describe('customer.subscription.*', () => {
    it('tells the billing contact when a trial is about to end', async () => {
      const user = await registerUser(t.http);
      const { sessionId } = await checkout(user, 'subscription');
      const completed = stripe.completeCheckout(sessionId);
      const remote = stripe.subscriptions.get(completed.data.object.subscription as string)!;
      const trialEnd = Math.floor(Date.now() / 1000) + 3 * 86_400;
      await deliver(
        stripe.event('customer.subscription.trial_will_end', { ...remote, trial_end: trialEnd }),
      ).expect(200);
      const mail = await t.mail.waitFor(user.email, /standard trial ends soon/);
      expect(mail.text).toContain(new Date(trialEnd * 1000).toISOString().slice(0, 10));
    });

    it('records a failure (attempts, error) while Stripe cannot be read, and applies the event once when it is delivered again', async () => {
      const user = await registerUser(t.http);
      const { sessionId } = await checkout(user, 'subscription');
      const completed = stripe.completeCheckout(sessionId);
      const remote = stripe.subscriptions.get(completed.data.object.subscription as string)!;
      const event = stripe.event('customer.subscription.created', remote);
      await stripe.stop();
      try {
        const answer = await deliver(event);
        expect(answer.status).toBeGreaterThanOrEqual(500);
      } finally {
        await stripe.start();
      }
      const [failed] = await inbox(event.id);
      expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
      expect(failed.last_error).toContain('payment provider');
      await deliver(event).expect(200);
      await deliver(event).expect(200);
      expect(await inbox(event.id)).toEqual([
        { status: 'processed', attempts: 2, last_error: null },
      ]);
      expect(
        await db.query('SELECT tier FROM subscriptions WHERE stripe_subscription_id = $1', [
          remote.id,
        ]),
      ).toEqual([{ tier: 'standard' }]);
    });
  });
});
