import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import Stripe from 'stripe';
import { DomainError } from '../../common/errors/index.js';
import { billingConfig } from '../../config/billing.config.js';

const TIMEOUT_MS = 5_000;
const NETWORK_RETRIES = 2;

/**
 * The one door to Stripe. Configured from STRIPE_SECRET_KEY and STRIPE_API_BASE, with a short
 * timeout (the SDK waits 80 s by default) and the SDK's own network retries. Callers pass
 * idempotency keys derived from our ids on every call that creates or changes something, so a
 * retried request of ours never makes a second object at Stripe.
 */
@Injectable()
export class StripeService {
  private readonly logger = new Logger(StripeService.name);
  private readonly stripe: Stripe | null;
  private readonly webhookSecret?: string;

  constructor(@Inject(billingConfig.KEY) config: ConfigType<typeof billingConfig>) {
    this.webhookSecret = config.stripeWebhookSecret;
    const base = new URL(config.stripeApiBase);
    this.stripe = config.stripeSecretKey
      ? new Stripe(config.stripeSecretKey, {
          host: base.hostname,
          port: base.port || (base.protocol === 'https:' ? 443 : 80),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
          timeout: TIMEOUT_MS,
          maxNetworkRetries: NETWORK_RETRIES,
          appInfo: { name: 'subscription-service' },
        })
      : null;
  }

  /**
   * Verifies a webhook delivery against STRIPE_WEBHOOK_SECRET (Stripe's default tolerance of five
   * minutes) and returns its event; 400 INVALID_SIGNATURE for a missing, wrong or stale one.
   */
  verifyWebhook(rawBody: Buffer | undefined, signature: string | undefined): Stripe.Event {
    if (!this.webhookSecret)
      throw new DomainError('STRIPE_NOT_CONFIGURED', 'Webhooks are not configured on this service');
    if (!rawBody || !signature)
      throw new DomainError(
        'INVALID_SIGNATURE',
        'The Stripe-Signature header or the body is missing',
      );
    try {
      return webhookVerifier.webhooks.constructEvent(rawBody, signature, this.webhookSecret);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
        throw new DomainError(
          'INVALID_SIGNATURE',
          'The Stripe signature does not match this body, or is too old',
        );
      }
      throw error;
    }
  }

  get isConfigured(): boolean {
    return this.stripe !== null;
  }

  /** 503 STRIPE_NOT_CONFIGURED unless STRIPE_SECRET_KEY is set: checked before anything is written. */
  assertConfigured(): void {
    if (!this.stripe) throw notConfigured();
  }

  createCustomer(
    params: Stripe.CustomerCreateParams,
    idempotencyKey: string,
  ): Promise<Stripe.Customer> {
    return this.call('create a customer', (stripe) =>
      stripe.customers.create(params, { idempotencyKey }),
    );
  }

  createCheckoutSession(
    params: Stripe.Checkout.SessionCreateParams,
    idempotencyKey: string,
  ): Promise<Stripe.Checkout.Session> {
    return this.call('create a checkout session', (stripe) =>
      stripe.checkout.sessions.create(params, { idempotencyKey }),
    );
  }

  updateCustomer(
    customerId: string,
    params: Stripe.CustomerUpdateParams,
    idempotencyKey: string,
  ): Promise<Stripe.Customer> {
    return this.call('update the customer', (stripe) =>
      stripe.customers.update(customerId, params, { idempotencyKey }),
    );
  }

  retrieveCustomer(customerId: string): Promise<Stripe.Customer | Stripe.DeletedCustomer> {
    return this.call('read the customer', (stripe) => stripe.customers.retrieve(customerId));
  }

  listPaymentMethods(customerId: string): Promise<Stripe.PaymentMethod[]> {
    return this.call(
      'list payment methods',
      async (stripe) =>
        (await stripe.paymentMethods.list({ customer: customerId, limit: 100 })).data,
    );
  }

  retrievePaymentMethod(paymentMethodId: string): Promise<Stripe.PaymentMethod> {
    return this.call('read the payment method', (stripe) =>
      stripe.paymentMethods.retrieve(paymentMethodId),
    );
  }

  attachPaymentMethod(
    paymentMethodId: string,
    customerId: string,
    idempotencyKey: string,
  ): Promise<Stripe.PaymentMethod> {
    return this.call('attach the payment method', (stripe) =>
      stripe.paymentMethods.attach(paymentMethodId, { customer: customerId }, { idempotencyKey }),
    );
  }

  detachPaymentMethod(
    paymentMethodId: string,
    idempotencyKey: string,
  ): Promise<Stripe.PaymentMethod> {
    return this.call('detach the payment method', (stripe) =>
      stripe.paymentMethods.detach(paymentMethodId, {}, { idempotencyKey }),
    );
  }

  setDefaultPaymentMethod(
    customerId: string,
    paymentMethodId: string,
    idempotencyKey: string,
  ): Promise<Stripe.Customer> {
    return this.call('set the default payment method', (stripe) =>
      stripe.customers.update(
        customerId,
        { invoice_settings: { default_payment_method: paymentMethodId } },
        { idempotencyKey },
      ),
    );
  }

  listInvoices(customerId: string): Promise<Stripe.Invoice[]> {
    return this.call(
      'list invoices',
      async (stripe) => (await stripe.invoices.list({ customer: customerId, limit: 100 })).data,
    );
  }

  retrieveCheckoutSession(sessionId: string): Promise<Stripe.Checkout.Session> {
    return this.call('read the checkout session', (stripe) =>
      stripe.checkout.sessions.retrieve(sessionId),
    );
  }

  /** Every subscription of the customer, canceled ones included (reconciliation). */
  listSubscriptions(customerId: string): Promise<Stripe.Subscription[]> {
    return this.call('list subscriptions', (stripe) =>
      stripe.subscriptions
        .list({ customer: customerId, status: 'all' })
        .autoPagingToArray({ limit: 1000 }),
    );
  }

  /** Events Stripe failed to deliver to our endpoint since `since` (Stripe keeps 30 days). */
  listUndeliveredEvents(since: Date): Promise<Stripe.Event[]> {
    return this.call('list undelivered events', (stripe) =>
      stripe.events
        .list({ delivery_success: false, created: { gte: Math.floor(since.getTime() / 1000) } })
        .autoPagingToArray({ limit: 10_000 }),
    );
  }

  /**
   * Why the latest payment of an invoice failed, as the card network said it
   * (`insufficient_funds: Your card has insufficient funds.`); null when Stripe does not say.
   */
  async declineReasonOf(invoiceId: string): Promise<string | null> {
    const invoice = await this.call('read the invoice', (stripe) =>
      stripe.invoices.retrieve(invoiceId, { expand: ['payments.data.payment.payment_intent'] }),
    );
    const intents = (invoice.payments?.data ?? [])
      .map((payment) => payment.payment.payment_intent)
      .filter((intent): intent is Stripe.PaymentIntent => typeof intent === 'object');
    const error = intents.at(-1)?.last_payment_error;
    if (!error) return null;
    const code = error.decline_code ?? error.code;
    return [code, error.message].filter(Boolean).join(': ') || null;
  }

  retrieveInvoice(invoiceId: string): Promise<Stripe.Invoice> {
    return this.call('read the invoice', (stripe) => stripe.invoices.retrieve(invoiceId));
  }

  createPortalSession(
    customerId: string,
    returnUrl: string,
  ): Promise<Stripe.BillingPortal.Session> {
    return this.call('open the customer portal', (stripe) =>
      stripe.billingPortal.sessions.create({ customer: customerId, return_url: returnUrl }),
    );
  }

  /**
   * The subscription with what its state depends on expanded: the latest invoice (is a payment
   * owed?) and the schedule with its phases' prices (is a change coming at the period end?).
   */
  retrieveSubscription(subscriptionId: string): Promise<Stripe.Subscription> {
    return this.call('read the subscription', (stripe) =>
      stripe.subscriptions.retrieve(subscriptionId, {
        expand: ['latest_invoice', 'schedule.phases.items.price'],
      }),
    );
  }

  /**
   * Expires an open Checkout Session so it can no longer be paid. False when it is no longer
   * open (Stripe refuses): completed or expired already.
   */
  async expireCheckoutSession(sessionId: string): Promise<boolean> {
    const session = await this.retrieveCheckoutSession(sessionId);
    if (session.status !== 'open') return false;
    await this.call('expire the checkout session', (stripe) =>
      stripe.checkout.sessions.expire(sessionId, {}, { idempotencyKey: `expire:${sessionId}` }),
    );
    return true;
  }

  /**
   * Swaps the subscription's item for another price now and invoices the prorated difference at
   * once; with `pending_if_incomplete` Stripe applies the new price only once that invoice is
   * paid (else the answer carries `pending_update` and the old price stays).
   */
  changeSubscriptionPrice(
    subscriptionId: string,
    itemId: string,
    price: Stripe.SubscriptionUpdateParams.Item['price_data'] | string,
    metadata: Record<string, string>,
    idempotencyKey: string,
  ): Promise<Stripe.Subscription> {
    const item =
      typeof price === 'string' ? { id: itemId, price } : { id: itemId, price_data: price };
    return this.call('change the subscription', (stripe) =>
      stripe.subscriptions.update(
        subscriptionId,
        {
          items: [item],
          proration_behavior: 'always_invoice',
          payment_behavior: 'pending_if_incomplete',
          metadata,
        },
        { idempotencyKey },
      ),
    );
  }

  /**
   * Schedules a price change for the end of the current period: the subscription's schedule keeps
   * the current phase and adds one with the new price (Stripe applies it at the boundary). Every
   * phase carries `metadata` naming its plan, which Stripe copies onto the subscription when the
   * phase starts.
   */
  async scheduleSubscriptionPrice(
    subscription: Stripe.Subscription,
    price: Stripe.SubscriptionScheduleUpdateParams.Phase.Item['price_data'] | string,
    metadata: Record<string, string>,
    idempotencyKey: string,
  ): Promise<Stripe.SubscriptionSchedule> {
    return this.call('schedule the change', async (stripe) => {
      const existing =
        typeof subscription.schedule === 'string'
          ? subscription.schedule
          : subscription.schedule?.id;
      const schedule = existing
        ? await stripe.subscriptionSchedules.retrieve(existing)
        : await stripe.subscriptionSchedules.create(
            { from_subscription: subscription.id },
            { idempotencyKey: `${idempotencyKey}:create` },
          );
      const current = schedule.phases[0];
      const currentPrice = current.items[0].price;
      const next = typeof price === 'string' ? { price } : { price_data: price };
      return stripe.subscriptionSchedules.update(
        schedule.id,
        {
          end_behavior: 'release',
          phases: [
            {
              items: [{ price: typeof currentPrice === 'string' ? currentPrice : currentPrice.id }],
              start_date: current.start_date,
              end_date: current.end_date,
              metadata: subscription.metadata,
            },
            { items: [next], duration: { interval: 'month', interval_count: 1 }, metadata },
          ],
        },
        { idempotencyKey: `${idempotencyKey}:update` },
      );
    });
  }

  /** Sets or clears cancellation at the period end. */
  setCancelAtPeriodEnd(
    subscriptionId: string,
    cancelAtPeriodEnd: boolean,
    idempotencyKey: string,
  ): Promise<Stripe.Subscription> {
    return this.call('update the subscription', (stripe) =>
      stripe.subscriptions.update(
        subscriptionId,
        { cancel_at_period_end: cancelAtPeriodEnd },
        { idempotencyKey },
      ),
    );
  }

  cancelSubscriptionNow(
    subscriptionId: string,
    idempotencyKey: string,
  ): Promise<Stripe.Subscription> {
    return this.call('cancel the subscription', (stripe) =>
      stripe.subscriptions.cancel(subscriptionId, {}, { idempotencyKey }),
    );
  }

  /**
   * Runs one SDK call and turns Stripe's failures into our errors: not configured is 503
   * STRIPE_NOT_CONFIGURED, unreachable or failing is 503 DEPENDENCY_UNAVAILABLE, an unknown
   * object is 404. Anything else is a bug of ours and stays a 500.
   */
  private async call<T>(what: string, work: (stripe: Stripe) => Promise<T>): Promise<T> {
    if (!this.stripe)
      throw new DomainError('STRIPE_NOT_CONFIGURED', 'Payments are not configured on this service');
    try {
      return await work(this.stripe);
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeError)) throw error;
      if (
        error instanceof Stripe.errors.StripeInvalidRequestError &&
        error.code === 'resource_missing'
      ) {
        throw new DomainError('NOT_FOUND', 'No such object at the payment provider');
      }
      this.logger.warn(
        { err: { type: error.type, code: error.code, message: error.message } },
        `Stripe failed to ${what}`,
      );
      throw new DomainError(
        'DEPENDENCY_UNAVAILABLE',
        `The payment provider could not ${what}; try again shortly`,
      );
    }
  }
}

const notConfigured = () =>
  new DomainError('STRIPE_NOT_CONFIGURED', 'Payments are not configured on this service');

/** Signature checks need no API key; this instance is only used for them. */
const webhookVerifier = new Stripe('sk_webhook_verification_only');
