import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DomainError } from '../../common/errors/index.js';
import {
  COUNTER_STORE,
  type CounterStore,
  type FailurePolicy,
} from '../../common/rate-limit/counter.store.js';
import { authConfig } from '../../config/auth.config.js';

/**
 * Per-account brute-force protection for every check of a password or TOTP code (login, email
 * and password changes, account deletion, MFA disable), keyed by the account's email (so
 * unknown emails lock alike and the lock tells nothing, and all those routes share one budget).
 * The slot is taken before the expensive check and the failure counted after it, atomically in
 * the counter store: LOGIN_MAX_FAILURES failures within an hour, however many arrive at once,
 * then 429 for 30 s, doubling with each further failure up to an hour. A login that fully
 * succeeds clears it.
 */
@Injectable()
export class LoginThrottle {
  private readonly policy: FailurePolicy;

  constructor(
    @Inject(authConfig.KEY) config: ConfigType<typeof authConfig>,
    @Inject(COUNTER_STORE) private readonly counters: CounterStore,
  ) {
    this.policy = {
      maxFailures: config.loginMaxFailures,
      windowMs: 60 * 60 * 1000,
      firstLockMs: 30_000,
      longestLockMs: 60 * 60 * 1000,
      slotTtlMs: 30_000,
    };
  }

  /**
   * Runs `check` (true when the secret was right) under the account's limit and returns its
   * answer; 429 RATE_LIMITED, without checking, when the account has no check left.
   */
  async attempt(email: string, check: () => Promise<boolean>): Promise<boolean> {
    const key = this.key(email);
    const admission = await this.counters.reserve(key, this.policy);
    if (!admission.admitted) {
      throw new DomainError(
        'RATE_LIMITED',
        'Too many failed attempts for this account; try again later',
        {
          retryAfterSeconds: Math.ceil(admission.retryAfterMs / 1000),
        },
      );
    }
    let passed = false;
    try {
      passed = await check();
      return passed;
    } finally {
      await this.counters.settle(key, !passed, this.policy);
    }
  }

  clear(email: string): Promise<void> {
    return this.counters.clear(this.key(email));
  }

  private key(email: string): string {
    return `login:${email.trim().toLowerCase()}`;
  }
}
