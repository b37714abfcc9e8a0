import { LRUCache } from 'lru-cache';
import {
  BUSY_RETRY_MS,
  checksAllowed,
  lockAfter,
  type Admission,
  type CounterStore,
  type FailurePolicy,
} from './counter.store.js';

/** A spray of one-off addresses or emails evicts the least recently used keys, never more. */
const MAX_KEYS = 100_000;

interface Entry {
  count: number;
  /** Checks in flight and when the newest of them expires. */
  inflight: number;
  inflightUntil: number;
  lockedUntil: number;
  expiresAt: number;
}

/** In-process counters: right for a single replica (and for tests). */
export class MemoryCounterStore implements CounterStore {
  private readonly entries = new LRUCache<string, Entry>({ max: MAX_KEYS });

  increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const now = Date.now();
    const entry = this.live(key, now, windowMs);
    entry.count += 1;
    return Promise.resolve({ count: entry.count, resetInMs: entry.expiresAt - now });
  }

  reserve(key: string, policy: FailurePolicy): Promise<Admission> {
    const now = Date.now();
    const entry = this.live(key, now, policy.windowMs);
    if (entry.lockedUntil > now)
      return Promise.resolve({ admitted: false, retryAfterMs: entry.lockedUntil - now });
    if (entry.inflightUntil <= now) entry.inflight = 0;
    if (entry.count + entry.inflight >= checksAllowed(entry.count, policy))
      return Promise.resolve({ admitted: false, retryAfterMs: BUSY_RETRY_MS });
    entry.inflight += 1;
    entry.inflightUntil = now + policy.slotTtlMs;
    return Promise.resolve({ admitted: true });
  }

  settle(key: string, failed: boolean, policy: FailurePolicy): Promise<void> {
    const now = Date.now();
    const entry = this.live(key, now, policy.windowMs);
    entry.inflight = Math.max(0, entry.inflight - 1);
    if (failed) {
      entry.count += 1;
      const lock = lockAfter(entry.count, policy);
      if (lock > 0) entry.lockedUntil = now + lock;
    }
    return Promise.resolve();
  }

  clear(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  /** The key's entry, started afresh when its window is over. */
  private live(key: string, now: number, windowMs: number): Entry {
    let entry = this.entries.get(key);
    const idle = entry && entry.lockedUntil <= now && entry.inflightUntil <= now;
    if (!entry || (idle && entry.expiresAt <= now)) {
      entry = {
        count: 0,
        inflight: 0,
        inflightUntil: 0,
        lockedUntil: 0,
        expiresAt: now + windowMs,
      };
      this.entries.set(key, entry);
    }
    return entry;
  }
}
