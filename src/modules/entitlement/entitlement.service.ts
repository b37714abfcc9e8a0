import { Injectable, type OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/index.js';
import { SeatLimits } from '../../common/seat-limits.js';
import type { DomainEventMap } from '../../events/domain-events.js';
import { EventBus } from '../../events/event-bus.js';
import { CatalogService, type FeatureGrant } from '../catalog/catalog.service.js';
import type { Level } from '../catalog/catalog.schema.js';
import { SubscriptionService } from '../subscription/subscription.service.js';
import { TenantService } from '../tenant/tenant.service.js';
import { EntitlementCache, type CachedLevel } from './entitlement-cache.js';
import { quotaPeriodOf, type QuotaPeriod } from './quota-period.js';
import { UsageRepository } from './usage.repository.js';

export type EntitlementSource = 'cache' | 'database';

export interface ResolvedLevel {
  entry: CachedLevel;
  source: EntitlementSource;
}

export interface FeatureUsage {
  isEnabled: boolean;
  limit: number | null;
  unit: string | null;
  used: number | null;
  remaining: number | null;
}

/** A feature the organization may use now, with the window its usage counts in. */
export interface EnabledFeature {
  key: string;
  grant: FeatureGrant;
  level: string;
  period: QuotaPeriod | null;
}

/**
 * What an organization may do (DESIGN principle 5): its level (the live subscription's tier, else
 * `free`) from the cache or the database, and the catalog's grants for that level.
 */
@Injectable()
export class EntitlementService implements OnModuleInit {
  constructor(
    private readonly catalog: CatalogService,
    private readonly subscriptions: SubscriptionService,
    private readonly tenants: TenantService,
    private readonly usage: UsageRepository,
    private readonly cache: EntitlementCache,
    private readonly seatLimits: SeatLimits,
    private readonly events: EventBus,
  ) {}

  onModuleInit(): void {
    this.seatLimits.register(async (organizationId, manager) => {
      const { entry } = await this.resolve(organizationId, manager);
      const seats = this.catalog.features(entry.level as Level).seats;
      return seats ? seats.limit : null;
    });
  }

  /** The organization's level, from this replica's cache while it is fresh. */
  async resolve(organizationId: string, manager?: EntityManager): Promise<ResolvedLevel> {
    const cached = this.cache.get(organizationId);
    if (cached) return { entry: cached, source: 'cache' };
    const generation = this.cache.generation(organizationId);
    const level = await this.subscriptions.levelOf(organizationId, manager);
    return { entry: this.cache.set(organizationId, level, generation), source: 'database' };
  }

  /** Every feature of the catalog at the organization's level, with what has been used. */
  async features(
    organizationId: string,
  ): Promise<{ level: string; features: Record<string, FeatureUsage> }> {
    const { entry } = await this.resolve(organizationId);
    const grants = this.catalog.features(entry.level as Level);
    const features: Record<string, FeatureUsage> = {};
    for (const [key, grant] of Object.entries(grants)) {
      features[key] = await this.usageOf(organizationId, key, grant, entry);
    }
    return { level: entry.level, features };
  }

  /** Would `quantity` more be allowed now? Counts nothing. */
  async check(organizationId: string, feature: string, quantity: number) {
    const { entry, source } = await this.resolve(organizationId);
    const grant = this.grantOf(entry.level, feature);
    const usage = await this.usageOf(organizationId, feature, grant, entry);
    const allowed =
      grant.isEnabled && (usage.limit === null || (usage.used ?? 0) + quantity <= usage.limit);
    return {
      allowed,
      limit: usage.limit,
      used: usage.used,
      remaining: usage.remaining,
      level: entry.level,
      asOf: entry.cachedAt.toISOString(),
      source,
    };
  }

  async cacheInfo(organizationId: string) {
    const { entry } = await this.resolve(organizationId);
    return {
      organizationId,
      level: entry.level,
      cachedAt: entry.cachedAt.toISOString(),
      cacheValidUntil: entry.validUntil.toISOString(),
    };
  }

  /**
   * The feature, if the organization may use it now: 400 VALIDATION_FAILED when the catalog has
   * no such feature, 403 FEATURE_NOT_ENTITLED when its level lacks it.
   */
  async requireEnabled(organizationId: string, feature: string): Promise<EnabledFeature> {
    const { entry } = await this.resolve(organizationId);
    const grant = this.grantOf(entry.level, feature);
    if (!grant.isEnabled) {
      throw new DomainError(
        'FEATURE_NOT_ENTITLED',
        `Feature ${feature} is not included in the ${entry.level} level`,
      );
    }
    return { key: feature, grant, level: entry.level, period: quotaPeriodOf(grant.period, entry) };
  }

  /**
   * A subscription changed: the level may have too. Dropped here before the change's request
   * answers (listeners start synchronously after commit), on other replicas when notified.
   */
  @OnEvent('subscription.updated')
  async subscriptionChanged({
    organizationId,
  }: DomainEventMap['subscription.updated']): Promise<void> {
    await this.cache.invalidate(organizationId);
    const { entry } = await this.resolve(organizationId);
    this.events.publish('entitlements.changed', { organizationId, level: entry.level });
  }

  private grantOf(level: string, feature: string): FeatureGrant {
    const grant = this.catalog.features(level as Level)[feature];
    if (!grant) {
      throw new DomainError('VALIDATION_FAILED', `feature must be a feature of the catalog`, {
        errors: [{ field: 'feature', message: `Unknown feature ${feature}` }],
      });
    }
    return grant;
  }

  private async usageOf(
    organizationId: string,
    feature: string,
    grant: FeatureGrant,
    entry: CachedLevel,
  ): Promise<FeatureUsage> {
    const period = quotaPeriodOf(grant.period, entry);
    let used: number | null = null;
    if (grant.kind === 'seats') {
      used = await this.tenants.seatsTaken(organizationId);
    } else if (period) {
      used = await this.usage.used(organizationId, feature, period.start);
    }
    const remaining =
      grant.limit === null || used === null ? null : Math.max(0, grant.limit - used);
    return { isEnabled: grant.isEnabled, limit: grant.limit, unit: grant.unit, used, remaining };
  }
}
