import { Injectable, type OnModuleInit } from '@nestjs/common';
import { pageOf, type Page, type PageQueryDto } from '../../common/pagination/page-query.dto.js';
import type { EntityManager } from 'typeorm';
import { OrganizationHolds } from '../../common/organization-holds.js';
import { isSubscriptionActive } from './subscription-activity.js';
import type { SubscriptionResponseDto } from './dto/subscription-response.dto.js';
import { toSubscriptionResponse } from './subscription.mapper.js';
import { SubscriptionRepository } from './subscription.repository.js';

/** What an organization's subscriptions entitle it to: a level of the catalog. */
export interface SubscriptionLevel {
  /** `free` without an active subscription, `trial` while trialing, else the tier. */
  level: string;
  /** When the current billing period ends; null on `free`. */
  currentPeriodEnd: Date | null;
  billingCycle: string | null;
}

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

  /** Organizations with a trialing, active or past-due subscription (reconciliation). */
  organizationsWithLiveSubscriptions(): Promise<string[]> {
    return this.subscriptions.organizationsWithLive();
  }

  /** Organizations whose trial ended without word from Stripe yet (the trial-end job). */
  organizationsWithEndedTrials(): Promise<string[]> {
    return this.subscriptions.organizationsWithEndedTrials();
  }

  /** The level the organization's active subscription gives (DESIGN principles 5 and 6). */
  async levelOf(organizationId: string, manager?: EntityManager): Promise<SubscriptionLevel> {
    const live = await this.subscriptions.findLive(organizationId, manager);
    const active = live.find((subscription) => isSubscriptionActive(subscription));
    if (!active) return { level: 'free', currentPeriodEnd: null, billingCycle: null };
    return {
      level: active.status === 'trialing' ? 'trial' : active.tier,
      currentPeriodEnd: active.currentPeriodEnd,
      billingCycle: active.billingCycle,
    };
  }

  stats() {
    return this.subscriptions.stats();
  }

  /** For operators: every organization's subscriptions, with the organization's id. */
  async listAll(
    filter: { status?: string; tier?: string },
    query: PageQueryDto,
  ): Promise<Page<SubscriptionResponseDto & { organizationId: string }>> {
    const [rows, total] = await this.subscriptions.list(filter, {
      limit: query.perPage,
      offset: (query.page - 1) * query.perPage,
    });
    const data = rows.map((row) => ({
      ...toSubscriptionResponse(row),
      organizationId: row.organizationId,
    }));
    return pageOf(data, total, query);
  }
}
