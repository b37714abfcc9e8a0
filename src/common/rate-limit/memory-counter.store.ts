import type { CounterStore } from './counter.store.js';

/** Past this many keys, expired ones are swept, so a stream of one-off ips cannot grow memory forever. */
const SWEEP_ABOVE = 10_000;

/** In-process counters: right for a single replica (and for tests). */
export class MemoryCounterStore implements CounterStore {
  private readonly entries = new Map<string, { value: number; expiresAt: number }>();

  increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const now = Date.now();
    const entry = this.live(key, now) ?? { value: 0, expiresAt: now + windowMs };
    entry.value += 1;
    this.entries.set(key, entry);
    if (this.entries.size > SWEEP_ABOVE) this.sweep(now);
    return Promise.resolve({ count: entry.value, resetInMs: entry.expiresAt - now });
  }

  block(key: string, ms: number): Promise<void> {
    this.entries.set(`block:${key}`, { value: 1, expiresAt: Date.now() + ms });
    return Promise.resolve();
  }

  blockedFor(key: string): Promise<number> {
    const now = Date.now();
    const entry = this.live(`block:${key}`, now);
    return Promise.resolve(entry ? entry.expiresAt - now : 0);
  }

  clear(...keys: string[]): Promise<void> {
    for (const key of keys) {
      this.entries.delete(key);
      this.entries.delete(`block:${key}`);
    }
    return Promise.resolve();
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }

  private live(key: string, now: number): { value: number; expiresAt: number } | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
