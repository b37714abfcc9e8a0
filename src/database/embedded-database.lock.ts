import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { lockDataDir } from './data-dir-lock.js';

/** Holds the embedded database directory's lock for the life of the app. */
@Injectable()
export class EmbeddedDatabaseLock implements OnApplicationShutdown {
  private unlock?: () => Promise<void>;

  async acquire(dir: string): Promise<void> {
    this.unlock ??= await lockDataDir(dir);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.unlock?.();
    this.unlock = undefined;
  }
}
