import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { billingConfig } from '../../config/billing.config.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuditActorType } from '../audit/audit.types.js';
import type { SubscriptionIntent } from './entities/subscription-intent.entity.js';
import { VersionConflictError } from './intent.errors.js';
import { IntentRepository, type IntentPatch, type NewIntent } from './intent.repository.js';

const MAX_ATTEMPTS = 5;
const BASE_BACKOFF_MS = 5;

export interface IntentActor {
  type: AuditActorType;
  id: string | null;
}

/** Decides the change to make from the intent as it is now; throws to refuse. */
export type IntentChange = (current: SubscriptionIntent) => IntentPatch;

@Injectable()
export class IntentService {
  constructor(
    @Inject(billingConfig.KEY) private readonly config: ConfigType<typeof billingConfig>,
    private readonly intents: IntentRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** A pending intent that expires after INTENT_TTL_MINUTES, audited as created by `actor`. */
  create(actor: IntentActor, input: Omit<NewIntent, 'expiresAt'>): Promise<SubscriptionIntent> {
    return this.transactions.run(async (manager) => {
      const intent = await this.intents.insert(manager, {
        ...input,
        expiresAt: new Date(Date.now() + this.config.intentTtlMinutes * 60_000),
      });
      await this.record(manager, actor, intent, 'CREATE', {
        status: { from: null, to: 'pending' },
      });
      return intent;
    });
  }

  find(id: string): Promise<SubscriptionIntent | null> {
    return this.intents.findById(id);
  }

  findBySessionId(stripeSessionId: string): Promise<SubscriptionIntent | null> {
    return this.intents.findBySessionId(stripeSessionId);
  }

  /** See IntentRepository.lockBySessionId. */
  lockBySessionId(
    manager: EntityManager,
    stripeSessionId: string,
  ): Promise<SubscriptionIntent | null> {
    return this.intents.lockBySessionId(manager, stripeSessionId);
  }

  findByIdempotencyKey(organizationId: string, key: string): Promise<SubscriptionIntent | null> {
    return this.intents.findByIdempotencyKey(organizationId, key);
  }

  findOpen(
    target: Parameters<IntentRepository['findOpen']>[0],
  ): Promise<SubscriptionIntent | null> {
    return this.intents.findOpen(target);
  }

  /**
   * The organization's one pending subscription intent, if any: a partial unique index
   * (`uq_subscription_intents_one_pending`) keeps a second from being created beside it.
   */
  findPendingSubscription(organizationId: string): Promise<SubscriptionIntent | null> {
    return this.intents.findPendingSubscription(organizationId);
  }

  /**
   * Changes an intent under optimistic locking: read, decide (`change` sees the current row and
   * may refuse by throwing), write only if nobody wrote in between. A lost race is retried with
   * a fresh read and a growing, jittered backoff; after five it answers 409 VERSION_CONFLICT.
   * Nothing is ever overwritten blindly.
   */
  async update(id: string, actor: IntentActor, change: IntentChange): Promise<SubscriptionIntent> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const applied = await this.transactions.run(async (manager) => {
        const current = await this.intents.findById(id, manager);
        if (!current) throw new Error(`Intent ${id} does not exist`);
        const patch = change(current);
        if (!(await this.intents.applyIfVersion(manager, id, current.version, patch))) return null;
        await this.record(manager, actor, current, 'UPDATE', diff(current, patch));
        return { ...current, ...patch, version: current.version + 1 };
      });
      if (applied) return applied;
      await sleep(BASE_BACKOFF_MS * 2 ** attempt * (0.5 + Math.random()));
    }
    throw new VersionConflictError();
  }

  /**
   * One version-checked change inside the caller's transaction (a webhook's): a lost race is
   * 409 VERSION_CONFLICT at once, and the caller's retry (Stripe redelivers) re-reads.
   */
  async updateWithin(
    manager: EntityManager,
    id: string,
    actor: IntentActor,
    change: IntentChange,
  ): Promise<SubscriptionIntent | null> {
    const current = await this.intents.findById(id, manager);
    if (!current) return null;
    const patch = change(current);
    if (!(await this.intents.applyIfVersion(manager, id, current.version, patch)))
      throw new VersionConflictError();
    await this.record(manager, actor, current, 'UPDATE', diff(current, patch));
    return { ...current, ...patch, version: current.version + 1 };
  }

  private record(
    manager: EntityManager,
    actor: IntentActor,
    intent: SubscriptionIntent,
    action: string,
    changes: Record<string, { from: unknown; to: unknown }>,
  ): Promise<void> {
    return this.audit.record(manager, {
      entityType: 'INTENT',
      entityId: intent.id,
      action,
      actor,
      changes,
      metadata: {
        organizationId: intent.organizationId,
        kind: intent.kind,
        version: intent.version,
      },
    });
  }

  /** Pending intents past their expiry (at most `limit`), with their Checkout Session ids. */
  pastExpiry(limit: number): Promise<{ id: string; stripeSessionId: string | null }[]> {
    return this.intents.pastExpiry(limit);
  }

  /** Expires these intents, if still pending, in the caller's transaction; returns their ids. */
  expirePending(manager: EntityManager, ids: string[]): Promise<string[]> {
    return this.intents.expirePending(manager, ids);
  }
}

function diff(
  current: SubscriptionIntent,
  patch: IntentPatch,
): Record<string, { from: unknown; to: unknown }> {
  return Object.fromEntries(
    (Object.keys(patch) as (keyof IntentPatch)[]).map((field) => [
      field,
      { from: current[field], to: patch[field] },
    ]),
  );
}
