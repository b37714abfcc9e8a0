import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/index.js';
import { isForeignKeyViolation } from '../../database/postgres-errors.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { EventBus } from '../../events/event-bus.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuditContext } from '../audit/audit.types.js';
import { CatalogService } from '../catalog/catalog.service.js';
import type { BillingCycle } from '../catalog/catalog.schema.js';
import type { SubscriptionResponseDto } from './dto/subscription-response.dto.js';
import { toSubscriptionResponse } from './subscription.mapper.js';
import { SubscriptionRepository } from './subscription.repository.js';

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
    private readonly subscriptions: SubscriptionRepository,
    private readonly catalog: CatalogService,
    private readonly audit: AuditService,
    private readonly events: EventBus,
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
    try {
      return await this.transactions.run(async (manager) => {
        await this.subscriptions.upsertFromEvent(manager, {
          ...input,
          stripeSubscriptionId,
          status: 'active',
          region: price.region,
          currency: price.currency,
          currentPeriodEnd: periodEnd,
          trialEnd: null,
          cancelAtPeriodEnd: false,
          eventCreated: Math.floor(Date.now() / 1000),
        });
        await this.audit.record(manager, {
          ...audit,
          entityType: 'SUBSCRIPTION',
          entityId: stripeSubscriptionId,
          action: 'CREATE',
          changes: { status: { from: null, to: 'active' }, tier: { from: null, to: input.tier } },
          metadata: { ...audit.metadata, organizationId: input.organizationId },
        });
        this.events.publishAfterCommit(manager, 'subscription.updated', {
          organizationId: input.organizationId,
          stripeSubscriptionId,
          status: 'active',
          tier: input.tier,
        });
        const created = await this.subscriptions.findByStripeId(
          input.organizationId,
          stripeSubscriptionId,
          manager,
        );
        return toSubscriptionResponse(created!);
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new DomainError('NOT_FOUND', 'No such organization');
      throw error;
    }
  }
}
