import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import { LIVE_SUBSCRIPTION_STATUSES, Subscription } from './entities/subscription.entity.js';

@Injectable()
export class SubscriptionRepository {
  constructor(
    @InjectRepository(Subscription) private readonly subscriptions: Repository<Subscription>,
  ) {}

  listOfOrganization(organizationId: string): Promise<Subscription[]> {
    return this.subscriptions.find({ where: { organizationId }, order: { createdAt: 'DESC' } });
  }

  findOne(
    organizationId: string,
    id: string,
    manager?: EntityManager,
  ): Promise<Subscription | null> {
    return (manager?.getRepository(Subscription) ?? this.subscriptions).findOneBy({
      organizationId,
      id,
    });
  }

  async update(
    manager: EntityManager,
    id: string,
    patch: Partial<
      Pick<
        Subscription,
        | 'status'
        | 'cancelAtPeriodEnd'
        | 'currentPeriodEnd'
        | 'tier'
        | 'billingCycle'
        | 'pendingChange'
      >
    >,
  ): Promise<void> {
    await manager.getRepository(Subscription).update({ id }, patch);
  }

  findByStripeId(
    organizationId: string,
    stripeSubscriptionId: string,
  ): Promise<Subscription | null> {
    return this.subscriptions.findOneBy({ organizationId, stripeSubscriptionId });
  }

  async hasLive(organizationId: string): Promise<boolean> {
    return this.subscriptions.existsBy({ organizationId, status: In(LIVE_SUBSCRIPTION_STATUSES) });
  }
}
