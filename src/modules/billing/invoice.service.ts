import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { DomainError } from '../../common/errors/index.js';
import { StripeService } from '../stripe/stripe.service.js';
import { SubscriptionService } from '../subscription/subscription.service.js';
import { BillingCustomerService } from './billing-customer.service.js';
import type { InvoiceDto } from './dto/billing-account.dto.js';

const notFound = () => new DomainError('NOT_FOUND', 'No such invoice');

/**
 * Declines that point at fraud are shown to the customer as a plain decline, as Stripe advises;
 * operators see the real reason.
 */
const CONFIDENTIAL_DECLINES =
  /^(fraudulent|lost_card|stolen_card|pickup_card|restricted_card|merchant_blacklist|security_violation)\b/;
const forCustomer = (reason: string | null) =>
  reason && CONFIDENTIAL_DECLINES.test(reason) ? 'card_declined: Your card was declined.' : reason;

/** Invoices as Stripe keeps them, for the organization's customer only. */
@Injectable()
export class InvoiceService {
  constructor(
    private readonly customers: BillingCustomerService,
    private readonly stripe: StripeService,
    private readonly subscriptions: SubscriptionService,
  ) {}

  async list(organizationId: string): Promise<InvoiceDto[]> {
    this.stripe.assertConfigured();
    const customerId = await this.customers.find(organizationId);
    if (!customerId) return [];
    const declines = await this.subscriptions.declineReasons(organizationId);
    return (await this.stripe.listInvoices(customerId)).map((invoice) => toDto(invoice, declines));
  }

  async get(organizationId: string, invoiceId: string): Promise<InvoiceDto> {
    this.stripe.assertConfigured();
    const customerId = await this.customers.find(organizationId);
    if (!customerId) throw notFound();
    const invoice = await this.stripe.retrieveInvoice(invoiceId);
    const owner = typeof invoice.customer === 'string' ? invoice.customer : invoice.customer?.id;
    if (owner !== customerId) throw notFound();
    return toDto(invoice, await this.subscriptions.declineReasons(organizationId));
  }
}

function toDto(invoice: Stripe.Invoice, declines: Map<string, string>): InvoiceDto {
  return {
    id: invoice.id,
    number: invoice.number ?? null,
    status: invoice.status ?? null,
    total: invoice.total,
    amountDue: invoice.amount_due,
    amountPaid: invoice.amount_paid,
    currency: invoice.currency.toUpperCase(),
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    invoicePdf: invoice.invoice_pdf ?? null,
    createdAt: new Date(invoice.created * 1000).toISOString(),
    attemptCount: invoice.attempt_count,
    nextPaymentAttempt: invoice.next_payment_attempt
      ? new Date(invoice.next_payment_attempt * 1000).toISOString()
      : null,
    lastPaymentError: forCustomer((invoice.id && declines.get(invoice.id)) || null),
  };
}
