import { Injectable } from '@nestjs/common';
import { SubscriptionRepository } from './subscription.repository.js';

@Injectable()
export class SubscriptionService {
  constructor(private readonly subscriptions: SubscriptionRepository) {}

  /** Trialing, active or past due (still within or awaiting its grace period). */
  hasLiveSubscription(organizationId: string): Promise<boolean> {
    return this.subscriptions.hasLive(organizationId);
  }
}
