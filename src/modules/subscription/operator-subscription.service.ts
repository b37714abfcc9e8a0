import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/index.js';
import { isForeignKeyViolation } from '../../database/postgres-errors.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import type { AuditContext } from '../audit/audit.types.js';
import { CatalogService } from '../catalog/catalog.service.js';
import type { BillingCycle } from '../catalog/catalog.schema.js';
import type { SubscriptionResponseDto } from './dto/subscription-response.dto.js';
import { toSubscriptionResponse } from './subscription.mapper.js';
import { SubscriptionChanges } from './subscription-changes.js';
import type { SubscriptionState } from './subscription-transitions.js';

export interface OperatorSubscription {
  organizationId: string;
  productKey: string;
  tier: string;
  billingCycle: BillingCycle;
}

/**
 * A subscription written by an operator without Stripe (maintenance mode only: a repair when
 * Stripe and we cannot agree). It carries a `manual_` id that no Stripe event will ever match.
 */
@Injectable()
export class OperatorSubscriptionService {
  constructor(
    private readonly changes: SubscriptionChanges,
    private readonly catalog: CatalogService,
    private readonly transactions: TransactionRunner,
  ) {}

  async create(input: OperatorSubscription, audit: AuditContext): Promise<SubscriptionResponseDto> {
    const price = this.catalog.price(input.tier, input.billingCycle, 'US');
    if (input.productKey !== this.catalog.productKey || !price) {
      throw new DomainError('VALIDATION_FAILED', 'No such product, tier and cycle in the catalog', {
        errors: [
          {
            field: 'tier',
            message: `${input.productKey}/${input.tier}/${input.billingCycle} is not for sale`,
          },
        ],
      });
    }
    const stripeSubscriptionId = `manual_${randomUUID()}`;
    const periodEnd = new Date();
    if (input.billingCycle === 'yearly') periodEnd.setUTCFullYear(periodEnd.getUTCFullYear() + 1);
    else periodEnd.setUTCMonth(periodEnd.getUTCMonth() + 1);
    const state: SubscriptionState = {
      tier: input.tier,
      billingCycle: input.billingCycle,
      region: price.region,
      currency: price.currency,
      status: 'active',
      currentPeriodEnd: periodEnd,
      trialEnd: null,
      cancelAtPeriodEnd: false,
      gracePeriodEnd: null,
      pendingChange: null,
      flaggedReason: null,
    };
    try {
      return await this.transactions.run(async (manager) => {
        const { subscription } = await this.changes.apply(
          manager,
          null,
          {
            organizationId: input.organizationId,
            stripeSubscriptionId,
            productKey: input.productKey,
          },
          state,
          {},
          { ...audit, cause: 'operator:maintenance', recipient: null },
        );
        return toSubscriptionResponse(subscription);
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new DomainError('NOT_FOUND', 'No such organization');
      throw error;
    }
  }
}
