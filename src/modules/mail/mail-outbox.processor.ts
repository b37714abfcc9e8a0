import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { mailConfig } from '../../config/mail.config.js';
import { operationsConfig } from '../../config/operations.config.js';
import { MailOutboxRepository, type ClaimedMail } from './mail-outbox.repository.js';
import { createMailTransport, type MailTransport } from './mail-transport.js';

const BATCH_SIZE = 20;
const MAX_ATTEMPTS = 8;
const POLL_INTERVAL_MS = 10_000;

/** 30 s, 1 min, 2 min … capped at one hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** (attempts - 1), 3_600_000);
}

/**
 * Sends the outbox: woken right after a transaction that queued mail commits, and polled on an
 * interval (when JOBS_ENABLED) for retries and for mail queued by other replicas.
 */
@Injectable()
export class MailOutboxProcessor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(MailOutboxProcessor.name);
  private readonly transport: MailTransport;
  private running?: Promise<number>;
  private wakeAgain = false;

  constructor(
    @Inject(mailConfig.KEY) private readonly config: ConfigType<typeof mailConfig>,
    @Inject(operationsConfig.KEY) private readonly operations: ConfigType<typeof operationsConfig>,
    private readonly outbox: MailOutboxRepository,
    private readonly scheduler: SchedulerRegistry,
  ) {
    this.transport = createMailTransport(config);
  }

  onModuleInit(): void {
    if (!this.operations.jobsEnabled) return;
    const interval = setInterval(() => this.wake(), POLL_INTERVAL_MS);
    this.scheduler.addInterval('mail-outbox', interval);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running;
    this.transport.close();
  }

  /** Starts a send run now, or right after the one in progress. Never throws. */
  wake(): void {
    if (this.running) {
      this.wakeAgain = true;
      return;
    }
    this.running = this.sendDue()
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'Mail outbox run failed');
        return 0;
      })
      .finally(() => {
        this.running = undefined;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          this.wake();
        }
      });
  }

  /** Resolves when no run is in progress (tests wait on it instead of sleeping). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Sends every due message, batch by batch; returns how many were sent. */
  async sendDue(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.outbox.claimDue(BATCH_SIZE);
      for (const message of batch) sent += (await this.deliver(message)) ? 1 : 0;
      if (batch.length < BATCH_SIZE) return sent;
    }
  }

  private async deliver(message: ClaimedMail): Promise<boolean> {
    try {
      await this.transport.send({
        id: message.id,
        from: this.config.from,
        to: message.recipient,
        subject: message.subject,
        html: message.html ?? '',
        text: message.text ?? '',
      });
      await this.outbox.markSent(message.id);
      return true;
    } catch (error) {
      const retryAt =
        message.attempts >= MAX_ATTEMPTS
          ? null
          : new Date(Date.now() + retryDelayMs(message.attempts));
      this.logger.warn(
        { messageId: message.id, attempts: message.attempts, err: error },
        retryAt ? 'Mail not sent; will retry' : 'Mail not sent; giving up',
      );
      await this.outbox.markFailedAttempt(message.id, (error as Error).message, retryAt);
      return false;
    }
  }
}
