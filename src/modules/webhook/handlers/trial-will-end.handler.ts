import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { BillingCustomerService } from '../../billing/billing-customer.service.js';
import { MailService } from '../../mail/mail.service.js';
import type { StripeEventHandler } from './stripe-event-handler.js';

/** `customer.subscription.trial_will_end` (three days before): the billing contact is told. */
@Injectable()
export class TrialWillEndHandler implements StripeEventHandler {
  readonly types = ['customer.subscription.trial_will_end'] as const;

  constructor(
    private readonly customers: BillingCustomerService,
    private readonly mail: MailService,
  ) {}

  async handle(manager: EntityManager, event: Stripe.Event): Promise<void> {
    const subscription = event.data.object as Stripe.Subscription;
    const customerId =
      typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id;
    const organizationId = await this.customers.organizationOf(customerId, manager);
    const contact = organizationId
      ? await this.customers.contactEmailOf(organizationId, manager)
      : null;
    if (!contact || !subscription.trial_end) return;
    await this.mail.enqueue(manager, contact, 'trial-ending', {
      name: contact,
      plan: subscription.metadata.tier ?? 'subscription',
      trialEnd: new Date(subscription.trial_end * 1000).toISOString().slice(0, 10),
    });
  }
}
