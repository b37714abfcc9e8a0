import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, In, IsNull, Not, type EntityManager, type Repository } from 'typeorm';
import { CreditPurchase, type DisputeStatus } from './entities/credit-purchase.entity.js';

export type NewPurchase = Pick<
  CreditPurchase,
  'organizationId' | 'intentId' | 'packKey' | 'credits' | 'bonusCredits' | 'unitAmount' | 'currency'
>;

@Injectable()
export class PurchaseRepository {
  constructor(
    @InjectRepository(CreditPurchase) private readonly purchases: Repository<CreditPurchase>,
  ) {}

  /** One purchase per intent, however often the checkout is retried. */
  async recordOnce(purchase: NewPurchase): Promise<void> {
    await this.purchases.createQueryBuilder().insert().values(purchase).orIgnore().execute();
  }

  listOfOrganization(organizationId: string): Promise<CreditPurchase[]> {
    return this.purchases.find({ where: { organizationId }, order: { createdAt: 'DESC' } });
  }

  findOne(organizationId: string, id: string): Promise<CreditPurchase | null> {
    return this.purchases.findOneBy({ organizationId, id });
  }

  findByIntent(intentId: string, manager?: EntityManager): Promise<CreditPurchase | null> {
    return (manager?.getRepository(CreditPurchase) ?? this.purchases).findOneBy({ intentId });
  }

  async markPaid(
    manager: EntityManager,
    intentId: string,
    stripePaymentIntentId: string | null,
  ): Promise<CreditPurchase | null> {
    await manager
      .getRepository(CreditPurchase)
      .update({ intentId }, { status: 'paid', paidAt: new Date(), stripePaymentIntentId });
    return manager.getRepository(CreditPurchase).findOneBy({ intentId });
  }

  async expireForIntents(manager: EntityManager, intentIds: string[]): Promise<void> {
    if (intentIds.length === 0) return;
    await manager
      .getRepository(CreditPurchase)
      .update(
        { intentId: In(intentIds), status: In(['pending', 'processing']) },
        { status: 'expired' },
      );
  }

  async markProcessing(manager: EntityManager, intentIds: string[]): Promise<void> {
    if (intentIds.length === 0) return;
    await manager
      .getRepository(CreditPurchase)
      .update({ intentId: In(intentIds), status: 'pending' }, { status: 'processing' });
  }

  async setStatus(
    manager: EntityManager,
    intentId: string,
    status: CreditPurchase['status'],
  ): Promise<void> {
    await manager.getRepository(CreditPurchase).update({ intentId }, { status });
  }

  /**
   * The purchase a Stripe payment paid for, its row locked until the caller's transaction ends so
   * that two refund events of one charge account for its credits one after the other.
   */
  lockByPaymentIntent(
    manager: EntityManager,
    stripePaymentIntentId: string,
  ): Promise<CreditPurchase | null> {
    return manager
      .getRepository(CreditPurchase)
      .createQueryBuilder('purchase')
      .setLock('pessimistic_write')
      .where('purchase.stripePaymentIntentId = :stripePaymentIntentId', { stripePaymentIntentId })
      .getOne();
  }

  async recordRefund(
    manager: EntityManager,
    id: string,
    refund: Pick<CreditPurchase, 'refundedAmount' | 'refundedCredits' | 'status'>,
  ): Promise<void> {
    await manager.getRepository(CreditPurchase).update({ id }, refund);
  }

  async recordDispute(
    manager: EntityManager,
    id: string,
    dispute: Pick<CreditPurchase, 'stripeDisputeId' | 'disputeStatus' | 'frozenCredits'> & {
      creditsTaken: number;
    },
  ): Promise<void> {
    await manager
      .getRepository(CreditPurchase)
      .createQueryBuilder()
      .update()
      .set({
        stripeDisputeId: dispute.stripeDisputeId,
        disputeStatus: dispute.disputeStatus,
        frozenCredits: dispute.frozenCredits,
        refundedCredits: () => `refunded_credits + ${Number(dispute.creditsTaken)}`,
      })
      .where('id = :id', { id })
      .execute();
  }

  /**
   * Checkout sessions of purchases not paid (pending, processing or expired) made between
   * `createdAfter` and `createdBefore`: reconciliation asks Stripe whether they were paid.
   */
  async unpaidSessions(createdAfter: Date, createdBefore: Date): Promise<string[]> {
    const rows = await this.purchases.find({
      select: { stripeSessionId: true },
      where: {
        status: In(['pending', 'processing', 'expired']),
        stripeSessionId: Not(IsNull()),
        createdAt: Between(createdAfter, createdBefore),
      },
    });
    return rows.flatMap((row) => (row.stripeSessionId ? [row.stripeSessionId] : []));
  }

  /** Disputed purchases, most recently changed first: what operators follow up. */
  disputed(
    status: DisputeStatus | undefined,
    page: { limit: number; offset: number },
  ): Promise<[CreditPurchase[], number]> {
    return this.purchases.findAndCount({
      where: { disputeStatus: status ?? Not(IsNull()) },
      order: { updatedAt: 'DESC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  async attachSession(intentId: string, stripeSessionId: string): Promise<void> {
    await this.purchases.update({ intentId }, { stripeSessionId });
  }
}
