import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, Not, type EntityManager, type Repository } from 'typeorm';
import { CreditPurchase } from './entities/credit-purchase.entity.js';

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

  findByIntent(intentId: string): Promise<CreditPurchase | null> {
    return this.purchases.findOneBy({ intentId });
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
      .update({ intentId: In(intentIds), status: 'pending' }, { status: 'expired' });
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

  /** Checkout sessions of purchases still pending since before `createdBefore`. */
  async pendingSessions(createdBefore: Date): Promise<string[]> {
    const rows = await this.purchases.find({
      select: { stripeSessionId: true },
      where: {
        status: 'pending',
        stripeSessionId: Not(IsNull()),
        createdAt: LessThan(createdBefore),
      },
    });
    return rows.flatMap((row) => (row.stripeSessionId ? [row.stripeSessionId] : []));
  }

  async attachSession(intentId: string, stripeSessionId: string): Promise<void> {
    await this.purchases.update({ intentId }, { stripeSessionId });
  }
}
