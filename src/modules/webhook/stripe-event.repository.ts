import { Injectable } from '@nestjs/common';
import { countBy } from '../../database/count-by.js';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import type Stripe from 'stripe';
import { queryRecords } from '../../database/query-records.js';
import { StripeEvent, type StripeEventStatus } from './entities/stripe-event.entity.js';

@Injectable()
export class StripeEventRepository {
  constructor(@InjectRepository(StripeEvent) private readonly events: Repository<StripeEvent>) {}

  /**
   * Stores the event if it is new and locks its row for the rest of the transaction. A
   * concurrent delivery of the same event waits here until the first one commits, then finds
   * it processed: the unique id plus the row lock make handling happen once.
   */
  async claim(manager: EntityManager, event: Stripe.Event): Promise<StripeEventStatus> {
    await queryRecords(
      manager,
      `INSERT INTO stripe_events (id, type, payload, stripe_created) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO NOTHING`,
      [event.id, event.type, JSON.stringify(event), event.created],
    );
    const [row] = await queryRecords<{ status: StripeEventStatus }>(
      manager,
      'SELECT status FROM stripe_events WHERE id = $1 FOR UPDATE',
      [event.id],
    );
    return row.status;
  }

  async finish(manager: EntityManager, id: string, status: 'processed' | 'ignored'): Promise<void> {
    await manager.getRepository(StripeEvent).update(
      { id },
      {
        status,
        processedAt: new Date(),
        lastError: null,
        nextAttemptAt: null,
        attempts: () => 'attempts + 1',
      },
    );
  }

  /**
   * Records a failed attempt, outside the rolled-back transaction of the attempt itself, and when
   * the retry job may try again: one minute after the first failure, doubling up to six hours.
   */
  async recordFailure(event: Stripe.Event, error: string): Promise<void> {
    await this.events.query(
      `INSERT INTO stripe_events (id, type, payload, stripe_created, status, attempts, last_error, next_attempt_at)
       VALUES ($1, $2, $3, $4, 'failed', 1, $5, now() + interval '1 minute')
       ON CONFLICT (id) DO UPDATE SET
         status = 'failed',
         attempts = stripe_events.attempts + 1,
         last_error = EXCLUDED.last_error,
         next_attempt_at = now() + least(interval '1 minute' * power(2, stripe_events.attempts), interval '6 hours')
       WHERE stripe_events.status IN ('received', 'failed')`,
      [event.id, event.type, JSON.stringify(event), event.created, error.slice(0, 2000)],
    );
  }

  /** Failed events whose backoff has run out, oldest first, for the retry job. */
  async dueForRetry(maxAttempts: number, limit: number): Promise<Stripe.Event[]> {
    const rows = await this.events
      .createQueryBuilder('event')
      .select('event.payload')
      .where("event.status = 'failed'")
      .andWhere('event.nextAttemptAt <= now()')
      .andWhere('event.attempts < :maxAttempts', { maxAttempts })
      .orderBy('event.nextAttemptAt')
      .limit(limit)
      .getMany();
    return rows.map((row) => row.payload as unknown as Stripe.Event);
  }

  /** Whether the event was applied (or ignored) already: a redelivery needs no preparation. */
  isFinished(id: string): Promise<boolean> {
    return this.events.existsBy({ id, status: In(['processed', 'ignored']) });
  }

  async find(id: string): Promise<StripeEvent | null> {
    return this.events.findOneBy({ id });
  }

  list(
    filter: { status?: StripeEventStatus; type?: string },
    page: { limit: number; offset: number },
  ): Promise<[StripeEvent[], number]> {
    return this.events.findAndCount({
      where: {
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.type ? { type: filter.type } : {}),
      },
      order: { receivedAt: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  /** Retention: applied or ignored events older than `before`; failed ones stay for operators. */
  async deleteFinishedBefore(before: Date): Promise<number> {
    const result = await this.events
      .createQueryBuilder()
      .delete()
      .where("status IN ('processed', 'ignored') AND received_at < :before", { before })
      .execute();
    return result.affected ?? 0;
  }

  countByStatus(): Promise<Record<string, number>> {
    return countBy(this.events, 'status');
  }
}
