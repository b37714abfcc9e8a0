import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { registerUser, type RegisteredUser } from '../factories/user.factory.js';
import { walletAndLedger, walletView } from '../factories/wallet.factory.js';
import { checkoutCreditPack } from '../support/stripe/buy-credits.js';
import { webhookDelivery } from '../support/stripe/deliver-webhook.js';
import { StripeStub, type StripeEvent } from '../support/stripe/stripe-stub.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const bearer = { type: 'bearer' as const };
const WEBHOOK_SECRET = 'whsec_credit_settlement';
const ADMIN_KEY = 'admin-key-for-credit-settlement-0123';

/**
 * Money and credits never part ways (DESIGN principle 2, API.md "Stripe delivers at least
 * once…"): a paid session is granted once whatever became of our intent, bank debits are
 * waited for, what leaves after it was spent becomes debt, disputes freeze. Every event is
 * delivered as Stripe might: twice at once, and once more as a duplicate with its own id.
 */
describe('Credits follow the money (e2e)', () => {
  let t: TestApp;
  let stripe: StripeStub;
  let db: DataSource;

  beforeAll(async () => {
    stripe = await new StripeStub().start();
    t = await createTestApp({
      ...stripe.env(),
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      INTERNAL_API_KEY: ADMIN_KEY,
      JOBS_ENABLED: 'false',
    });
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
    await stripe.stop();
  });

  const deliver = (event: StripeEvent) => webhookDelivery(t, stripe, WEBHOOK_SECRET)(event);
  /** Twice concurrently under its id and once more as a duplicate under another id. */
  async function deliverAsStripeMight(event: StripeEvent): Promise<void> {
    const duplicate = { ...event, id: `${event.id}_dup` };
    const answers = await Promise.all([deliver(event), deliver(event), deliver(duplicate)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
  }
  const admin = (path: string) => t.http.post(`/v1/admin${path}`).set('X-API-Key', ADMIN_KEY);

  const wallet = (user: RegisteredUser) => walletView(t.http, user);
  const charge = (user: RegisteredUser, amount: number) =>
    t.http
      .post(`/v1/organizations/${user.organizationId}/credits/charge`)
      .auth(user.accessToken, bearer)
      .set('Idempotency-Key', randomUUID())
      .send({ amount, feature: 'render' });
  const purchaseOf = async (user: RegisteredUser, intentId: string) => {
    const list = await t.http
      .get(`/v1/organizations/${user.organizationId}/purchases`)
      .auth(user.accessToken, bearer)
      .expect(200);
    const [{ id }] = await db.query('SELECT id FROM purchases WHERE intent_id = $1', [intentId]);
    return (list.body as { id: string; status: string }[]).find((p) => p.id === id)!;
  };
  const intentStatus = async (intentId: string) =>
    (await db.query('SELECT status FROM subscription_intents WHERE id = $1', [intentId]))[0]
      .status as string;
  const ledgerTypes = async (user: RegisteredUser) =>
    (
      await db.query(
        'SELECT type, amount FROM wallet_transactions WHERE organization_id = $1 ORDER BY seq',
        [user.organizationId],
      )
    ).map((row: { type: string; amount: number }) => [row.type, Number(row.amount)]);
  /** The intent's TTL (INTENT_TTL_MINUTES) has passed. */
  const passTtl = (intentId: string) =>
    db.query(
      `UPDATE subscription_intents SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [intentId],
    );

  /** A pack bought with a card, the completion delivered as Stripe might. */
  async function boughtPack(user: RegisteredUser, packKey: string) {
    const { sessionId } = await checkoutCreditPack(t, user, packKey);
    const completed = stripe.completeCheckout(sessionId);
    await deliverAsStripeMight(completed);
    return completed.data.object.payment_intent as string;
  }

  describe('a paid session is granted, once', () => {
    it('a pack paid after its intent expired is granted once, delivered three times and reconciled at the same time', async () => {
      const user = await registerUser(t.http);
      const { intentId, sessionId } = await checkoutCreditPack(t, user);
      // Stripe reports the session expired when our cleanup asks, so the intent expires…
      stripe.expireCheckout(sessionId);
      await passTtl(intentId);
      expect((await admin('/intents/cleanup').send({}).expect(200)).body.expiredCount).toBe(1);
      expect(await intentStatus(intentId)).toBe('expired');
      expect((await purchaseOf(user, intentId)).status).toBe('expired');

      // …and yet the money arrives (a delayed bank confirmation, a webhook held up by an outage).
      const completed = stripe.completeCheckout(sessionId);
      await db.query(
        `UPDATE purchases SET created_at = now() - interval '2 hours' WHERE intent_id = $1`,
        [intentId],
      );
      const [reconciled] = await Promise.all([
        admin('/jobs/reconciliation/run').expect(200),
        deliverAsStripeMight(completed),
      ]);
      expect(reconciled.body.ran).toBe(true);

      expect(await wallet(user)).toMatchObject({ balance: 1000, available: 1000, debt: 0 });
      expect(await ledgerTypes(user)).toEqual([['purchase', 1000]]);
      expect((await purchaseOf(user, intentId)).status).toBe('paid');
      expect(await intentStatus(intentId)).toBe('completed');
      const late = await db.query(
        `SELECT metadata FROM audit_logs WHERE entity_type = 'INTENT' AND entity_id = $1 AND action = 'LATE_GRANT'`,
        [intentId],
      );
      expect(late).toEqual([{ metadata: expect.objectContaining({ credits: 1000 }) }]);
      await t.settled();
      expect(
        t.mail.to(user.email).filter((m) => /1,000 credits added/.test(m.subject)),
      ).toHaveLength(1);
    });

    it('past its TTL an open session keeps its intent; a bank debit waits as processing and its success grants once', async () => {
      const user = await registerUser(t.http);
      const { intentId, sessionId } = await checkoutCreditPack(t, user);
      await passTtl(intentId);
      expect((await admin('/intents/cleanup').send({}).expect(200)).body.expiredCount).toBe(0);
      expect(await intentStatus(intentId)).toBe('pending');

      await deliverAsStripeMight(stripe.completeCheckout(sessionId, 'unpaid'));
      expect((await purchaseOf(user, intentId)).status).toBe('processing');
      expect(await wallet(user)).toMatchObject({ balance: 0 });
      // Days pass: the debit is still under way, so neither the job nor an operator expires it.
      expect((await admin('/intents/cleanup').send({}).expect(200)).body.expiredCount).toBe(0);
      expect((await purchaseOf(user, intentId)).status).toBe('processing');

      await deliverAsStripeMight(stripe.settleAsyncPayment(sessionId, true));
      expect(await wallet(user)).toMatchObject({ balance: 1000, available: 1000 });
      expect(await ledgerTypes(user)).toEqual([['purchase', 1000]]);
      expect((await purchaseOf(user, intentId)).status).toBe('paid');
    });

    it('a failed bank debit grants nothing, and reconciliation does not change that', async () => {
      const user = await registerUser(t.http);
      const { intentId, sessionId } = await checkoutCreditPack(t, user);
      await deliverAsStripeMight(stripe.completeCheckout(sessionId, 'unpaid'));
      await deliverAsStripeMight(stripe.settleAsyncPayment(sessionId, false));
      await db.query(
        `UPDATE purchases SET created_at = now() - interval '2 hours' WHERE intent_id = $1`,
        [intentId],
      );
      await admin('/jobs/reconciliation/run').expect(200);

      expect((await purchaseOf(user, intentId)).status).toBe('failed');
      expect(await intentStatus(intentId)).toBe('failed');
      expect(await wallet(user)).toMatchObject({ balance: 0, available: 0 });
      expect(await ledgerTypes(user)).toEqual([]);
    });
  });

  describe('what leaves after it was spent becomes debt', () => {
    it('a full refund after reserving everything leaves nothing spendable once the hold is released', async () => {
      const user = await registerUser(t.http);
      const paymentIntent = await boughtPack(user, 'starter');
      const held = await t.http
        .post(`/v1/organizations/${user.organizationId}/credits/reservations`)
        .auth(user.accessToken, bearer)
        .set('Idempotency-Key', randomUUID())
        .send({ amount: 1000, feature: 'render' })
        .expect(201);

      await deliverAsStripeMight(stripe.refund(paymentIntent, 999, 999));
      expect(await wallet(user)).toMatchObject({
        balance: 1000,
        held: 1000,
        debt: 1000,
        available: 0,
      });

      await t.http
        .post(
          `/v1/organizations/${user.organizationId}/credits/reservations/${held.body.id}/release`,
        )
        .auth(user.accessToken, bearer)
        .expect(200);
      expect(await wallet(user)).toMatchObject({ balance: 0, held: 0, debt: 0, available: 0 });
      expect((await charge(user, 1).expect(402)).body.code).toBe('INSUFFICIENT_CREDITS');
      expect(await walletAndLedger(db, user.organizationId)).toMatchObject({
        balance: 0,
        ledgerSum: 0,
      });
    });

    it('a refund after spending shows the debt, and the next pack pays it first', async () => {
      const user = await registerUser(t.http);
      const paymentIntent = await boughtPack(user, 'starter');
      await charge(user, 800).expect(200);

      await deliverAsStripeMight(stripe.refund(paymentIntent, 999, 999));
      expect(await wallet(user)).toMatchObject({ balance: 0, debt: 800, available: 0 });
      await charge(user, 1).expect(402);

      await boughtPack(user, 'growth'); // 5,500 credits
      expect(await wallet(user)).toMatchObject({ balance: 4700, debt: 0, available: 4700 });
      expect(await ledgerTypes(user)).toEqual([
        ['purchase', 1000],
        ['usage', -800],
        ['refund', -200],
        ['purchase', 5500],
        ['refund', -800],
      ]);
      expect(await walletAndLedger(db, user.organizationId)).toMatchObject({
        balance: 4700,
        ledgerSum: 4700,
      });
    });
  });

  describe('disputes', () => {
    it('freeze the credits of the disputed pack; won gives them back', async () => {
      const user = await registerUser(t.http);
      const paymentIntent = await boughtPack(user, 'growth');
      const opened = stripe.dispute(paymentIntent, 4499);
      await deliverAsStripeMight(opened);
      expect(await wallet(user)).toMatchObject({ balance: 5500, frozen: 5500, available: 0 });
      await charge(user, 1).expect(402);
      const open = await t.http
        .get('/v1/admin/disputes?status=open&perPage=100')
        .set('X-API-Key', ADMIN_KEY)
        .expect(200);
      expect(open.body.data).toContainEqual(
        expect.objectContaining({
          organizationId: user.organizationId,
          stripeDisputeId: opened.data.object.id,
          disputeStatus: 'open',
          frozenCredits: 5500,
        }),
      );

      await deliverAsStripeMight(stripe.closeDispute(opened, 'won'));
      expect(await wallet(user)).toMatchObject({ balance: 5500, frozen: 0, available: 5500 });
      const won = await t.http
        .get('/v1/admin/disputes?status=won&perPage=100')
        .set('X-API-Key', ADMIN_KEY)
        .expect(200);
      expect(won.body.data.map((d: { stripeDisputeId: string }) => d.stripeDisputeId)).toContain(
        opened.data.object.id,
      );
      // A late copy of the opening changes nothing once the bank has decided.
      await deliver({ ...opened, id: `${opened.id}_late` }).expect(200);
      expect(await wallet(user)).toMatchObject({ frozen: 0, available: 5500 });
      const actions = await db.query(
        `SELECT action FROM audit_logs WHERE entity_type = 'WALLET' AND entity_id = $1 ORDER BY created_at`,
        [user.organizationId],
      );
      expect(actions.map((row: { action: string }) => row.action)).toEqual(['FREEZE', 'UNFREEZE']);
      await t.settled();
      const mails = t.mail.to(user.email).filter((m) => /disputed credit purchase/.test(m.subject));
      expect(mails).toHaveLength(2);
    });

    it('lost takes back what is left and owes what was spent', async () => {
      const user = await registerUser(t.http);
      const paymentIntent = await boughtPack(user, 'growth');
      await charge(user, 500).expect(200);
      const opened = stripe.dispute(paymentIntent, 4499);
      await deliverAsStripeMight(opened);
      expect(await wallet(user)).toMatchObject({ balance: 5000, frozen: 5000, available: 0 });

      await deliverAsStripeMight(stripe.closeDispute(opened, 'lost'));
      expect(await wallet(user)).toMatchObject({
        balance: 0,
        frozen: 0,
        debt: 500,
        available: 0,
      });
      expect(await walletAndLedger(db, user.organizationId)).toMatchObject({
        balance: 0,
        ledgerSum: 0,
      });
      const [lost] = await db.query(
        `SELECT metadata FROM audit_logs WHERE entity_type = 'WALLET' AND entity_id = $1 AND action = 'DISPUTE_LOST'`,
        [user.organizationId],
      );
      expect(lost.metadata).toMatchObject({ disputed: 5500, taken: 5000, debt: 500 });
      // A refund Stripe reports afterwards for the same payment takes nothing more.
      await deliverAsStripeMight(stripe.refund(paymentIntent, 4499, 4499));
      expect(await wallet(user)).toMatchObject({ balance: 0, debt: 500 });
    });
  });
});
