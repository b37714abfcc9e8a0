import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
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
        attempts: () => 'attempts + 1',
      },
    );
  }

  /** Records a failed attempt, outside the rolled-back transaction of the attempt itself. */
  async recordFailure(event: Stripe.Event, error: string): Promise<void> {
    await this.events.query(
      `INSERT INTO stripe_events (id, type, payload, stripe_created, status, attempts, last_error)
       VALUES ($1, $2, $3, $4, 'failed', 1, $5)
       ON CONFLICT (id) DO UPDATE SET status = 'failed', attempts = stripe_events.attempts + 1, last_error = EXCLUDED.last_error
       WHERE stripe_events.status IN ('received', 'failed')`,
      [event.id, event.type, JSON.stringify(event), event.created, error.slice(0, 2000)],
    );
  }
}
