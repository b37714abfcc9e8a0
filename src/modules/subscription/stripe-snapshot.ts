import type Stripe from 'stripe';
import type { BilledPrice } from '../catalog/catalog.service.js';

/** A price Stripe bills or will bill, and the metadata we set beside it. */
export interface BilledPlan {
  price: BilledPrice | null;
  /** The subscription's (or the schedule phase's) metadata: `tier` and `billingCycle` when we made it. */
  metadata: Record<string, string>;
}

/** What one read of a Stripe subscription says, in the terms our row is kept in. */
export interface StripeSnapshot {
  stripeSubscriptionId: string;
  customerId: string;
  status: Stripe.Subscription.Status;
  billed: BilledPlan;
  currency: string;
  currentPeriodEnd: Date | null;
  trialEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  /** The latest invoice when a payment of it was tried and failed and it is still owed. */
  overdueInvoice: { finalizedAt: Date; amountDue: number; currency: string } | null;
  /** The phase a subscription schedule moves to next (a change at the period end). */
  nextPhase: (BilledPlan & { startsAt: Date }) | null;
}

const at = (seconds: number | null | undefined) =>
  seconds === null || seconds === undefined ? null : new Date(seconds * 1000);

/**
 * Reads a Stripe subscription, with `latest_invoice` and `schedule` (and its phases' prices)
 * expanded where the caller asked Stripe for them; unexpanded ids simply say less.
 */
export function snapshotOf(subscription: Stripe.Subscription): StripeSnapshot {
  const item = subscription.items.data[0];
  return {
    stripeSubscriptionId: subscription.id,
    customerId:
      typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id,
    status: subscription.status,
    billed: { price: item ? billedPrice(item.price) : null, metadata: subscription.metadata ?? {} },
    currency: subscription.currency.toUpperCase(),
    currentPeriodEnd: at(item?.current_period_end),
    trialEnd: at(subscription.trial_end),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    // A declined upgrade (`pending_update`) leaves its proration invoice open: the subscription
    // itself is paid, so that invoice does not make it past due.
    overdueInvoice: subscription.pending_update ? null : overdue(subscription.latest_invoice),
    nextPhase: nextPhaseOf(subscription.schedule, item?.current_period_start ?? 0),
  };
}

function billedPrice(price: Stripe.Price | string): BilledPrice {
  if (typeof price === 'string')
    return { id: price, lookupKey: null, unitAmount: null, currency: '', interval: null };
  return {
    id: price.id,
    lookupKey: price.lookup_key ?? null,
    unitAmount: price.unit_amount,
    currency: price.currency,
    interval: price.recurring?.interval ?? null,
  };
}

/** An open invoice whose payment was attempted: the customer owes it and a payment failed. */
function overdue(invoice: Stripe.Subscription['latest_invoice']): StripeSnapshot['overdueInvoice'] {
  if (!invoice || typeof invoice === 'string') return null;
  if (invoice.status !== 'open' || invoice.attempt_count < 1) return null;
  if (invoice.billing_reason === 'subscription_update') return null;
  return {
    finalizedAt: at(invoice.status_transitions?.finalized_at) ?? at(invoice.created)!,
    amountDue: invoice.amount_due,
    currency: invoice.currency.toUpperCase(),
  };
}

/** The first phase after the current period's start (Stripe's clock, not ours). */
function nextPhaseOf(
  schedule: Stripe.Subscription['schedule'],
  periodStart: number,
): StripeSnapshot['nextPhase'] {
  if (!schedule || typeof schedule === 'string') return null;
  if (schedule.status !== 'active' && schedule.status !== 'not_started') return null;
  const next = schedule.phases.find((phase) => phase.start_date > periodStart);
  if (!next || !next.items[0]) return null;
  const price = next.items[0].price;
  return {
    price:
      typeof price === 'string'
        ? billedPrice(price)
        : 'deleted' in price
          ? billedPrice(price.id)
          : billedPrice(price),
    metadata: next.metadata ?? {},
    startsAt: new Date(next.start_date * 1000),
  };
}
