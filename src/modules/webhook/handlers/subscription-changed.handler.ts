import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { BillingCustomerService } from '../../billing/billing-customer.service.js';
import { SubscriptionSyncService } from '../../subscription/subscription-sync.service.js';
import type { StripeEventHandler } from './stripe-event-handler.js';

/**
 * `customer.subscription.created|updated|deleted`: the organization's subscription becomes what
 * Stripe says, unless a newer event already said more. The organization comes from our own
 * record of the customer, never from metadata.
 */
@Injectable()
export class SubscriptionChangedHandler implements StripeEventHandler {
  readonly types = [
    'customer.subscription.created',
    'customer.subscription.updated',
    'customer.subscription.deleted',
  ] as const;

  constructor(
    private readonly customers: BillingCustomerService,
    private readonly subscriptions: SubscriptionSyncService,
  ) {}

  async handle(manager: EntityManager, event: Stripe.Event): Promise<void> {
    const subscription = event.data.object as Stripe.Subscription;
    const customerId =
      typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id;
    const organizationId = await this.customers.organizationOf(customerId, manager);
    if (!organizationId)
      throw new Error(`Stripe customer ${customerId} belongs to no organization of ours`);
    await this.subscriptions.applyFromEvent(
      manager,
      organizationId,
      subscription,
      event.created,
      event.type === 'customer.subscription.deleted',
    );
  }
}
