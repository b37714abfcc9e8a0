import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

/**
 * Work a request starts but does not wait for (so that, for instance, a 202 takes the same time
 * whether or not an account exists). Failures are logged; shutdown waits for what is running.
 */
@Injectable()
export class BackgroundWork implements OnApplicationShutdown {
  private readonly logger = new Logger(BackgroundWork.name);
  private readonly running = new Set<Promise<void>>();

  run(label: string, work: () => Promise<unknown>): void {
    const task = Promise.resolve()
      .then(work)
      .then(
        () => undefined,
        (error: unknown) => this.logger.error({ err: error }, `Background work failed: ${label}`),
      )
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Resolves once everything started so far (and anything it started) has finished. */
  async drained(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  onApplicationShutdown(): Promise<void> {
    return this.drained();
  }
}
