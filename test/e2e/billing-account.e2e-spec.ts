import { DataSource } from 'typeorm';
import { addMember } from '../factories/organization.factory.js';
import { daysFromNow, insertSubscription } from '../factories/subscription.factory.js';
import { registerUser, type RegisteredUser } from '../factories/user.factory.js';
import { pdfText } from '../support/pdf-text.js';
import { StripeStub } from '../support/stripe/stripe-stub.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const bearer = { type: 'bearer' as const };

describe('Billing account: payment methods, invoices, purchases, portal, subscriptions (e2e)', () => {
  let t: TestApp;
  let stripe: StripeStub;
  let db: DataSource;

  beforeAll(async () => {
    stripe = await new StripeStub().start();
    t = await createTestApp(stripe.env());
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
    await stripe.stop();
  });

  const base = (user: RegisteredUser) => `/v1/organizations/${user.organizationId}`;
  const customerOf = async (user: RegisteredUser): Promise<string> =>
    (
      await db.query(
        'SELECT stripe_customer_id FROM billing_customers WHERE organization_id = $1',
        [user.organizationId],
      )
    )[0].stripe_customer_id;

  describe('payment methods', () => {
    it('attaches, lists, sets the default and detaches, all at Stripe on the organization customer', async () => {
      const user = await registerUser(t.http);
      await t.http
        .get(`${base(user)}/payment-methods`)
        .auth(user.accessToken, bearer)
        .expect(200, []);
      const card = stripe.createPaymentMethod('1881');
      const attached = await t.http
        .post(`${base(user)}/payment-methods`)
        .auth(user.accessToken, bearer)
        .send({ paymentMethodId: card.id })
        .expect(201);
      expect(attached.body).toMatchObject({
        id: card.id,
        brand: 'visa',
        last4: '1881',
        isDefault: false,
      });
      expect(stripe.paymentMethods.get(card.id)!.customer).toBe(await customerOf(user));

      await t.http
        .put(`${base(user)}/payment-methods/default`)
        .auth(user.accessToken, bearer)
        .send({ paymentMethodId: card.id })
        .expect(200);
      const listed = await t.http
        .get(`${base(user)}/payment-methods`)
        .auth(user.accessToken, bearer)
        .expect(200);
      expect(listed.body).toEqual([expect.objectContaining({ id: card.id, isDefault: true })]);

      await t.http
        .delete(`${base(user)}/payment-methods/${card.id}`)
        .auth(user.accessToken, bearer)
        .expect(204);
      await t.http
        .get(`${base(user)}/payment-methods`)
        .auth(user.accessToken, bearer)
        .expect(200, []);
    });

    it("answers 404 for another organization's payment method, and changes nothing", async () => {
      const alice = await registerUser(t.http);
      const mallory = await registerUser(t.http);
      const card = stripe.createPaymentMethod();
      await t.http
        .post(`${base(alice)}/payment-methods`)
        .auth(alice.accessToken, bearer)
        .send({ paymentMethodId: card.id })
        .expect(201);
      const aliceCustomer = await customerOf(alice);
      await t.http
        .post(`${base(mallory)}/payment-methods`)
        .auth(mallory.accessToken, bearer)
        .send({ paymentMethodId: card.id })
        .expect(404);
      await t.http
        .delete(`${base(mallory)}/payment-methods/${card.id}`)
        .auth(mallory.accessToken, bearer)
        .expect(404);
      await t.http
        .put(`${base(mallory)}/payment-methods/default`)
        .auth(mallory.accessToken, bearer)
        .send({ paymentMethodId: card.id })
        .expect(404);
      expect(stripe.paymentMethods.get(card.id)!.customer).toBe(aliceCustomer);
      await t.http
        .post(`${base(mallory)}/payment-methods`)
        .auth(mallory.accessToken, bearer)
        .send({ paymentMethodId: 'pm_unknown' })
        .expect(404);
      await t.http
        .post(`${base(mallory)}/payment-methods`)
        .auth(mallory.accessToken, bearer)
        .send({ paymentMethodId: 'card_1' })
        .expect(400);
    });

    it('is for billing members and above', async () => {
      const owner = await registerUser(t.http);
      const member = await registerUser(t.http);
      await addMember(db, owner.organizationId, member, 'member');
      await t.http
        .get(`${base(owner)}/payment-methods`)
        .auth(member.accessToken, bearer)
        .expect(403);
    });
  });

  describe('invoices', () => {
    it("lists and reads the organization's invoices with their links; another's are 404", async () => {
      const alice = await registerUser(t.http);
      const mallory = await registerUser(t.http);
      await t.http
        .post(`${base(alice)}/payment-methods`)
        .auth(alice.accessToken, bearer)
        .send({ paymentMethodId: stripe.createPaymentMethod().id })
        .expect(201);
      const invoice = stripe.createInvoice(await customerOf(alice), 2900);

      const list = await t.http
        .get(`${base(alice)}/invoices`)
        .auth(alice.accessToken, bearer)
        .expect(200);
      expect(list.body).toEqual([
        expect.objectContaining({
          id: invoice.id,
          total: 2900,
          currency: 'USD',
          status: 'paid',
          hostedInvoiceUrl: invoice.hosted_invoice_url,
          invoicePdf: invoice.invoice_pdf,
        }),
      ]);
      await t.http
        .get(`${base(alice)}/invoices/${invoice.id}`)
        .auth(alice.accessToken, bearer)
        .expect(200);
      await t.http
        .get(`${base(mallory)}/invoices`)
        .auth(mallory.accessToken, bearer)
        .expect(200, []);
      await t.http
        .post(`${base(mallory)}/billing-portal`)
        .auth(mallory.accessToken, bearer)
        .send({ returnUrl: 'https://app.example.com' })
        .expect(200);
      await t.http
        .get(`${base(mallory)}/invoices/${invoice.id}`)
        .auth(mallory.accessToken, bearer)
        .expect(404);
      await t.http
        .get(`${base(alice)}/invoices/in_missing`)
        .auth(alice.accessToken, bearer)
        .expect(404);
    });
  });

  describe('purchases and receipts', () => {
    it('lists purchases and renders a PDF receipt for a paid one only', async () => {
      const user = await registerUser(t.http);
      const checkout = await t.http
        .post(`${base(user)}/checkout/credits`)
        .auth(user.accessToken, bearer)
        .send({
          packKey: 'growth',
          successUrl: 'https://app.example.com/ok',
          cancelUrl: 'https://app.example.com/no',
        })
        .expect(201);
      const [purchase] = (
        await t.http
          .get(`${base(user)}/purchases`)
          .auth(user.accessToken, bearer)
          .expect(200)
      ).body;
      expect(purchase).toMatchObject({
        packKey: 'growth',
        credits: 5000,
        bonusCredits: 500,
        unitAmount: 4499,
        currency: 'USD',
        status: 'pending',
        paidAt: null,
      });
      await t.http
        .get(`${base(user)}/purchases/${purchase.id}/receipt.pdf`)
        .auth(user.accessToken, bearer)
        .expect(404);

      // What the webhook will do once Stripe confirms the payment (next issue).
      await db.query(
        `UPDATE purchases SET status = 'paid', paid_at = now(), stripe_payment_intent_id = 'pi_test_1' WHERE id = $1`,
        [purchase.id],
      );
      const pdf = await t.http
        .get(`${base(user)}/purchases/${purchase.id}/receipt.pdf`)
        .auth(user.accessToken, bearer)
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
      const text = pdfText(pdf.body as Buffer);
      for (const expected of [
        '5,000 + 500 bonus',
        'USD 44.99',
        checkout.body.sessionId,
        'pi_test_1',
      ]) {
        expect(text).toContain(expected);
      }
    });
  });

  describe('the Stripe customer', () => {
    it('takes the email of the member who last acted on billing, updating Stripe only on a change', async () => {
      const owner = await registerUser(t.http);
      const billing = await registerUser(t.http);
      await addMember(db, owner.organizationId, billing, 'billing');
      const portal = (user: RegisteredUser) =>
        t.http
          .post(`${base(owner)}/billing-portal`)
          .auth(user.accessToken, bearer)
          .send({ returnUrl: 'https://app.example.com' })
          .expect(200);
      await portal(owner);
      const customerId = await customerOf(owner);
      expect(stripe.customers.get(customerId)).toMatchObject({ email: owner.email });
      await portal(owner);
      expect(stripe.requestsTo('POST', `/v1/customers/${customerId}`)).toHaveLength(0);
      await portal(billing);
      expect(stripe.customers.get(customerId)).toMatchObject({ email: billing.email });
      expect(stripe.requestsTo('POST', `/v1/customers/${customerId}`)).toHaveLength(1);
    });

    it("follows the organization's name", async () => {
      const user = await registerUser(t.http);
      await t.http
        .post(`${base(user)}/billing-portal`)
        .auth(user.accessToken, bearer)
        .send({ returnUrl: 'https://app.example.com' })
        .expect(200);
      await t.http
        .patch(base(user))
        .auth(user.accessToken, bearer)
        .send({ name: 'Renamed Ltd' })
        .expect(200);
      await t.settled();
      expect(stripe.customers.get(await customerOf(user))).toMatchObject({ name: 'Renamed Ltd' });
    });
  });

  describe('billing portal', () => {
    it("returns a link to Stripe's customer portal", async () => {
      const user = await registerUser(t.http);
      const response = await t.http
        .post(`${base(user)}/billing-portal`)
        .auth(user.accessToken, bearer)
        .send({ returnUrl: 'https://app.example.com/billing' })
        .expect(200);
      expect(response.body.url).toMatch(/^https:\/\/billing\.stripe\.test\/p\/session\//);
      await t.http
        .post(`${base(user)}/billing-portal`)
        .auth(user.accessToken, bearer)
        .send({ returnUrl: 'nope' })
        .expect(400);
    });
  });

  describe('managing a subscription: cancel, resume, change', () => {
    async function subscribed(user: RegisteredUser) {
      await t.http
        .post(`${base(user)}/payment-methods`)
        .auth(user.accessToken, bearer)
        .send({ paymentMethodId: stripe.createPaymentMethod().id })
        .expect(201);
      const remote = stripe.createSubscription(await customerOf(user), {
        unitAmount: 2900,
        interval: 'month',
      });
      const id = await insertSubscription(db, user.organizationId, {
        stripeSubscriptionId: remote.id,
        tier: 'standard',
        currentPeriodEnd: daysFromNow(30),
      });
      return { id, remote };
    }

    it('cancels at the period end and resumes, at Stripe, audited and mailed', async () => {
      const user = await registerUser(t.http);
      const { id, remote } = await subscribed(user);
      const path = `${base(user)}/subscriptions/${id}`;
      const canceling = await t.http
        .post(`${path}/cancel`)
        .auth(user.accessToken, bearer)
        .send({ atPeriodEnd: true })
        .expect(200);
      expect(canceling.body).toMatchObject({
        status: 'active',
        cancelAtPeriodEnd: true,
        isActive: true,
      });
      expect(stripe.subscriptions.get(remote.id)!.cancel_at_period_end).toBe(true);
      await t.mail.waitFor(user.email, /subscription was canceled/);

      const resumed = await t.http
        .post(`${path}/resume`)
        .auth(user.accessToken, bearer)
        .expect(200);
      expect(resumed.body.cancelAtPeriodEnd).toBe(false);
      expect(stripe.subscriptions.get(remote.id)!.cancel_at_period_end).toBe(false);
      await t.http.post(`${path}/resume`).auth(user.accessToken, bearer).expect(409);
      const actions = await db.query<{ action: string }[]>(
        `SELECT action FROM audit_logs WHERE entity_type = 'SUBSCRIPTION' AND entity_id = $1 ORDER BY created_at`,
        [id],
      );
      expect(actions.map((a) => a.action)).toEqual(['CANCEL', 'REACTIVATE']);
    });

    it('applies an upgrade at once with proration, on the same Stripe product', async () => {
      const user = await registerUser(t.http);
      const { id, remote } = await subscribed(user);
      const response = await t.http
        .post(`${base(user)}/subscriptions/${id}/change`)
        .auth(user.accessToken, bearer)
        .send({ tier: 'pro', billingCycle: 'monthly' })
        .expect(200);
      expect(response.body).toMatchObject({
        tier: 'pro',
        billingCycle: 'monthly',
        pendingChange: null,
      });
      const [update] = stripe.requestsTo('POST', `/v1/subscriptions/${remote.id}`);
      expect(update.body).toMatchObject({
        proration_behavior: 'always_invoice',
        payment_behavior: 'pending_if_incomplete',
        items: [
          {
            price_data: {
              currency: 'usd',
              unit_amount: '19900',
              recurring: { interval: 'month' },
              product: (remote.items as { data: { price: { product: string } }[] }).data[0].price
                .product,
            },
          },
        ],
        metadata: { tier: 'pro', billingCycle: 'monthly' },
      });
      await t.mail.waitFor(user.email, /plan changes from standard \(monthly\) to pro \(monthly\)/);
    });

    it('schedules a downgrade for the period end and shows it as pendingChange', async () => {
      const user = await registerUser(t.http);
      const { id, remote } = await subscribed(user);
      const response = await t.http
        .post(`${base(user)}/subscriptions/${id}/change`)
        .auth(user.accessToken, bearer)
        .send({ tier: 'basic', billingCycle: 'monthly' })
        .expect(200);
      const periodEnd = (remote.items as { data: { current_period_end: number }[] }).data[0]
        .current_period_end;
      expect(response.body).toMatchObject({
        tier: 'standard',
        pendingChange: {
          tier: 'basic',
          billingCycle: 'monthly',
          effectiveAt: new Date(periodEnd * 1000).toISOString(),
        },
      });
      const schedule = [...stripe.schedules.values()].find((s) => s.subscription === remote.id)!;
      const phases = schedule.phases as {
        items: { price: string }[];
        metadata: Record<string, string>;
      }[];
      expect(phases).toHaveLength(2);
      expect(stripe.prices.get(phases[1].items[0].price)).toMatchObject({ unit_amount: 900 });
      expect(phases[1].metadata).toMatchObject({ tier: 'basic', billingCycle: 'monthly' });
      const listed = await t.http
        .get(`${base(user)}/subscriptions`)
        .auth(user.accessToken, bearer)
        .expect(200);
      expect(listed.body[0].pendingChange.tier).toBe('basic');
    });

    it('refuses the same plan (409) and a tier not for sale (400)', async () => {
      const user = await registerUser(t.http);
      const { id } = await subscribed(user);
      const path = `${base(user)}/subscriptions/${id}/change`;
      await t.http
        .post(path)
        .auth(user.accessToken, bearer)
        .send({ tier: 'standard', billingCycle: 'monthly' })
        .expect(409);
      const bad = await t.http
        .post(path)
        .auth(user.accessToken, bearer)
        .send({ tier: 'free', billingCycle: 'monthly' })
        .expect(400);
      expect(bad.body.errors[0].field).toBe('tier');
    });

    it('cancels at once', async () => {
      const user = await registerUser(t.http);
      const { id, remote } = await subscribed(user);
      const path = `${base(user)}/subscriptions/${id}`;
      const canceled = await t.http
        .post(`${path}/cancel`)
        .auth(user.accessToken, bearer)
        .send({ atPeriodEnd: false })
        .expect(200);
      expect(canceled.body).toMatchObject({ status: 'canceled', isActive: false });
      expect(stripe.subscriptions.get(remote.id)!.status).toBe('canceled');
      await t.http
        .post(`${path}/cancel`)
        .auth(user.accessToken, bearer)
        .send({ atPeriodEnd: true })
        .expect(409);
    });

    it("needs the billing role, a boolean, and the organization's own subscription", async () => {
      const user = await registerUser(t.http);
      const { id } = await subscribed(user);
      const member = await registerUser(t.http);
      await addMember(db, user.organizationId, member, 'member');
      await t.http
        .post(`${base(user)}/subscriptions/${id}/cancel`)
        .auth(member.accessToken, bearer)
        .send({ atPeriodEnd: true })
        .expect(403);
      await t.http
        .post(`${base(user)}/subscriptions/${id}/cancel`)
        .auth(user.accessToken, bearer)
        .send({ atPeriodEnd: 'yes' })
        .expect(400);
      const other = await registerUser(t.http);
      await t.http
        .post(`${base(other)}/subscriptions/${id}/cancel`)
        .auth(other.accessToken, bearer)
        .send({ atPeriodEnd: true })
        .expect(404);
    });
  });

  describe('subscriptions', () => {
    it('lists the subscriptions with isActive computed from status, trial and grace period', async () => {
      const user = await registerUser(t.http);
      await t.http
        .get(`${base(user)}/subscriptions`)
        .auth(user.accessToken, bearer)
        .expect(200, []);
      await insertSubscription(db, user.organizationId, {
        tier: 'standard',
        status: 'past_due',
        currentPeriodEnd: daysFromNow(-1),
        gracePeriodEnd: daysFromNow(6),
      });
      const response = await t.http
        .get(`${base(user)}/subscriptions`)
        .auth(user.accessToken, bearer)
        .expect(200);
      expect(response.body).toEqual([
        expect.objectContaining({
          tier: 'standard',
          status: 'past_due',
          isActive: true,
          cancelAtPeriodEnd: false,
          pendingChange: null,
        }),
      ]);
    });
  });
});
