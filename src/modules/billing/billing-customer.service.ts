import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import type { DomainEventMap } from '../../events/domain-events.js';
import { hashToken } from '../../common/crypto/opaque-token.js';
import { DomainError } from '../../common/errors/index.js';
import { StripeService } from '../stripe/stripe.service.js';
import type { Recipient } from '../subscription/subscription-changes.js';
import { TenantService } from '../tenant/tenant.service.js';
import { UserService } from '../user/user.service.js';
import { BillingCustomerRepository } from './billing-customer.repository.js';

/**
 * One Stripe customer per organization, created on first need. Its name follows the
 * organization's; its email is the billing contact's, the member who last acted on billing
 * (checkout, payment methods, portal), updated at Stripe only when it changes.
 */
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

  /** The organization a Stripe customer belongs to, by our own record (never by metadata). */
  organizationOf(stripeCustomerId: string, manager?: EntityManager): Promise<string | null> {
    return this.customers.findOrganizationOf(stripeCustomerId, manager);
  }

  /** Where billing notices go: the billing contact's email, when a customer exists. */
  async contactEmailOf(organizationId: string, manager?: EntityManager): Promise<string | null> {
    return (await this.customers.find(organizationId, manager))?.email ?? null;
  }

  /** The billing contact as the recipient of subscription notices; null without a customer. */
  async noticeRecipient(
    organizationId: string,
    manager?: EntityManager,
  ): Promise<Recipient | null> {
    const email = await this.contactEmailOf(organizationId, manager);
    return email ? { email, name: email } : null;
  }

  /** Keeps the Stripe customer's name equal to the organization's (when there is a customer). */
  @OnEvent('organization.renamed')
  async syncName({ organizationId, name }: DomainEventMap['organization.renamed']): Promise<void> {
    const customer = await this.customers.find(organizationId);
    if (customer) await this.sync(organizationId, customer.stripeCustomerId, { name });
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
    const known = await this.customers.find(organization.id);
    if (known) {
      const changed = {
        ...(email && email !== known.email ? { email } : {}),
        ...(organization.name !== known.name ? { name: organization.name } : {}),
      };
      if (Object.keys(changed).length > 0)
        await this.sync(organization.id, known.stripeCustomerId, changed);
      return known.stripeCustomerId;
    }
    // Keyed by our organization id: a retry (or a concurrent first checkout) within Stripe's
    // idempotency window gets the same customer back instead of a second one.
    const customer = await this.stripe.createCustomer(
      { name: organization.name, email, metadata: { organizationId: organization.id } },
      `customer:${organization.id}`,
    );
    return this.customers.recordOnce(organization.id, customer.id, {
      email,
      name: organization.name,
    });
  }

  private async sync(
    organizationId: string,
    customerId: string,
    contact: { email?: string; name?: string },
  ): Promise<void> {
    const key = `customer-contact:${organizationId}:${hashToken(JSON.stringify(contact))}`;
    await this.stripe.updateCustomer(customerId, contact, key);
    await this.customers.recordContact(organizationId, contact);
  }
}
