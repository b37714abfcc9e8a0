import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { DomainError } from '../../common/errors/index.js';
import { StripeService } from '../stripe/stripe.service.js';
import { TenantService } from '../tenant/tenant.service.js';
import { UserService } from '../user/user.service.js';
import { BillingCustomerService } from './billing-customer.service.js';
import type { PaymentMethodDto } from './dto/billing-account.dto.js';

const notFound = () => new DomainError('NOT_FOUND', 'No such payment method');

/** The organization's cards, kept at Stripe on its customer; another customer's are invisible (404). */
@Injectable()
export class PaymentMethodService {
  constructor(
    private readonly customers: BillingCustomerService,
    private readonly stripe: StripeService,
    private readonly tenants: TenantService,
    private readonly users: UserService,
  ) {}

  async list(organizationId: string): Promise<PaymentMethodDto[]> {
    this.stripe.assertConfigured();
    const customerId = await this.customers.find(organizationId);
    if (!customerId) return [];
    const [methods, customer] = await Promise.all([
      this.stripe.listPaymentMethods(customerId),
      this.stripe.retrieveCustomer(customerId),
    ]);
    return methods.map((method) => toDto(method, defaultOf(customer)));
  }

  /** Attaches a payment method the front end collected with Stripe.js; someone else's is 404. */
  async attach(
    userId: string,
    organizationId: string,
    paymentMethodId: string,
  ): Promise<PaymentMethodDto> {
    this.stripe.assertConfigured();
    const organization = await this.tenants.findOrganization(organizationId);
    const user = await this.users.findAccountById(userId);
    const customerId = await this.customers.ensure(organization!, user?.profile.email ?? '');
    const method = await this.stripe.retrievePaymentMethod(paymentMethodId);
    if (method.customer && method.customer !== customerId) throw notFound();
    const attached = method.customer
      ? method
      : await this.stripe.attachPaymentMethod(
          paymentMethodId,
          customerId,
          `attach:${organizationId}:${paymentMethodId}`,
        );
    return toDto(attached, defaultOf(await this.stripe.retrieveCustomer(customerId)));
  }

  async detach(organizationId: string, paymentMethodId: string): Promise<void> {
    await this.owned(organizationId, paymentMethodId);
    await this.stripe.detachPaymentMethod(
      paymentMethodId,
      `detach:${organizationId}:${paymentMethodId}`,
    );
  }

  async setDefault(organizationId: string, paymentMethodId: string): Promise<PaymentMethodDto> {
    const { method, customerId } = await this.owned(organizationId, paymentMethodId);
    await this.stripe.setDefaultPaymentMethod(
      customerId,
      paymentMethodId,
      `default:${organizationId}:${paymentMethodId}`,
    );
    return toDto(method, paymentMethodId);
  }

  private async owned(organizationId: string, paymentMethodId: string) {
    this.stripe.assertConfigured();
    const customerId = await this.customers.find(organizationId);
    if (!customerId) throw notFound();
    const method = await this.stripe.retrievePaymentMethod(paymentMethodId);
    if (method.customer !== customerId) throw notFound();
    return { method, customerId };
  }
}

function defaultOf(customer: Stripe.Customer | Stripe.DeletedCustomer): string | null {
  if (customer.deleted) return null;
  const value = customer.invoice_settings?.default_payment_method;
  return typeof value === 'string' ? value : (value?.id ?? null);
}

function toDto(method: Stripe.PaymentMethod, defaultId: string | null): PaymentMethodDto {
  return {
    id: method.id,
    type: method.type,
    brand: method.card?.brand ?? null,
    last4: method.card?.last4 ?? null,
    expMonth: method.card?.exp_month ?? null,
    expYear: method.card?.exp_year ?? null,
    isDefault: method.id === defaultId,
  };
}
