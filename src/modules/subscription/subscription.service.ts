import { Injectable } from '@nestjs/common';
import type { SubscriptionResponseDto } from './dto/subscription-response.dto.js';
import type { Subscription } from './entities/subscription.entity.js';
import { isSubscriptionActive } from './subscription-activity.js';
import { SubscriptionRepository } from './subscription.repository.js';

@Injectable()
export class SubscriptionService {
  constructor(private readonly subscriptions: SubscriptionRepository) {}

  async list(organizationId: string): Promise<SubscriptionResponseDto[]> {
    return (await this.subscriptions.listOfOrganization(organizationId)).map(toDto);
  }

  /** Trialing, active or past due (still within or awaiting its grace period). */
  hasLiveSubscription(organizationId: string): Promise<boolean> {
    return this.subscriptions.hasLive(organizationId);
  }
}

function toDto(subscription: Subscription): SubscriptionResponseDto {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: subscription.id,
    productKey: subscription.productKey,
    tier: subscription.tier,
    billingCycle: subscription.billingCycle,
    status: subscription.status,
    region: subscription.region,
    currency: subscription.currency,
    currentPeriodEnd: iso(subscription.currentPeriodEnd),
    trialEnd: iso(subscription.trialEnd),
    cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
    gracePeriodEnd: iso(subscription.gracePeriodEnd),
    pendingChange: subscription.pendingChange,
    isActive: isSubscriptionActive(subscription),
  };
}
