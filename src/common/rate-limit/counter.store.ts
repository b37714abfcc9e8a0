/** Counters and blocks with expiry, shared by replicas when they live in Redis. */
export interface CounterStore {
  /** Adds one to `key`; the count expires `windowMs` after its first hit. */
  increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  /** Blocks `key` for `ms`. */
  block(key: string, ms: number): Promise<void>;
  /** Milliseconds left on the block of `key`; 0 when not blocked. */
  blockedFor(key: string): Promise<number>;
  clear(...keys: string[]): Promise<void>;
}

export const COUNTER_STORE = Symbol('COUNTER_STORE');
