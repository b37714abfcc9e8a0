import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { queryRecords } from '../../database/query-records.js';
import {
  IsNull,
  LessThanOrEqual,
  MoreThan,
  Not,
  type EntityManager,
  type Repository,
} from 'typeorm';
import { SubscriptionIntent } from './entities/subscription-intent.entity.js';

export type NewIntent = Pick<
  SubscriptionIntent,
  | 'organizationId'
  | 'kind'
  | 'tier'
  | 'billingCycle'
  | 'packKey'
  | 'region'
  | 'currency'
  | 'unitAmount'
  | 'idempotencyKey'
  | 'expiresAt'
  | 'createdBy'
>;

export type IntentPatch = Partial<
  Pick<
    SubscriptionIntent,
    | 'status'
    | 'stripeSessionId'
    | 'checkoutUrl'
    | 'stripeSubscriptionId'
    | 'failureReason'
    | 'expiresAt'
  >
>;

@Injectable()
export class IntentRepository {
  constructor(
    @InjectRepository(SubscriptionIntent) private readonly intents: Repository<SubscriptionIntent>,
  ) {}

  insert(manager: EntityManager, intent: NewIntent): Promise<SubscriptionIntent> {
    const repository = manager.getRepository(SubscriptionIntent);
    return repository.save(repository.create({ ...intent, status: 'pending' }));
  }

  findById(id: string, manager?: EntityManager): Promise<SubscriptionIntent | null> {
    return (manager?.getRepository(SubscriptionIntent) ?? this.intents).findOneBy({ id });
  }

  findByIdempotencyKey(
    organizationId: string,
    idempotencyKey: string,
  ): Promise<SubscriptionIntent | null> {
    return this.intents.findOneBy({ organizationId, idempotencyKey });
  }

  findBySessionId(stripeSessionId: string): Promise<SubscriptionIntent | null> {
    return this.intents.findOneBy({ stripeSessionId });
  }

  /**
   * The intent of a Checkout Session, locked until the caller's transaction ends: Stripe
   * delivers a session's events concurrently and duplicated, and each must see what the one
   * before it decided (two `async_payment_failed` would otherwise race on the version).
   */
  lockBySessionId(
    manager: EntityManager,
    stripeSessionId: string,
  ): Promise<SubscriptionIntent | null> {
    return manager.getRepository(SubscriptionIntent).findOne({
      where: { stripeSessionId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** A still-open checkout for exactly this purchase, so a second click reuses it. */
  findOpen(
    target: Pick<
      SubscriptionIntent,
      'organizationId' | 'kind' | 'tier' | 'billingCycle' | 'packKey' | 'region'
    >,
  ) {
    return this.intents.findOne({
      where: {
        ...target,
        tier: target.tier ?? IsNull(),
        billingCycle: target.billingCycle ?? IsNull(),
        packKey: target.packKey ?? IsNull(),
        status: 'pending',
        stripeSessionId: Not(IsNull()),
        expiresAt: MoreThan(new Date()),
      },
      order: { createdAt: 'DESC' },
    });
  }

  /** The organization's pending subscription intent, whatever its target (at most one exists). */
  findPendingSubscription(organizationId: string) {
    return this.intents.findOneBy({ organizationId, kind: 'subscription', status: 'pending' });
  }

  /**
   * Optimistic locking: applies `patch` only if the row still has `version`, and bumps it. TypeORM's
   * save() would overwrite whatever another caller wrote in between, so every intent change goes
   * through this conditional UPDATE. False means someone else changed the intent first.
   */
  async applyIfVersion(
    manager: EntityManager,
    id: string,
    version: number,
    patch: IntentPatch,
  ): Promise<boolean> {
    const result = await manager
      .getRepository(SubscriptionIntent)
      .createQueryBuilder()
      .update()
      .set({ ...patch, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id, version })
      .execute();
    return result.affected === 1;
  }

  /** Pending intents past their expiry: candidates for expiring, once Stripe agrees. */
  async pastExpiry(limit: number): Promise<Pick<SubscriptionIntent, 'id' | 'stripeSessionId'>[]> {
    return this.intents.find({
      select: { id: true, stripeSessionId: true },
      where: { status: 'pending', expiresAt: LessThanOrEqual(new Date()) },
      order: { expiresAt: 'ASC' },
      take: limit,
    });
  }

  /**
   * Expires these intents if they are still pending, in one conditional UPDATE (status and
   * version checked by the database, so an intent a webhook completes at the same moment stays
   * completed). Returns the ids it expired.
   */
  async expirePending(manager: EntityManager, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await queryRecords<{ id: string }>(
      manager,
      `UPDATE subscription_intents SET status = 'expired', version = version + 1, updated_at = now()
       WHERE status = 'pending' AND id = ANY($1::uuid[]) RETURNING id`,
      [ids],
    );
    return rows.map((row) => row.id);
  }
}
