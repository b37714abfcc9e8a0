import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { BackgroundWork } from '../common/background-work.js';
import { TransactionRunner } from '../database/transaction.runner.js';
import type { DomainEventMap, DomainEventName } from './domain-events.js';

/**
 * The one in-process bus: typed, and publishing only once the change it reports is committed.
 * Listeners run as background work: they never hold up or fail the publishing request, and
 * shutdown waits for them.
 */
@Injectable()
export class EventBus {
  constructor(
    private readonly emitter: EventEmitter2,
    private readonly transactions: TransactionRunner,
    private readonly background: BackgroundWork,
  ) {}

  publishAfterCommit<E extends DomainEventName>(
    manager: EntityManager,
    name: E,
    payload: DomainEventMap[E],
  ): void {
    this.transactions.afterCommit(manager, () => {
      this.background.run(`event ${name}`, () => this.emitter.emitAsync(name, payload));
    });
  }

  /** For code that runs after its change committed (a listener, say): publishes now. */
  publish<E extends DomainEventName>(name: E, payload: DomainEventMap[E]): void {
    this.background.run(`event ${name}`, () => this.emitter.emitAsync(name, payload));
  }
}
