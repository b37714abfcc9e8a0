import { Injectable, type OnModuleInit } from '@nestjs/common';
import { OrganizationHolds } from '../../common/organization-holds.js';
import type { SubscriptionResponseDto } from './dto/subscription-response.dto.js';
import { toSubscriptionResponse } from './subscription.mapper.js';
import { SubscriptionRepository } from './subscription.repository.js';

@Injectable()
export class SubscriptionService implements OnModuleInit {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly holds: OrganizationHolds,
  ) {}

  /** An organization with a live subscription cannot lose its last owner. */
  onModuleInit(): void {
    this.holds.register('a live subscription', (organizationId, manager) =>
      this.subscriptions.hasLive(organizationId, manager),
    );
  }

  async list(organizationId: string): Promise<SubscriptionResponseDto[]> {
    return (await this.subscriptions.listOfOrganization(organizationId)).map(
      toSubscriptionResponse,
    );
  }

  async findByStripeId(
    organizationId: string,
    stripeSubscriptionId: string,
  ): Promise<SubscriptionResponseDto | null> {
    const subscription = await this.subscriptions.findByStripeId(
      organizationId,
      stripeSubscriptionId,
    );
    return subscription ? toSubscriptionResponse(subscription) : null;
  }

  /** Trialing, active or past due (still within or awaiting its grace period). */
  hasLiveSubscription(organizationId: string): Promise<boolean> {
    return this.subscriptions.hasLive(organizationId);
  }
}
