import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import qs from 'qs';
import Stripe from 'stripe';

export type StripeObject = Record<string, unknown> & { id: string };

/**
 * Stripe's own example objects, the shapes we build on: a copy of ../shared/stripe/fixtures.json
 * (from Stripe's public OpenAPI repository, stripe/openapi fixtures3.json, MIT licence), kept in
 * the repository so the tests do not depend on where the checkout sits.
 */
const FIXTURES = JSON.parse(
  readFileSync(new URL('./fixtures.json', import.meta.url), 'utf8'),
) as Record<string, Record<string, unknown>>;

/** Only used for its webhook test helpers, which need no key. */
const stripeSdk = new Stripe('sk_test_unused');

export interface StripeEvent {
  id: string;
  object: 'event';
  type: string;
  created: number;
  api_version: string;
  livemode: boolean;
  pending_webhooks: number;
  request: { id: null; idempotency_key: null };
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, any>;
  idempotencyKey: string | undefined;
}

const newId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;
/** The stand-in's clock: real time plus what tests advanced it by (see `advance`). */
let clockOffset = 0;
const now = () => Math.floor(Date.now() / 1000) + clockOffset;
type Item = Record<string, any>;

/**
 * A Stripe stand-in for the end-to-end tests: an HTTP server that speaks Stripe's REST dialect
 * (form-encoded nested parameters in, JSON objects with Stripe-like ids out, Stripe's error JSON
 * for unknown ids and bad keys, idempotent replays) for every call the service makes. The real
 * `stripe` SDK talks to it through STRIPE_API_BASE.
 */
export class StripeStub {
  readonly secretKey = `sk_test_${randomBytes(8).toString('hex')}`;
  readonly requests: RecordedRequest[] = [];
  readonly customers = new Map<string, StripeObject>();
  readonly sessions = new Map<string, StripeObject>();
  readonly paymentMethods = new Map<string, StripeObject>();
  readonly invoices = new Map<string, StripeObject>();
  readonly subscriptions = new Map<string, StripeObject>();
  readonly schedules = new Map<string, StripeObject>();
  readonly prices = new Map<string, StripeObject>();
  /** Why the last payment of an invoice was declined (its PaymentIntent's `last_payment_error`). */
  readonly declines = new Map<string, Record<string, string>>();
  /** Customers whose next payments are declined (their card fails). */
  readonly declining = new Set<string>();
  private readonly chargeIds = new Map<string, string>();
  /** Events Stripe could not deliver to the endpoint (what `delivery_success=false` lists). */
  readonly undelivered: StripeEvent[] = [];
  private readonly replays = new Map<string, { status: number; body: unknown }>();
  private server?: Server;
  private port = 0;

  async start(port = this.port): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops answering (connections are refused) until start() again, on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  env(): Record<string, string> {
    return { STRIPE_SECRET_KEY: this.secretKey, STRIPE_API_BASE: `http://127.0.0.1:${this.port}` };
  }

  /** Moves the stand-in's clock forward: later events carry a later `created`. */
  advance(seconds: number): void {
    clockOffset += seconds;
  }

  // ----- What Stripe does next, and the signed events it would deliver -----

  /** The customer pays (or starts paying) on the Checkout page. */
  completeCheckout(
    sessionId: string,
    paymentStatus: 'paid' | 'unpaid' | 'no_payment_required' = 'paid',
  ): StripeEvent {
    const session = this.mustGet(this.sessions, sessionId);
    session.status = 'complete';
    session.payment_status = paymentStatus;
    if (session.mode === 'subscription') {
      const item = (session.line_items_requested as Record<string, any>[])[0].price_data as Record<
        string,
        any
      >;
      const subscriptionData = (session.subscription_data ?? {}) as Record<string, any>;
      const subscription = this.createSubscription(session.customer as string, {
        unitAmount: Number(item.unit_amount),
        interval: item.recurring.interval as 'month' | 'year',
        currency: item.currency as string,
        status: subscriptionData.trial_period_days ? 'trialing' : 'active',
      });
      subscription.metadata = subscriptionData.metadata ?? {};
      if (subscriptionData.trial_period_days) {
        subscription.trial_end = now() + Number(subscriptionData.trial_period_days) * 86_400;
        subscription.trial_start = now();
      }
      const trial = Boolean(subscriptionData.trial_period_days);
      subscription.latest_invoice = this.subscriptionInvoice(subscription, {
        billing_reason: 'subscription_create',
        ...(trial ? { total: 0, amount_due: 0, amount_paid: 0 } : {}),
      }).id;
      session.subscription = subscription.id;
    } else {
      session.payment_intent = newId('pi');
    }
    return this.event('checkout.session.completed', publicView(session));
  }

  /**
   * The bank confirms, or refuses, the asynchronous payment (a SEPA or ACH debit) of a session
   * that completed unpaid: days later, as `checkout.session.async_payment_succeeded|failed`.
   */
  settleAsyncPayment(sessionId: string, succeeds: boolean): StripeEvent {
    const session = this.mustGet(this.sessions, sessionId);
    if (succeeds) session.payment_status = 'paid';
    const type = `checkout.session.async_payment_${succeeds ? 'succeeded' : 'failed'}`;
    return this.event(type, publicView(session));
  }

  /** The Checkout page was left until it expired. */
  expireCheckout(sessionId: string): StripeEvent {
    const session = this.mustGet(this.sessions, sessionId);
    session.status = 'expired';
    return this.event('checkout.session.expired', publicView(session));
  }

  /**
   * The period ends. A subscription set to cancel ends; otherwise a new period starts (moving to
   * the schedule's next phase, whose metadata Stripe copies onto the subscription) and its
   * invoice is paid, or fails when `options.fail` or the customer's card is declined.
   */
  renew(subscriptionId: string, options: { fail?: boolean } = {}): StripeEvent[] {
    const subscription = this.mustGet(this.subscriptions, subscriptionId);
    if (subscription.cancel_at_period_end) return [this.cancel(subscriptionId)];
    const item = (subscription.items as { data: Item[] }).data[0];
    const previous = { current_period_end: item.current_period_end };
    const length = Number(item.current_period_end) - Number(item.current_period_start);
    item.current_period_start = item.current_period_end;
    item.current_period_end = Number(item.current_period_end) + length;
    this.enterNextPhase(subscription, item);
    const fails = options.fail ?? this.declining.has(subscription.customer as string);
    subscription.status = fails ? 'past_due' : 'active';
    const invoice = this.subscriptionInvoice(
      subscription,
      fails ? this.failedAttempt(1) : { billing_reason: 'subscription_cycle' },
    );
    subscription.latest_invoice = invoice.id;
    if (fails) this.decline(invoice);
    return [
      this.event('customer.subscription.updated', subscription, {
        items: { data: [{ ...item, ...previous }] },
        ...(fails ? { status: 'active' } : {}),
      }),
      this.event(fails ? 'invoice.payment_failed' : 'invoice.paid', invoice),
    ];
  }

  /** The renewal payment fails: the subscription goes past due. */
  failPayment(subscriptionId: string): StripeEvent[] {
    return this.renew(subscriptionId, { fail: true });
  }

  /** Stripe retries the open invoice of a past-due subscription (Smart Retries). */
  retryPayment(subscriptionId: string, succeeds: boolean): StripeEvent[] {
    const subscription = this.mustGet(this.subscriptions, subscriptionId);
    const invoice = this.mustGet(this.invoices, subscription.latest_invoice as string);
    if (invoice.status !== 'open') throw new Error(`${invoice.id} is not open`);
    invoice.attempt_count = Number(invoice.attempt_count) + 1;
    if (!succeeds) {
      invoice.next_payment_attempt = now() + 3 * 86_400;
      this.decline(invoice);
      return [this.event('invoice.payment_failed', invoice)];
    }
    Object.assign(invoice, {
      status: 'paid',
      amount_paid: invoice.amount_due,
      next_payment_attempt: null,
    });
    subscription.status = 'active';
    return [
      this.event('invoice.paid', invoice),
      this.event('customer.subscription.updated', subscription, { status: 'past_due' }),
    ];
  }

  /** A trial ends: its first real invoice is paid (or declined). */
  endTrial(subscriptionId: string, succeeds = true): StripeEvent[] {
    const subscription = this.mustGet(this.subscriptions, subscriptionId);
    subscription.status = succeeds ? 'active' : 'past_due';
    subscription.trial_end = now();
    const invoice = this.subscriptionInvoice(
      subscription,
      succeeds ? { billing_reason: 'subscription_cycle' } : this.failedAttempt(1),
    );
    subscription.latest_invoice = invoice.id;
    if (!succeeds) this.decline(invoice);
    return [
      this.event('customer.subscription.updated', subscription, { status: 'trialing' }),
      this.event(succeeds ? 'invoice.paid' : 'invoice.payment_failed', invoice),
    ];
  }

  /** The customer switches the plan in the customer portal (or support does in the Dashboard). */
  switchPrice(
    subscriptionId: string,
    price: { unitAmount: number; interval: 'month' | 'year'; currency?: string },
  ): StripeEvent {
    const subscription = this.mustGet(this.subscriptions, subscriptionId);
    const item = (subscription.items as { data: Item[] }).data[0];
    item.price = this.createPrice({
      ...price,
      currency: price.currency ?? (subscription.currency as string),
    });
    return this.event('customer.subscription.updated', subscription);
  }

  /** The customer cancels at the period end in the portal, or takes it back. */
  setCancelAtPeriodEnd(subscriptionId: string, cancel: boolean): StripeEvent {
    const subscription = this.mustGet(this.subscriptions, subscriptionId);
    subscription.cancel_at_period_end = cancel;
    return this.event('customer.subscription.updated', subscription, {
      cancel_at_period_end: !cancel,
    });
  }

  /** The subscription ends now (the Dashboard, or Stripe after the last failed retry). */
  cancel(subscriptionId: string): StripeEvent {
    const subscription = this.mustGet(this.subscriptions, subscriptionId);
    Object.assign(subscription, {
      status: 'canceled',
      canceled_at: now(),
      ended_at: now(),
      cancel_at_period_end: false,
    });
    return this.event('customer.subscription.deleted', subscription);
  }

  /** A change for the period end made outside our API (the portal): a schedule without our metadata. */
  scheduleChange(
    subscriptionId: string,
    price: { unitAmount: number; interval: 'month' | 'year' },
    metadata: Record<string, string> = {},
  ): StripeEvent {
    const subscription = this.mustGet(this.subscriptions, subscriptionId);
    const [, schedule] = this.schedule('POST', undefined, { from_subscription: subscriptionId });
    const item = (subscription.items as { data: Item[] }).data[0];
    const next = this.createPrice({ ...price, currency: subscription.currency as string });
    (schedule as StripeObject).phases = [
      ...((schedule as StripeObject).phases as Item[]),
      { start_date: item.current_period_end, items: [{ price: next.id, quantity: 1 }], metadata },
    ];
    return this.event('customer.subscription.updated', subscription);
  }

  /** A subscription made in the Dashboard for one of our customers, outside our checkout. */
  createOutsideSubscription(
    customer: string,
    price: { unitAmount: number; interval: 'month' | 'year'; currency?: string },
  ): StripeEvent {
    const subscription = this.createSubscription(customer, price);
    subscription.latest_invoice = this.subscriptionInvoice(subscription, {
      billing_reason: 'subscription_create',
    }).id;
    return this.event('customer.subscription.created', subscription);
  }

  private decline(invoice: StripeObject): void {
    this.declines.set(invoice.id, {
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    });
  }

  private failedAttempt(attempts: number): Record<string, unknown> {
    return {
      status: 'open',
      amount_paid: 0,
      attempt_count: attempts,
      next_payment_attempt: now() + 3 * 86_400,
      billing_reason: 'subscription_cycle',
    };
  }

  /** At a period boundary, a schedule's next phase becomes the subscription's price. */
  private enterNextPhase(subscription: StripeObject, item: Item): void {
    const schedule = subscription.schedule
      ? this.schedules.get(subscription.schedule as string)
      : undefined;
    const phases = (schedule?.phases ?? []) as Item[];
    const next = phases.find(
      (phase) =>
        Number(phase.start_date) <= Number(item.current_period_start) && phase !== phases[0],
    );
    if (!schedule || !next) return;
    item.price = this.priceObject(next.items[0].price);
    if (next.metadata && Object.keys(next.metadata).length > 0)
      subscription.metadata = next.metadata;
    // end_behavior "release": the schedule lets go of the subscription after its last phase.
    schedule.status = 'released';
    subscription.schedule = null;
  }

  /**
   * A payment is refunded, in part or in full. As Stripe's, `amount_refunded` is cumulative and
   * the charge keeps its id across the refunds of one payment.
   */
  refund(paymentIntentId: string, amount: number, total: number, currency = 'usd'): StripeEvent {
    const charge = {
      ...FIXTURES.charge,
      id: this.chargeIds.get(paymentIntentId) ?? newId('ch'),
      object: 'charge',
      payment_intent: paymentIntentId,
      amount: total,
      amount_refunded: amount,
      refunded: amount >= total,
      currency,
      created: now(),
      livemode: false,
    };
    this.chargeIds.set(paymentIntentId, charge.id);
    return this.event('charge.refunded', charge);
  }

  /** The cardholder disputes `amount` of a payment: `charge.dispute.created`. */
  dispute(paymentIntentId: string, amount: number, currency = 'usd'): StripeEvent {
    const charge = this.chargeIds.get(paymentIntentId) ?? newId('ch');
    this.chargeIds.set(paymentIntentId, charge);
    return this.event('charge.dispute.created', {
      id: newId('dp'),
      object: 'dispute',
      charge,
      payment_intent: paymentIntentId,
      amount,
      currency,
      reason: 'fraudulent',
      status: 'needs_response',
      created: now(),
      livemode: false,
    });
  }

  /** The bank decides a dispute: `charge.dispute.closed`, `won` or `lost`. */
  closeDispute(created: StripeEvent, outcome: 'won' | 'lost'): StripeEvent {
    return this.event('charge.dispute.closed', { ...created.data.object, status: outcome });
  }

  /** An event as Stripe delivers it. */
  event(
    type: string,
    object: Record<string, unknown>,
    previousAttributes?: Record<string, unknown>,
  ): StripeEvent {
    return {
      id: newId('evt'),
      object: 'event',
      type,
      created: now(),
      api_version: '2026-08-27',
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: {
        object: structuredClone(object),
        ...(previousAttributes ? { previous_attributes: previousAttributes } : {}),
      },
    };
  }

  /** The body and Stripe-Signature header of a delivery, signed with the endpoint's secret. */
  sign(
    event: StripeEvent,
    secret: string,
    timestamp?: number,
  ): { body: string; signature: string } {
    const body = JSON.stringify(event);
    return {
      body,
      signature: stripeSdk.webhooks.generateTestHeaderString({ payload: body, secret, timestamp }),
    };
  }

  /** The invoice of a subscription's current period (the current API names it under `parent`). */
  private subscriptionInvoice(
    subscription: StripeObject,
    overrides: Record<string, unknown> = {},
  ): StripeObject {
    const item = (subscription.items as { data: Record<string, any>[] }).data[0];
    const invoice = this.createInvoice(
      subscription.customer as string,
      Number(item.price.unit_amount),
      subscription.currency as string,
    );
    return Object.assign(invoice, overrides, {
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: subscription.id, metadata: subscription.metadata },
      },
    });
  }

  private mustGet(store: Map<string, StripeObject>, id: string): StripeObject {
    const found = store.get(id);
    if (!found) throw new Error(`The Stripe stand-in has no ${id}`);
    return found;
  }

  /** A card as Stripe.js would create it in the browser: not yet attached to anyone. */
  createPaymentMethod(last4 = '4242'): StripeObject {
    const method = {
      ...FIXTURES.payment_method,
      id: newId('pm'),
      created: now(),
      customer: null,
      card: { ...(FIXTURES.payment_method.card as object), last4 },
      livemode: false,
    };
    this.paymentMethods.set(method.id, method);
    return method;
  }

  /** A subscription as Stripe creates it when a subscription checkout completes. */
  createSubscription(
    customer: string,
    options: { unitAmount: number; interval: 'month' | 'year'; currency?: string; status?: string },
  ): StripeObject {
    const id = newId('sub');
    const start = now();
    const end = start + (options.interval === 'month' ? 30 : 365) * 86_400;
    const [fixtureItem] = (FIXTURES.subscription.items as { data: Record<string, unknown>[] }).data;
    const item = {
      ...fixtureItem,
      id: newId('si'),
      subscription: id,
      current_period_start: start,
      current_period_end: end,
      price: this.createPrice({ ...options, currency: options.currency ?? 'usd' }),
    };
    const subscription = {
      ...FIXTURES.subscription,
      id,
      customer,
      created: start,
      start_date: start,
      status: options.status ?? 'active',
      cancel_at_period_end: false,
      canceled_at: null,
      ended_at: null,
      trial_end: null,
      schedule: null,
      latest_invoice: null,
      pending_update: null,
      metadata: {},
      currency: options.currency ?? 'usd',
      items: {
        object: 'list',
        data: [item],
        has_more: false,
        url: `/v1/subscription_items?subscription=${id}`,
      },
      livemode: false,
    };
    this.subscriptions.set(id, subscription);
    return subscription;
  }

  /** A recurring price, kept so that ids can be expanded. */
  createPrice(options: {
    unitAmount: number;
    interval: string;
    currency: string;
    product?: string;
  }): StripeObject {
    const price = {
      ...FIXTURES.price,
      object: 'price',
      id: newId('price'),
      currency: options.currency,
      unit_amount: options.unitAmount,
      lookup_key: null,
      product: options.product ?? newId('prod'),
      recurring: {
        interval: options.interval,
        interval_count: 1,
        usage_type: 'licensed',
        meter: null,
        trial_period_days: null,
      },
      livemode: false,
    };
    this.prices.set(price.id, price);
    return price;
  }

  private priceObject(price: unknown): StripeObject {
    return typeof price === 'string' ? this.mustGet(this.prices, price) : (price as StripeObject);
  }

  /** An invoice Stripe issued to a customer (as a subscription renewal would). */
  createInvoice(customer: string, total: number, currency = 'usd'): StripeObject {
    const id = newId('in');
    const invoice = {
      ...FIXTURES.invoice,
      id,
      customer,
      created: now(),
      currency,
      total,
      amount_due: total,
      amount_paid: total,
      attempt_count: 1,
      next_payment_attempt: null,
      status_transitions: {
        finalized_at: now(),
        paid_at: now(),
        marked_uncollectible_at: null,
        voided_at: null,
      },
      status: 'paid',
      number: `INV-${id.slice(-6)}`,
      hosted_invoice_url: `https://invoice.stripe.test/i/${id}`,
      invoice_pdf: `https://invoice.stripe.test/i/${id}/pdf`,
      livemode: false,
    };
    this.invoices.set(id, invoice);
    return invoice;
  }

  requestsTo(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stripe');
    const raw = req.method === 'GET' ? url.search.slice(1) : await readBody(req);
    const body = qs.parse(raw, { depth: 10, arrayLimit: 100 }) as Record<string, any>;
    const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, body, idempotencyKey });

    if (req.headers.authorization !== `Bearer ${this.secretKey}`) {
      return send(
        res,
        401,
        stripeError('invalid_request_error', undefined, 'Invalid API Key provided'),
      );
    }
    const replayKey = idempotencyKey && `${req.method} ${url.pathname} ${idempotencyKey}`;
    const replay = replayKey ? this.replays.get(replayKey) : undefined;
    if (replay) return send(res, replay.status, replay.body, { 'Idempotent-Replayed': 'true' });

    const [status, payload] = this.route(req.method ?? 'GET', url.pathname, body);
    if (replayKey && req.method === 'POST') this.replays.set(replayKey, { status, body: payload });
    send(res, status, payload);
  }

  private route(method: string, path: string, body: Record<string, any>): [number, unknown] {
    const [, version, resource, id, sub] = path.split('/');
    if (version !== 'v1')
      return [
        404,
        stripeError(
          'invalid_request_error',
          'resource_missing',
          `Unrecognized request URL (${method}: ${path})`,
        ),
      ];
    if (resource === 'customers') return this.customer(method, id, body);
    if (resource === 'checkout' && id === 'sessions')
      return this.checkoutSession(method, sub, body, path.split('/')[5]);
    if (resource === 'payment_methods') return this.paymentMethod(method, id, sub, body);
    if (resource === 'invoices') return this.invoice(id, body);
    if (resource === 'subscriptions') return this.subscription(method, id, body);
    if (resource === 'subscription_schedules') return this.schedule(method, id, body);
    if (resource === 'events' && method === 'GET') {
      const data = body.delivery_success === 'false' ? [...this.undelivered].reverse() : [];
      return [200, list('/v1/events', data)];
    }
    if (resource === 'billing_portal' && id === 'sessions' && method === 'POST')
      return this.portalSession(body);
    return [
      404,
      stripeError(
        'invalid_request_error',
        'resource_missing',
        `Unrecognized request URL (${method}: ${path})`,
      ),
    ];
  }

  private paymentMethod(
    method: string,
    id: string | undefined,
    action: string | undefined,
    body: Record<string, any>,
  ): [number, unknown] {
    if (!id) {
      const data = [...this.paymentMethods.values()].filter((pm) => pm.customer === body.customer);
      return [200, list('/v1/payment_methods', data)];
    }
    const pm = this.paymentMethods.get(id);
    if (!pm) return [404, missing('payment_method', id)];
    if (method === 'POST' && action === 'attach') {
      if (!this.customers.has(body.customer as string))
        return [400, missing('customer', body.customer as string)];
      if (pm.customer && pm.customer !== body.customer) {
        return [
          400,
          stripeError(
            'invalid_request_error',
            'payment_method_unexpected_state',
            'The payment method you provided has already been attached to a customer.',
          ),
        ];
      }
      pm.customer = body.customer;
    }
    if (method === 'POST' && action === 'detach') {
      if (!pm.customer) {
        return [
          400,
          stripeError(
            'invalid_request_error',
            'payment_method_unexpected_state',
            'The payment method is not attached to a customer.',
          ),
        ];
      }
      pm.customer = null;
    }
    return [200, pm];
  }

  private subscription(
    method: string,
    id: string | undefined,
    body: Record<string, any>,
  ): [number, unknown] {
    if (!id && method === 'GET') {
      const data = [...this.subscriptions.values()].filter((sub) => sub.customer === body.customer);
      return [200, list('/v1/subscriptions', data)];
    }
    const subscription = id ? this.subscriptions.get(id) : undefined;
    if (!subscription) return [404, missing('subscription', id)];
    if (method === 'GET')
      return [200, this.expand(subscription, body.expand as string[] | undefined)];
    if (method === 'POST' && Array.isArray(body.items)) {
      const items = (subscription.items as { data: Item[] }).data;
      for (const change of body.items as Item[]) {
        if (!items.some((candidate) => candidate.id === change.id))
          return [400, missing('subscription_item', change.id as string)];
      }
      // pending_if_incomplete: a declined proration payment leaves the old price in place.
      if (
        body.payment_behavior === 'pending_if_incomplete' &&
        this.declining.has(subscription.customer as string)
      ) {
        subscription.pending_update = {
          expires_at: now() + 82_800,
          subscription_items: body.items,
        };
        // The proration invoice stays open, its payment declined, as Stripe leaves it.
        const invoice = this.subscriptionInvoice(subscription, {
          ...this.failedAttempt(1),
          billing_reason: 'subscription_update',
        });
        subscription.latest_invoice = invoice.id;
        this.decline(invoice);
        return [200, subscription];
      }
      for (const change of body.items as Item[]) {
        const item = items.find((candidate) => candidate.id === change.id)!;
        item.price = this.priceFrom(change, item.price as Item);
      }
      subscription.pending_update = null;
      if (body.metadata) subscription.metadata = body.metadata;
      if (body.proration_behavior === 'always_invoice') {
        subscription.latest_invoice = this.subscriptionInvoice(subscription, {
          billing_reason: 'subscription_update',
        }).id;
      }
    }
    if (method === 'POST' && 'cancel_at_period_end' in body) {
      subscription.cancel_at_period_end = body.cancel_at_period_end === 'true';
    }
    if (method === 'DELETE') {
      Object.assign(subscription, {
        status: 'canceled',
        canceled_at: now(),
        ended_at: now(),
        cancel_at_period_end: false,
      });
    }
    return [200, subscription];
  }

  /** `expand[]` as Stripe reads it, for the paths the service asks for. */
  private expand(subscription: StripeObject, paths: string[] = []): StripeObject {
    const view: StripeObject = structuredClone(subscription);
    if (paths.includes('latest_invoice') && typeof view.latest_invoice === 'string')
      view.latest_invoice = this.invoices.get(view.latest_invoice) ?? null;
    const schedulePath = paths.find((path) => path.startsWith('schedule'));
    if (schedulePath && typeof view.schedule === 'string') {
      const schedule = structuredClone(this.mustGet(this.schedules, view.schedule));
      if (schedulePath === 'schedule.phases.items.price') {
        for (const phase of schedule.phases as Item[])
          for (const item of phase.items as Item[]) item.price = this.priceObject(item.price);
      }
      view.schedule = schedule;
    }
    return view;
  }

  private schedule(
    method: string,
    id: string | undefined,
    body: Record<string, any>,
  ): [number, unknown] {
    if (method === 'POST' && !id) {
      const subscription = this.subscriptions.get(body.from_subscription as string);
      if (!subscription) return [404, missing('subscription', body.from_subscription as string)];
      const item = (subscription.items as { data: Item[] }).data[0];
      const schedule = {
        ...FIXTURES.subscription_schedule,
        id: newId('sub_sched'),
        subscription: subscription.id,
        customer: subscription.customer,
        status: 'active',
        end_behavior: 'release',
        created: now(),
        phases: [
          {
            start_date: item.current_period_start,
            end_date: item.current_period_end,
            items: [{ price: (item.price as { id: string }).id, quantity: 1 }],
            metadata: subscription.metadata ?? {},
          },
        ],
        livemode: false,
      };
      this.schedules.set(schedule.id, schedule);
      subscription.schedule = schedule.id;
      return [200, schedule];
    }
    const schedule = id ? this.schedules.get(id) : undefined;
    if (!schedule) return [404, missing('subscription_schedule', id)];
    if (method === 'POST' && Array.isArray(body.phases)) {
      let start = 0;
      schedule.phases = (body.phases as Item[]).map((phase) => {
        const startDate = phase.start_date ? Number(phase.start_date) : start;
        start = phase.end_date ? Number(phase.end_date) : startDate;
        return {
          start_date: startDate,
          end_date: phase.end_date ? Number(phase.end_date) : null,
          items: (phase.items as Item[]).map((item) => ({
            price: (this.priceFrom(item, {}) as { id: string }).id,
            quantity: 1,
          })),
          metadata: phase.metadata ?? {},
        };
      });
      if (body.end_behavior) schedule.end_behavior = body.end_behavior;
    }
    return [200, schedule];
  }

  /** The price an item or phase names: an existing one, or one made from `price_data`. */
  private priceFrom(change: Item, previous: Item): StripeObject {
    if (typeof change.price === 'string')
      return this.prices.get(change.price) ?? { id: change.price, object: 'price' };
    const data = change.price_data as Item;
    return this.createPrice({
      unitAmount: Number(data.unit_amount),
      interval: data.recurring?.interval ?? previous.recurring?.interval,
      currency: data.currency as string,
      product: data.product as string,
    });
  }

  private invoice(id: string | undefined, query: Record<string, any>): [number, unknown] {
    if (!id)
      return [
        200,
        list(
          '/v1/invoices',
          [...this.invoices.values()].filter((i) => i.customer === query.customer),
        ),
      ];
    const invoice = this.invoices.get(id);
    if (!invoice) return [404, missing('invoice', id)];
    const expand = (query.expand ?? []) as string[];
    if (!expand.includes('payments.data.payment.payment_intent')) return [200, invoice];
    // The current API lists an invoice's payments; each names its PaymentIntent.
    const paymentIntent = {
      ...FIXTURES.payment_intent,
      id: `pi_for_${invoice.id}`,
      object: 'payment_intent',
      last_payment_error: this.declines.get(invoice.id) ?? null,
    };
    const payment = {
      object: 'invoice_payment',
      payment: { type: 'payment_intent', payment_intent: paymentIntent },
    };
    return [200, { ...invoice, payments: list(`/v1/invoices/${invoice.id}/payments`, [payment]) }];
  }

  private portalSession(body: Record<string, any>): [number, unknown] {
    if (!this.customers.has(body.customer as string))
      return [400, missing('customer', body.customer as string)];
    const id = newId('bps');
    const session = {
      ...FIXTURES['billing_portal.session'],
      id,
      customer: body.customer,
      return_url: body.return_url,
      url: `https://billing.stripe.test/p/session/${id}`,
      created: now(),
      livemode: false,
    };
    return [200, session];
  }

  private customer(
    method: string,
    id: string | undefined,
    body: Record<string, any>,
  ): [number, unknown] {
    if (method === 'POST' && !id) {
      const customer = {
        ...FIXTURES.customer,
        id: newId('cus'),
        created: now(),
        email: body.email ?? null,
        name: body.name ?? null,
        metadata: body.metadata ?? {},
        livemode: false,
      };
      this.customers.set(customer.id, customer);
      return [200, customer];
    }
    const customer = id ? this.customers.get(id) : undefined;
    if (!customer) return [404, missing('customer', id)];
    if (method === 'POST') {
      Object.assign(
        customer,
        pick(body, ['email', 'name']),
        body.metadata ? { metadata: body.metadata } : {},
      );
      const defaultMethod = (body.invoice_settings as Record<string, string> | undefined)
        ?.default_payment_method;
      if (defaultMethod) {
        customer.invoice_settings = {
          ...(customer.invoice_settings as object),
          default_payment_method: defaultMethod,
        };
      }
    }
    return [200, customer];
  }

  private checkoutSession(
    method: string,
    id: string | undefined,
    body: Record<string, any>,
    action?: string,
  ): [number, unknown] {
    if (method === 'POST' && !id) {
      if (body.customer && !this.customers.has(body.customer as string))
        return [400, missing('customer', body.customer as string)];
      const sessionId = newId('cs');
      const item = (body.line_items as Record<string, any>[] | undefined)?.[0];
      const amount = Number(item?.price_data?.unit_amount ?? 0) * Number(item?.quantity ?? 1);
      const session = {
        ...FIXTURES['checkout.session'],
        id: sessionId,
        object: 'checkout.session',
        created: now(),
        mode: body.mode,
        customer: body.customer ?? null,
        client_reference_id: body.client_reference_id ?? null,
        metadata: body.metadata ?? {},
        currency: item?.price_data?.currency ?? null,
        amount_subtotal: amount,
        amount_total: amount,
        status: 'open',
        payment_status: 'unpaid',
        expires_at: Number(body.expires_at ?? now() + 86_400),
        success_url: body.success_url ?? null,
        cancel_url: body.cancel_url ?? null,
        url: `https://checkout.stripe.test/c/pay/${sessionId}`,
        subscription: null,
        payment_intent: null,
        livemode: false,
      };
      this.sessions.set(sessionId, {
        ...session,
        line_items_requested: body.line_items,
        subscription_data: body.subscription_data,
      });
      return [200, session];
    }
    const session = id ? this.sessions.get(id) : undefined;
    if (!session) return [404, missing('checkout.session', id)];
    if (method === 'POST' && action === 'expire') {
      if (session.status !== 'open')
        return [
          400,
          stripeError(
            'invalid_request_error',
            'checkout_session_not_open',
            'Only Checkout Sessions with a status of open can be expired.',
          ),
        ];
      session.status = 'expired';
    }
    return [200, publicView(session)];
  }
}

/** A stored session without the request details the stand-in keeps for itself. */
function publicView(session: StripeObject): StripeObject {
  const { line_items_requested: _items, subscription_data: _data, ...visible } = session;
  return visible;
}

function list(url: string, data: unknown[]) {
  return { object: 'list', url, has_more: false, data };
}

function stripeError(type: string, code: string | undefined, message: string) {
  return { error: { type, ...(code ? { code } : {}), message } };
}

const missing = (what: string, id: string | undefined) =>
  stripeError('invalid_request_error', 'resource_missing', `No such ${what}: '${id ?? ''}'`);

function pick(body: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in body).map((k) => [k, body[k]]));
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Request-Id': `req_${randomBytes(6).toString('hex')}`,
    ...headers,
  });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}
