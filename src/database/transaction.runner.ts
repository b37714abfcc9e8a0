import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

type Callback = () => void;

/**
 * Starts the transaction of a flow that writes several tables. Services call it and pass the
 * EntityManager down to the repositories of every module taking part, so all rows commit together.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);
  private readonly afterCommitCallbacks = new WeakMap<EntityManager, Callback[]>();

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const callbacks: Callback[] = [];
    const result = await this.dataSource.transaction((manager) => {
      this.afterCommitCallbacks.set(manager, callbacks);
      return work(manager);
    });
    for (const callback of callbacks) {
      try {
        callback();
      } catch (error) {
        this.logger.error({ err: error }, 'An after-commit callback failed');
      }
    }
    return result;
  }

  /**
   * Runs `callback` once the transaction of `manager` has committed (never if it rolls back):
   * for side effects such as waking the mail sender. Outside a transaction of this runner it
   * runs at once.
   */
  afterCommit(manager: EntityManager, callback: Callback): void {
    const callbacks = this.afterCommitCallbacks.get(manager);
    if (callbacks) callbacks.push(callback);
    else callback();
  }
}
