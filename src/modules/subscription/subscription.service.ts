import { Injectable, type OnModuleInit } from '@nestjs/common';
import { pageOf, type Page, type PageQueryDto } from '../../common/pagination/page-query.dto.js';
import type { EntityManager } from 'typeorm';
import { OrganizationHolds } from '../../common/organization-holds.js';
import type { AuditContext } from '../audit/audit.types.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { SubscriptionSyncService } from './subscription-sync.service.js';
import { isSubscriptionActive } from './subscription-activity.js';
import type { SubscriptionResponseDto } from './dto/subscription-response.dto.js';
import type { Subscription } from './entities/subscription.entity.js';
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

/** A subscription as operators see it: with what they must look at. */
export type OperatorSubscriptionView = SubscriptionResponseDto &
  Pick<
    Subscription,
    'organizationId' | 'stripeSubscriptionId' | 'flaggedReason' | 'lastPaymentFailure'
  >;

const operatorView = (row: Subscription): OperatorSubscriptionView => ({
  ...toSubscriptionResponse(row),
  organizationId: row.organizationId,
  stripeSubscriptionId: row.stripeSubscriptionId,
  flaggedReason: row.flaggedReason,
  lastPaymentFailure: row.lastPaymentFailure,
});

@Injectable()
export class SubscriptionService implements OnModuleInit {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly holds: OrganizationHolds,
    private readonly catalog: CatalogService,
    private readonly sync: SubscriptionSyncService,
  ) {}

  /**
   * An organization with a live subscription can neither lose its last owner nor be deleted:
   * someone must be there to cancel it, and nobody is billed for an organization that is gone.
   */
  onModuleInit(): void {
    this.holds.register('a live subscription', (organizationId, manager) =>
      this.subscriptions.hasLive(organizationId, manager),
    );
  }

  /** The decline reasons of the organizations' last failed payments, by Stripe invoice id. */
  async declineReasons(organizationId: string): Promise<Map<string, string>> {
    const rows = await this.subscriptions.listOfOrganization(organizationId);
    return new Map(
      rows.flatMap(({ lastPaymentFailure: failure }) =>
        failure?.reason ? [[failure.invoiceId, failure.reason] as const] : [],
      ),
    );
  }

  /** Whether the organization ever had a subscription: the catalog's trial is given once. */
  hadSubscription(organizationId: string): Promise<boolean> {
    return this.subscriptions.hasAny(organizationId);
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
    // A tier outside the catalog (a flagged price, stored as `unknown`) grants nothing.
    const active = live.find(
      (subscription) =>
        isSubscriptionActive(subscription) && this.catalog.isTier(subscription.tier),
    );
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
    filter: { status?: string; tier?: string; flagged?: boolean },
    query: PageQueryDto,
  ): Promise<Page<OperatorSubscriptionView>> {
    const [rows, total] = await this.subscriptions.list(filter, {
      limit: query.perPage,
      offset: (query.page - 1) * query.perPage,
    });
    return pageOf(rows.map(operatorView), total, query);
  }

  /**
   * An operator grants a grace period by hand, or ends one (`null`: a past-due subscription
   * expires now), audited with their reason and ticket.
   */
  async setGracePeriod(
    id: string,
    gracePeriodEnd: Date | null,
    audit: AuditContext,
  ): Promise<OperatorSubscriptionView> {
    const subscription = await this.sync.setGracePeriod(id, gracePeriodEnd, {
      ...audit,
      cause: 'operator:grace-period',
      recipient: null,
    });
    return operatorView(subscription);
  }
}
