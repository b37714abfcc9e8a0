import { Injectable } from '@nestjs/common';
import { StripeService } from '../stripe/stripe.service.js';
import { BillingCustomerRepository } from './billing-customer.repository.js';

/** One Stripe customer per organization, created on first need. */
@Injectable()
export class BillingCustomerService {
  constructor(
    private readonly customers: BillingCustomerRepository,
    private readonly stripe: StripeService,
  ) {}

  async ensure(organization: { id: string; name: string }, email: string): Promise<string> {
    const known = await this.customers.findStripeId(organization.id);
    if (known) return known;
    // Keyed by our organization id: a retry (or a concurrent first checkout) within Stripe's
    // idempotency window gets the same customer back instead of a second one.
    const customer = await this.stripe.createCustomer(
      { name: organization.name, email, metadata: { organizationId: organization.id } },
      `customer:${organization.id}`,
    );
    return this.customers.recordOnce(organization.id, customer.id);
  }
}
