import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { queryRecords } from '../../database/query-records.js';
import { MailMessage } from './entities/mail-message.entity.js';

export type NewMailMessage = Pick<
  MailMessage,
  'recipient' | 'template' | 'subject' | 'html' | 'text'
>;
export type ClaimedMail = Pick<
  MailMessage,
  'id' | 'recipient' | 'subject' | 'html' | 'text' | 'attempts'
>;

/** How long a claimed message is hidden from other senders while one sends it. */
const CLAIM_LEASE_SECONDS = 120;

@Injectable()
export class MailOutboxRepository {
  constructor(@InjectRepository(MailMessage) private readonly messages: Repository<MailMessage>) {}

  async insert(manager: EntityManager, message: NewMailMessage): Promise<void> {
    await manager.getRepository(MailMessage).insert(message);
  }

  /**
   * Claims up to `limit` due messages for this sender. `FOR UPDATE SKIP LOCKED` lets several
   * replicas claim at once without taking the same row; pushing `next_attempt_at` out by a lease
   * (instead of holding the row lock while sending) keeps the transaction short, and a sender that
   * dies mid-send leaves the message to be retried when the lease runs out.
   */
  async claimDue(limit: number): Promise<ClaimedMail[]> {
    return queryRecords<ClaimedMail>(
      this.messages.manager,
      `UPDATE mail_outbox
          SET attempts = attempts + 1,
              next_attempt_at = now() + make_interval(secs => $2)
        WHERE id IN (SELECT id FROM mail_outbox
                      WHERE status = 'pending' AND next_attempt_at <= now()
                      ORDER BY next_attempt_at
                      LIMIT $1
                      FOR UPDATE SKIP LOCKED)
    RETURNING id, recipient, subject, html, text, attempts`,
      [limit, CLAIM_LEASE_SECONDS],
    );
  }

  async markSent(id: string): Promise<void> {
    await this.messages.update(id, {
      status: 'sent',
      sentAt: new Date(),
      html: null,
      text: null,
      lastError: null,
    });
  }

  async markFailedAttempt(id: string, error: string, retryAt: Date | null): Promise<void> {
    await this.messages.update(id, {
      lastError: error.slice(0, 1000),
      ...(retryAt ? { nextAttemptAt: retryAt } : { status: 'failed' as const }),
    });
  }
}
