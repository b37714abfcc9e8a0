import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/index.js';
import { IdempotencyStore } from '../../common/idempotency/idempotency.store.js';
import { withSavepoint } from '../../database/savepoint.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import type { RecordUsageDto, UsageRecordedDto } from './dto/usage.dto.js';
import { EntitlementService, type EnabledFeature } from './entitlement.service.js';
import { UsageRepository, type DailyTotal } from './usage.repository.js';

/** Usage metering: quotas per period, and daily totals for statistics. */
@Injectable()
export class UsageService {
  constructor(
    private readonly entitlements: EntitlementService,
    private readonly usage: UsageRepository,
    private readonly idempotency: IdempotencyStore,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * Counts usage against the feature's quota and into the day's totals, together. Past the
   * limit: 429 QUOTA_EXCEEDED with Retry-After at the period's end, and nothing is counted. With
   * an idempotency key, a repeat is answered as the first time and counted once.
   */
  async record(organizationId: string, input: RecordUsageDto): Promise<UsageRecordedDto> {
    const feature = await this.entitlements.requireEnabled(organizationId, input.feature);
    return this.transactions.run(async (manager) => {
      const request = input.idempotencyKey
        ? { organizationId, key: input.idempotencyKey, route: 'POST /usage', body: input }
        : null;
      const earlier = request
        ? await this.idempotency.claim<UsageRecordedDto>(manager, request)
        : null;
      if (earlier) return earlier;
      const used = await this.countAgainstQuota(manager, organizationId, feature, input.quantity);
      await this.usage.addToDailyTotal(manager, {
        organizationId,
        feature: input.feature,
        model: input.model ?? null,
        quantity: input.quantity,
      });
      const answer: UsageRecordedDto = {
        feature: input.feature,
        quantity: input.quantity,
        used,
        limit: feature.grant.limit,
        periodEnd: feature.period?.end.toISOString() ?? null,
      };
      if (request) await this.idempotency.complete(manager, request, 202, answer);
      return answer;
    });
  }

  /**
   * Statistics only (a credit charge's usage), in the caller's transaction but behind a
   * savepoint: they commit with the charge, and their failure never fails it. Returns false when
   * they could not be recorded.
   */
  async addToDailyTotal(
    manager: EntityManager,
    organizationId: string,
    usage: { feature: string; model: string | null; quantity: number },
  ): Promise<boolean> {
    return withSavepoint(manager, 'usage_statistics', () =>
      this.usage.addToDailyTotal(manager, { organizationId, ...usage }),
    );
  }

  dailyTotals(
    organizationId: string,
    range: { from: string; to: string; feature?: string },
  ): Promise<DailyTotal[]> {
    return this.usage.dailyTotals(organizationId, range);
  }

  private async countAgainstQuota(
    manager: Parameters<UsageRepository['countWithinLimit']>[0],
    organizationId: string,
    feature: EnabledFeature,
    quantity: number,
  ): Promise<number | null> {
    if (!feature.period) return null;
    const used = await this.usage.countWithinLimit(
      manager,
      { organizationId, feature: feature.key, periodStart: feature.period.start, quantity },
      feature.grant.limit,
    );
    if (used === null) {
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((feature.period.end.getTime() - Date.now()) / 1000),
      );
      throw new DomainError(
        'QUOTA_EXCEEDED',
        `The ${feature.key} quota of ${feature.grant.limit} per ${feature.grant.period} would be passed; it renews at ${feature.period.end.toISOString()}`,
        { retryAfterSeconds },
      );
    }
    return used;
  }
}
