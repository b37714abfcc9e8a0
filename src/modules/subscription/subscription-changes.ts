import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { canonicalJson } from '../../common/crypto/canonical-json.js';
import { DomainError } from '../../common/errors/index.js';
import { EventBus } from '../../events/event-bus.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuditChanges, AuditContext } from '../audit/audit.types.js';
import { MailService } from '../mail/mail.service.js';
import type { PaymentFailure, Subscription } from './entities/subscription.entity.js';
import { noticesOf } from './subscription-notices.js';
import type { SubscriptionState } from './subscription-transitions.js';
import { SubscriptionRepository, type SubscriptionWrite } from './subscription.repository.js';

/** Who is told of a change by mail: the member who made it, or the billing contact. */
export interface Recipient {
  email: string;
  name: string;
}

export interface ChangeContext extends AuditContext {
  /** What caused the change, for the audit row: `webhook:invoice.paid`, `api:cancel`, `operator:sync`… */
  cause: string;
  recipient: Recipient | null;
  /** Write the audit row even when nothing changed (an operator's sync is recorded either way). */
  auditUnchanged?: boolean;
}

/** Bookkeeping written with a change: which Stripe read or event it came from. */
export interface ChangeSource {
  eventCreated?: number;
  syncedAt?: Date;
  lastPaymentFailure?: PaymentFailure;
}

const TRACKED: (keyof SubscriptionState)[] = [
  'status',
  'tier',
  'billingCycle',
  'region',
  'currency',
  'currentPeriodEnd',
  'trialEnd',
  'cancelAtPeriodEnd',
  'gracePeriodEnd',
  'pendingChange',
  'flaggedReason',
];

/**
 * The one write path of a subscription row (DESIGN principle 1). Stripe's events, our own API
 * calls, operators, reconciliation and the jobs all come here with the state they decided on:
 * it writes the row, audits the change (entity id: always the row's id), flags what operators
 * must see, publishes `subscription.updated` after commit and queues the notice mail, all in the
 * caller's transaction.
 */
@Injectable()
export class SubscriptionChanges {
  private readonly logger = new Logger(SubscriptionChanges.name);

  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly audit: AuditService,
    private readonly events: EventBus,
    private readonly mail: MailService,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Applies `next` to `before` (locked by the caller), or creates the row when `before` is null.
   * Returns the row as written and the fields that changed.
   */
  async apply(
    manager: EntityManager,
    before: Subscription | null,
    identity: Pick<Subscription, 'organizationId' | 'stripeSubscriptionId' | 'productKey'>,
    next: SubscriptionState,
    source: ChangeSource,
    context: ChangeContext,
  ): Promise<{ subscription: Subscription; changed: string[] }> {
    const bookkeeping = bookkeepingOf(before, source);
    const { row, created } = await this.upsert(manager, before, identity, next, bookkeeping);
    const changes = changesOf(created ? null : row, next);
    const after: Subscription = { ...row, ...next, ...bookkeeping };
    const changed = Object.keys(changes);
    if (changed.length > 0 || context.auditUnchanged) {
      await this.audit.record(manager, {
        entityType: 'SUBSCRIPTION',
        entityId: after.id,
        action: created ? 'CREATE' : actionOf(row, next),
        actor: context.actor,
        changes,
        metadata: {
          ...context.metadata,
          organizationId: after.organizationId,
          stripeSubscriptionId: after.stripeSubscriptionId,
          cause: context.cause,
        },
      });
    }
    if (next.flaggedReason && next.flaggedReason !== (created ? null : row.flaggedReason))
      await this.flag(manager, after, next.flaggedReason, context);
    if (changed.length === 0) return { subscription: after, changed };
    this.events.publishAfterCommit(manager, 'subscription.updated', {
      organizationId: after.organizationId,
      stripeSubscriptionId: after.stripeSubscriptionId,
      status: after.status,
      tier: after.tier,
    });
    if (context.recipient) {
      for (const notice of noticesOf(created ? null : row, after, context.recipient.name))
        await this.mail.enqueue(manager, context.recipient.email, notice.template, notice.data);
    }
    return { subscription: after, changed };
  }

  /**
   * Creates the row, or writes `next` over the locked one. When a concurrent delivery created it
   * since the caller looked, `next` was decided without it: the caller's transaction fails and its
   * retry (Stripe redelivers; the retry job) decides again against the row.
   */
  private async upsert(
    manager: EntityManager,
    before: Subscription | null,
    identity: Pick<Subscription, 'organizationId' | 'stripeSubscriptionId' | 'productKey'>,
    next: SubscriptionState,
    bookkeeping: SubscriptionWrite,
  ): Promise<{ row: Subscription; created: boolean }> {
    if (!before) {
      const inserted = await this.subscriptions.insertIfAbsent(manager, {
        ...identity,
        ...next,
        ...bookkeeping,
      });
      if (inserted) return { row: inserted, created: true };
      throw new DomainError('CONFLICT', 'The subscription was created concurrently; try again');
    }
    await this.subscriptions.write(manager, before.id, { ...next, ...bookkeeping });
    return { row: before, created: false };
  }

  /** Something operators must look at: an audit row, a metric and a warning in the log. */
  private async flag(
    manager: EntityManager,
    subscription: Subscription,
    reason: string,
    context: ChangeContext,
  ): Promise<void> {
    const kind = reason.split(':')[0];
    this.metrics.subscriptionFlags.inc({ reason: kind });
    this.logger.warn(
      { organizationId: subscription.organizationId, subscriptionId: subscription.id, reason },
      'Subscription flagged for operators',
    );
    await this.audit.record(manager, {
      entityType: 'SUBSCRIPTION',
      entityId: subscription.id,
      action: 'FLAG',
      actor: context.actor,
      changes: { flaggedReason: { from: null, to: reason } },
      metadata: {
        organizationId: subscription.organizationId,
        stripeSubscriptionId: subscription.stripeSubscriptionId,
        cause: context.cause,
      },
    });
  }
}

/** The watermarks written with a change: never moved back (`lastEventCreated`). */
function bookkeepingOf(before: Subscription | null, source: ChangeSource): SubscriptionWrite {
  const newest = Math.max(source.eventCreated ?? 0, Number(before?.lastEventCreated ?? 0));
  return {
    ...(source.eventCreated !== undefined ? { lastEventCreated: String(newest) } : {}),
    ...(source.syncedAt ? { syncedAt: source.syncedAt } : {}),
    ...(source.lastPaymentFailure ? { lastPaymentFailure: source.lastPaymentFailure } : {}),
  };
}

function changesOf(before: Subscription | null, next: SubscriptionState): AuditChanges {
  const changes: AuditChanges = {};
  for (const field of TRACKED) {
    const from = comparable(before?.[field] ?? null);
    const to = comparable(next[field]);
    if (canonicalJson(from) !== canonicalJson(to)) changes[field] = { from, to };
  }
  return changes;
}

const comparable = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

function actionOf(before: Subscription, next: SubscriptionState): string {
  if (next.status === 'canceled' && before.status !== 'canceled') return 'CANCEL';
  if (next.status === 'expired' && before.status !== 'expired') return 'EXPIRE';
  if (next.cancelAtPeriodEnd && !before.cancelAtPeriodEnd) return 'CANCEL';
  if (!next.cancelAtPeriodEnd && before.cancelAtPeriodEnd) return 'REACTIVATE';
  return 'UPDATE';
}
