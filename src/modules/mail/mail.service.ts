import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { appConfig } from '../../config/app.config.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { MailOutboxProcessor } from './mail-outbox.processor.js';
import { MailOutboxRepository } from './mail-outbox.repository.js';
import { MailRenderer } from './mail-renderer.js';
import type { MailTemplate, MailTemplateData } from './mail-templates.js';

@Injectable()
export class MailService {
  private readonly renderer: MailRenderer;

  constructor(
    @Inject(appConfig.KEY) app: ConfigType<typeof appConfig>,
    private readonly outbox: MailOutboxRepository,
    private readonly processor: MailOutboxProcessor,
    private readonly transactions: TransactionRunner,
  ) {
    this.renderer = new MailRenderer({ appUrl: app.appUrl, productName: 'Subscription Service' });
  }

  /**
   * Queues a message in the caller's transaction: it is sent only if that transaction commits,
   * and sending happens afterwards, so a mail failure never fails or slows the caller.
   */
  async enqueue<T extends MailTemplate>(
    manager: EntityManager,
    to: string,
    template: T,
    data: MailTemplateData[T],
  ): Promise<void> {
    const rendered = this.renderer.render(template, data);
    await this.outbox.insert(manager, { recipient: to, template, ...rendered });
    this.transactions.afterCommit(manager, () => this.processor.wake());
  }
}
