import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '../database/transaction.runner.js';
import type { DomainEventMap, DomainEventName } from './domain-events.js';

/** The one in-process bus: typed, and publishing only once the change it reports is committed. */
@Injectable()
export class EventBus {
  private readonly logger = new Logger(EventBus.name);

  constructor(
    private readonly emitter: EventEmitter2,
    private readonly transactions: TransactionRunner,
  ) {}

  publishAfterCommit<E extends DomainEventName>(
    manager: EntityManager,
    name: E,
    payload: DomainEventMap[E],
  ): void {
    this.transactions.afterCommit(manager, () => {
      this.emitter.emitAsync(name, payload).catch((error: unknown) => {
        this.logger.error({ err: error, event: name }, 'An event listener failed');
      });
    });
  }
}
