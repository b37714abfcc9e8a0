import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { BillingCustomerService } from '../../billing/billing-customer.service.js';
import { formatMoney } from '../../billing/receipt.renderer.js';
import { MailService } from '../../mail/mail.service.js';
import { StripeService } from '../../stripe/stripe.service.js';
import type { PaymentFailure } from '../../subscription/entities/subscription.entity.js';
import {
  SubscriptionSyncService,
  type StripeRead,
} from '../../subscription/subscription-sync.service.js';
import type { StripeEventHandler } from './stripe-event-handler.js';

interface Prepared {
  organizationId: string | null;
  stripeSubscriptionId: string | null;
  /** Null when the event is older than one already applied, or Stripe no longer has it. */
  read: StripeRead | null;
  stale: boolean;
  /** For a failed payment: why the card was declined. */
  declineReason?: string | null;
}

/**
 * Subscription and invoice events. Each is a sign that the subscription changed at Stripe, so
 * the subscription is read from Stripe and applied through the one write path: whatever order
 * the events arrive in, the row ends as Stripe's. An event older than one already applied is
 * skipped without asking Stripe. Invoices add what only they carry: a receipt for a paid one
 * (never for $0), and the attempt count, next retry and reason of a failed payment.
 */
@Injectable()
export class SubscriptionEventsHandler implements StripeEventHandler<Prepared> {
  readonly types = [
    'customer.subscription.created',
    'customer.subscription.updated',
    'customer.subscription.deleted',
    'invoice.paid',
    'invoice.payment_failed',
  ] as const;

  constructor(
    private readonly customers: BillingCustomerService,
    private readonly sync: SubscriptionSyncService,
    private readonly mail: MailService,
    private readonly stripe: StripeService,
  ) {}

  async prepare(event: Stripe.Event): Promise<Prepared> {
    const { customerId, stripeSubscriptionId } = idsOf(event);
    const organizationId = customerId ? await this.customers.organizationOf(customerId) : null;
    if (!organizationId || !stripeSubscriptionId)
      return { organizationId, stripeSubscriptionId, read: null, stale: false };
    if (await this.sync.isStale(organizationId, stripeSubscriptionId, event.created))
      return { organizationId, stripeSubscriptionId, read: null, stale: true };
    const read = await this.sync.read(stripeSubscriptionId);
    const invoiceId = (event.data.object as Stripe.Invoice).id;
    const declineReason =
      event.type === 'invoice.payment_failed' && invoiceId
        ? await this.stripe.declineReasonOf(invoiceId)
        : undefined;
    return { organizationId, stripeSubscriptionId, read, stale: false, declineReason };
  }

  async handle(manager: EntityManager, event: Stripe.Event, prepared: Prepared): Promise<void> {
    const { organizationId, stripeSubscriptionId } = prepared;
    if (!stripeSubscriptionId) return; // an invoice of no subscription: nothing of ours changes
    // Fails (and is retried) until an operator links the customer: nothing is dropped silently.
    if (!organizationId)
      throw new Error(
        `Stripe customer ${idsOf(event).customerId} belongs to no organization of ours`,
      );
    const recipient = await this.customers.noticeRecipient(organizationId, manager);
    if (!prepared.stale) {
      // Stripe no longer has the subscription: its payload is all there is (subscription events).
      const remote =
        prepared.read?.remote ??
        (event.type.startsWith('customer.subscription.')
          ? (event.data.object as Stripe.Subscription)
          : null);
      if (remote) {
        await this.sync.apply(
          manager,
          organizationId,
          remote,
          {
            eventCreated: event.created,
            ...(prepared.read ? { syncedAt: prepared.read.readAt } : {}),
            ...(event.type === 'invoice.payment_failed'
              ? { lastPaymentFailure: failureOf(event, prepared.declineReason ?? null) }
              : {}),
          },
          {
            actor: { type: 'WEBHOOK', id: event.id },
            cause: `webhook:${event.type}`,
            recipient,
          },
        );
      }
    }
    if (event.type === 'invoice.paid') await this.sendReceipt(manager, event, recipient?.email);
  }

  /** A receipt for money taken; a trial's $0 invoice mails nobody. */
  private async sendReceipt(
    manager: EntityManager,
    event: Stripe.Event,
    contact: string | undefined,
  ): Promise<void> {
    const invoice = event.data.object as Stripe.Invoice;
    if (!contact || invoice.amount_paid <= 0) return;
    await this.mail.enqueue(manager, contact, 'invoice-paid', {
      name: contact,
      amount: formatMoney(invoice.amount_paid, invoice.currency.toUpperCase()),
      invoiceUrl: invoice.hosted_invoice_url ?? '',
    });
  }
}

function idsOf(event: Stripe.Event): {
  customerId: string | null;
  stripeSubscriptionId: string | null;
} {
  if (event.type.startsWith('invoice.')) {
    const invoice = event.data.object as Stripe.Invoice;
    // The current API names the subscription under `parent` (the top-level field is empty).
    const subscription = invoice.parent?.subscription_details?.subscription;
    return {
      customerId: idOf(invoice.customer),
      stripeSubscriptionId: idOf(subscription),
    };
  }
  const subscription = event.data.object as Stripe.Subscription;
  return { customerId: idOf(subscription.customer), stripeSubscriptionId: subscription.id };
}

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** What support needs to answer "why was I downgraded": attempts, the next try, the decline. */
function failureOf(event: Stripe.Event, reason: string | null): PaymentFailure {
  const invoice = event.data.object as Stripe.Invoice;
  return {
    invoiceId: invoice.id ?? '',
    attemptCount: invoice.attempt_count,
    nextAttemptAt: invoice.next_payment_attempt
      ? new Date(invoice.next_payment_attempt * 1000).toISOString()
      : null,
    reason,
    failedAt: new Date(event.created * 1000).toISOString(),
  };
}
