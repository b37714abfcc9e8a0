import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/index.js';
import { pageOf, type Page, type PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { EventBus } from '../../events/event-bus.js';
import { TenantService } from '../tenant/tenant.service.js';
import type { DisputedPurchaseDto, PurchaseDto } from './dto/billing-account.dto.js';
import type { CreditPurchase, DisputeStatus } from './entities/credit-purchase.entity.js';
import { PurchaseRepository } from './purchase.repository.js';
import { renderReceipt } from './receipt.renderer.js';

/** What a refund or a dispute of a paid purchase needs to know. */
export interface DisputablePurchase {
  id: string;
  organizationId: string;
  /** Credits granted, bonus included. */
  credits: number;
  /** What was paid, integer minor units. */
  unitAmount: number;
  currency: string;
  refundedAmount: number;
  refundedCredits: number;
  disputeStatus: DisputeStatus | null;
  frozenCredits: number;
}

@Injectable()
export class PurchaseService {
  constructor(
    private readonly purchases: PurchaseRepository,
    private readonly tenants: TenantService,
    private readonly events: EventBus,
  ) {}

  /**
   * Marks the purchase of an intent paid, inside the caller's transaction (a webhook's); once
   * that commits, `purchase.completed` is published.
   */
  async markPaid(
    manager: EntityManager,
    intentId: string,
    stripePaymentIntentId: string | null,
  ): Promise<PurchaseDto | null> {
    const purchase = await this.purchases.markPaid(manager, intentId, stripePaymentIntentId);
    if (!purchase) return null;
    this.events.publishAfterCommit(manager, 'purchase.completed', {
      organizationId: purchase.organizationId,
      purchaseId: purchase.id,
      credits: purchase.credits + purchase.bonusCredits,
    });
    return toDto(purchase);
  }

  /** The purchase of a credits intent, read in the caller's transaction. */
  async ofIntent(manager: EntityManager, intentId: string): Promise<PurchaseDto | null> {
    const purchase = await this.purchases.findByIntent(intentId, manager);
    return purchase ? toDto(purchase) : null;
  }

  /** Marks the purchase of an intent, inside the caller's transaction (a webhook's). */
  markStatus(
    manager: EntityManager,
    intentId: string,
    status: 'expired' | 'failed' | 'processing',
  ): Promise<void> {
    return this.purchases.setStatus(manager, intentId, status);
  }

  /** Purchases of these intents await an asynchronous payment (a bank debit). */
  markProcessing(manager: EntityManager, intentIds: string[]): Promise<void> {
    return this.purchases.markProcessing(manager, intentIds);
  }

  /** The pending purchases of these (expired) intents expire too, in the caller's transaction. */
  expireForIntents(manager: EntityManager, intentIds: string[]): Promise<void> {
    return this.purchases.expireForIntents(manager, intentIds);
  }

  /** See PurchaseRepository.lockByPaymentIntent. */
  async lockByPaymentIntent(
    manager: EntityManager,
    stripePaymentIntentId: string,
  ): Promise<DisputablePurchase | null> {
    const purchase = await this.purchases.lockByPaymentIntent(manager, stripePaymentIntentId);
    if (!purchase) return null;
    return {
      id: purchase.id,
      organizationId: purchase.organizationId,
      credits: purchase.credits + purchase.bonusCredits,
      unitAmount: purchase.unitAmount,
      currency: purchase.currency,
      refundedAmount: purchase.refundedAmount,
      refundedCredits: purchase.refundedCredits,
      disputeStatus: purchase.disputeStatus,
      frozenCredits: purchase.frozenCredits,
    };
  }

  /**
   * Records a dispute's step on the purchase (locked by the caller): its status, the credits it
   * keeps frozen, and credits a lost dispute took (counted as refunded, never taken twice).
   */
  recordDispute(
    manager: EntityManager,
    purchaseId: string,
    stripeDisputeId: string,
    disputeStatus: DisputeStatus,
    frozenCredits: number,
    creditsTaken: number,
  ): Promise<void> {
    return this.purchases.recordDispute(manager, purchaseId, {
      stripeDisputeId,
      disputeStatus,
      frozenCredits,
      creditsTaken,
    });
  }

  /** Records Stripe's cumulative refund of a purchase, inside the caller's transaction. */
  recordRefund(
    manager: EntityManager,
    purchaseId: string,
    refund: { refundedAmount: number; refundedCredits: number; fullyRefunded: boolean },
  ): Promise<void> {
    return this.purchases.recordRefund(manager, purchaseId, {
      refundedAmount: refund.refundedAmount,
      refundedCredits: refund.refundedCredits,
      status: refund.fullyRefunded ? 'refunded' : 'paid',
    });
  }

  /** Checkout sessions of unpaid credit purchases made in a window (reconciliation). */
  unpaidSessions(createdAfter: Date, createdBefore: Date): Promise<string[]> {
    return this.purchases.unpaidSessions(createdAfter, createdBefore);
  }

  /** Disputed purchases (all, or those with this dispute status) for operators, paged. */
  async disputed(
    status: DisputeStatus | undefined,
    query: PageQueryDto,
  ): Promise<Page<DisputedPurchaseDto>> {
    const [rows, total] = await this.purchases.disputed(status, {
      limit: query.perPage,
      offset: (query.page - 1) * query.perPage,
    });
    const data = rows.map((purchase) => ({
      ...toDto(purchase),
      organizationId: purchase.organizationId,
      stripeDisputeId: purchase.stripeDisputeId!,
      disputeStatus: purchase.disputeStatus!,
      frozenCredits: purchase.frozenCredits,
      refundedCredits: purchase.refundedCredits,
      updatedAt: purchase.updatedAt.toISOString(),
    }));
    return pageOf(data, total, query);
  }

  async list(organizationId: string): Promise<PurchaseDto[]> {
    return (await this.purchases.listOfOrganization(organizationId)).map(toDto);
  }

  /** A PDF receipt for a paid (or since refunded) purchase; 404 otherwise. */
  async receipt(organizationId: string, purchaseId: string): Promise<Buffer> {
    const purchase = await this.purchases.findOne(organizationId, purchaseId);
    if (!purchase?.paidAt)
      throw new DomainError('NOT_FOUND', 'No receipt: the purchase is unknown or not paid');
    const organization = await this.tenants.findOrganization(organizationId);
    return renderReceipt({
      organizationName: organization?.name ?? '',
      purchaseId: purchase.id,
      packKey: purchase.packKey,
      credits: purchase.credits,
      bonusCredits: purchase.bonusCredits,
      unitAmount: purchase.unitAmount,
      currency: purchase.currency,
      paidAt: purchase.paidAt,
      stripeSessionId: purchase.stripeSessionId,
      stripePaymentIntentId: purchase.stripePaymentIntentId,
    });
  }
}

function toDto(purchase: CreditPurchase): PurchaseDto {
  return {
    id: purchase.id,
    packKey: purchase.packKey,
    credits: purchase.credits,
    bonusCredits: purchase.bonusCredits,
    unitAmount: purchase.unitAmount,
    currency: purchase.currency,
    status: purchase.status,
    refundedAmount: purchase.refundedAmount,
    createdAt: purchase.createdAt.toISOString(),
    paidAt: purchase.paidAt?.toISOString() ?? null,
  };
}
