import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { BillingCustomerService } from '../../billing/billing-customer.service.js';
import { formatMoney } from '../../billing/receipt.renderer.js';
import { MailService } from '../../mail/mail.service.js';
import { SubscriptionSyncService } from '../../subscription/subscription-sync.service.js';
import type { StripeEventHandler } from './stripe-event-handler.js';

/**
 * `invoice.paid` makes the subscription active and ends any grace period; `invoice.payment_failed`
 * makes it past due with a grace period. The billing contact is told either way.
 */
@Injectable()
export class InvoiceHandler implements StripeEventHandler {
  readonly types = ['invoice.paid', 'invoice.payment_failed'] as const;

  constructor(
    private readonly customers: BillingCustomerService,
    private readonly subscriptions: SubscriptionSyncService,
    private readonly mail: MailService,
  ) {}

  async handle(manager: EntityManager, event: Stripe.Event): Promise<void> {
    const invoice = event.data.object as Stripe.Invoice;
    // The current API names the subscription under `parent` (the top-level field is empty).
    const subscription = invoice.parent?.subscription_details?.subscription;
    const subscriptionId = typeof subscription === 'string' ? subscription : subscription?.id;
    const customerId =
      typeof invoice.customer === 'string' ? invoice.customer : invoice.customer?.id;
    if (!subscriptionId || !customerId) return;
    const organizationId = await this.customers.organizationOf(customerId, manager);
    if (!organizationId)
      throw new Error(`Stripe customer ${customerId} belongs to no organization of ours`);
    const amount = formatMoney(invoice.total, invoice.currency.toUpperCase());
    const contact = await this.customers.contactEmailOf(organizationId, manager);

    if (event.type === 'invoice.paid') {
      if (!(await this.subscriptions.applyInvoicePaid(manager, organizationId, subscriptionId)))
        return;
      if (contact) {
        await this.mail.enqueue(manager, contact, 'invoice-paid', {
          name: contact,
          amount,
          invoiceUrl: invoice.hosted_invoice_url ?? '',
        });
      }
      return;
    }
    const graceEndsAt = await this.subscriptions.applyPaymentFailed(
      manager,
      organizationId,
      subscriptionId,
    );
    if (graceEndsAt && contact) {
      await this.mail.enqueue(manager, contact, 'payment-failed', {
        name: contact,
        amount,
        graceEndsAt: graceEndsAt.toISOString().slice(0, 10),
      });
    }
  }
}
