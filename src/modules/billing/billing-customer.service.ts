import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { DomainEventMap } from '../../events/domain-events.js';
import { DomainError } from '../../common/errors/index.js';
import { StripeService } from '../stripe/stripe.service.js';
import { TenantService } from '../tenant/tenant.service.js';
import { UserService } from '../user/user.service.js';
import { BillingCustomerRepository } from './billing-customer.repository.js';

/** One Stripe customer per organization, created on first need. */
@Injectable()
export class BillingCustomerService {
  constructor(
    private readonly customers: BillingCustomerRepository,
    private readonly stripe: StripeService,
    private readonly tenants: TenantService,
    private readonly users: UserService,
  ) {}

  /** The organization's Stripe customer id, without creating one. */
  find(organizationId: string): Promise<string | null> {
    return this.customers.findStripeId(organizationId);
  }

  /** Keeps the Stripe customer's name equal to the organization's (when there is a customer). */
  @OnEvent('organization.renamed')
  async syncName({ organizationId, name }: DomainEventMap['organization.renamed']): Promise<void> {
    const customerId = await this.customers.findStripeId(organizationId);
    if (!customerId) return;
    await this.stripe.updateCustomer(
      customerId,
      { name },
      `customer-name:${organizationId}:${name}`,
    );
  }

  /** A customer portal session (creating the customer if this is the first billing step). */
  async portal(
    userId: string,
    organizationId: string,
    returnUrl: string,
  ): Promise<{ url: string }> {
    this.stripe.assertConfigured();
    const organization = await this.tenants.findOrganization(organizationId);
    if (!organization) throw new DomainError('NOT_FOUND', 'No such organization');
    const user = await this.users.findAccountById(userId);
    const customerId = await this.ensure(organization, user?.profile.email ?? '');
    return { url: (await this.stripe.createPortalSession(customerId, returnUrl)).url };
  }

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
