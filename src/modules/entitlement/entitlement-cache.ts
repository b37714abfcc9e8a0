import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { billingConfig } from '../../config/billing.config.js';
import { DatabaseNotifications } from '../../database/database-notifications.js';
import type { SubscriptionLevel } from '../subscription/subscription.service.js';

export interface CachedLevel extends SubscriptionLevel {
  cachedAt: Date;
  validUntil: Date;
}

const CHANNEL = 'entitlement_invalidations';

/**
 * Each replica's memory of organizations' levels, for ENTITLEMENT_CACHE_TTL_SECONDS. A change is
 * dropped here at once and on every other replica through the database's notification channel.
 * A read that began before a drop does not put its older answer back (the generation check).
 */
@Injectable()
export class EntitlementCache implements OnApplicationBootstrap {
  private readonly entries = new Map<string, CachedLevel>();
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly notifications: DatabaseNotifications,
    @Inject(billingConfig.KEY) private readonly config: ConfigType<typeof billingConfig>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.notifications.subscribe(CHANNEL, (payload) =>
      this.dropHere((payload as { organizationId: string }).organizationId),
    );
  }

  get(organizationId: string, now = new Date()): CachedLevel | null {
    const entry = this.entries.get(organizationId);
    return entry && entry.validUntil > now ? entry : null;
  }

  /** The token to hand back to `set`: a drop in between makes the set a no-op. */
  generation(organizationId: string): number {
    return this.generations.get(organizationId) ?? 0;
  }

  set(organizationId: string, level: SubscriptionLevel, generation: number): CachedLevel {
    const cachedAt = new Date();
    const entry = {
      ...level,
      cachedAt,
      validUntil: new Date(cachedAt.getTime() + this.config.entitlementCacheTtlSeconds * 1000),
    };
    if (generation === this.generation(organizationId)) this.entries.set(organizationId, entry);
    return entry;
  }

  /** Drops the organization's entry here now, and on every replica once the notice arrives. */
  async invalidate(organizationId: string): Promise<void> {
    this.dropHere(organizationId);
    await this.notifications.publish(CHANNEL, { organizationId });
  }

  private dropHere(organizationId: string): void {
    this.entries.delete(organizationId);
    this.generations.set(organizationId, this.generation(organizationId) + 1);
  }
}
