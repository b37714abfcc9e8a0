/** How failed checks of one secret (an account's password or TOTP code) are limited. */
export interface FailurePolicy {
  /** Failures allowed within `windowMs` before the key locks. */
  maxFailures: number;
  windowMs: number;
  /** The first lock; each further failure doubles it, up to `longestLockMs`. */
  firstLockMs: number;
  longestLockMs: number;
  /** A slot of a process that died mid-check frees itself after this long. */
  slotTtlMs: number;
}

export type Admission = { admitted: true } | { admitted: false; retryAfterMs: number };

/** Counters with expiry, shared by replicas when they live in Redis. */
export interface CounterStore {
  /** Adds one to `key`; the count expires `windowMs` after its first hit. */
  increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  /**
   * Takes a slot to check a secret of `key`, atomically: admitted only while failures so far
   * plus checks in flight stay below what the policy allows (after a lock ends, one check at a
   * time). A burst therefore gets no more checks than a sequence would.
   */
  reserve(key: string, policy: FailurePolicy): Promise<Admission>;
  /** Ends a slot: a failure is counted (and locks the key at the limit), a success is not. */
  settle(key: string, failed: boolean, policy: FailurePolicy): Promise<void>;
  /** Forgets the failures and lock of `key` (a login that fully succeeded). */
  clear(key: string): Promise<void>;
}

export const COUNTER_STORE = Symbol('COUNTER_STORE');

/** While failures are below the limit, up to the limit; once it was reached, one at a time. */
export function checksAllowed(failures: number, policy: FailurePolicy): number {
  return failures < policy.maxFailures ? policy.maxFailures : failures + 1;
}

/** The lock after `failures` failures (0 below the limit). */
export function lockAfter(failures: number, policy: FailurePolicy): number {
  const beyond = failures - policy.maxFailures;
  if (beyond < 0) return 0;
  return Math.min(policy.firstLockMs * 2 ** beyond, policy.longestLockMs);
}

/** Retry-After for a check refused because others of the same key are still in flight. */
export const BUSY_RETRY_MS = 1_000;
