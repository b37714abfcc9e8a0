import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DomainError } from '../../common/errors/index.js';
import { COUNTER_STORE, type CounterStore } from '../../common/rate-limit/counter.store.js';
import { authConfig } from '../../config/auth.config.js';

const FAILURE_WINDOW_MS = 60 * 60 * 1000;
const FIRST_LOCK_MS = 30_000;
const LONGEST_LOCK_MS = 60 * 60 * 1000;

/**
 * Per-account brute-force protection, keyed by the email tried (so unknown emails lock alike
 * and the lock tells nothing). After LOGIN_MAX_FAILURES failures within an hour the account
 * answers 429 for 30 s, doubling with each further failure up to an hour; a success clears it.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    @Inject(COUNTER_STORE) private readonly counters: CounterStore,
  ) {}

  async assertNotLocked(email: string): Promise<void> {
    const lockedForMs = await this.counters.blockedFor(this.key(email));
    if (lockedForMs > 0) {
      throw new DomainError(
        'RATE_LIMITED',
        'Too many failed logins for this account; try again later',
        {
          retryAfterSeconds: lockedForMs / 1000,
        },
      );
    }
  }

  async recordFailure(email: string): Promise<void> {
    const { count: failures } = await this.counters.increment(this.key(email), FAILURE_WINDOW_MS);
    const beyond = failures - this.config.loginMaxFailures;
    if (beyond >= 0) {
      await this.counters.block(
        this.key(email),
        Math.min(FIRST_LOCK_MS * 2 ** beyond, LONGEST_LOCK_MS),
      );
    }
  }

  clear(email: string): Promise<void> {
    return this.counters.clear(this.key(email));
  }

  private key(email: string): string {
    return `login:${email.trim().toLowerCase()}`;
  }
}
