import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { BillingCustomer } from './entities/billing-customer.entity.js';

@Injectable()
export class BillingCustomerRepository {
  constructor(
    @InjectRepository(BillingCustomer) private readonly customers: Repository<BillingCustomer>,
  ) {}

  async findStripeId(organizationId: string): Promise<string | null> {
    return (await this.find(organizationId))?.stripeCustomerId ?? null;
  }

  async findOrganizationOf(
    stripeCustomerId: string,
    manager?: EntityManager,
  ): Promise<string | null> {
    const customers = manager?.getRepository(BillingCustomer) ?? this.customers;
    return (await customers.findOneBy({ stripeCustomerId }))?.organizationId ?? null;
  }

  find(organizationId: string, manager?: EntityManager): Promise<BillingCustomer | null> {
    return (manager?.getRepository(BillingCustomer) ?? this.customers).findOneBy({
      organizationId,
    });
  }

  async recordContact(
    organizationId: string,
    contact: { email?: string; name?: string },
  ): Promise<void> {
    await this.customers.update({ organizationId }, contact);
  }

  /**
   * Records the organization's customer unless one is recorded already, and returns the one
   * that is: concurrent first checkouts agree on a single customer.
   */
  async recordOnce(
    organizationId: string,
    stripeCustomerId: string,
    contact: { email: string; name: string },
  ): Promise<string> {
    await this.customers
      .createQueryBuilder()
      .insert()
      .values({ organizationId, stripeCustomerId, ...contact })
      .orIgnore()
      .execute();
    return (await this.findStripeId(organizationId))!;
  }
}
