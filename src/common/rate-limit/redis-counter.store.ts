import type { Redis } from 'ioredis';
import type { CounterStore } from './counter.store.js';

// INCR and set the expiry on the first hit, atomically, so concurrent replicas count together.
const INCREMENT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`;

export class RedisCounterStore implements CounterStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'ss:rl:',
  ) {}

  async increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const [count, resetInMs] = (await this.redis.eval(
      INCREMENT,
      1,
      this.prefix + key,
      windowMs,
    )) as [number, number];
    return { count, resetInMs: Math.max(0, resetInMs) };
  }

  async block(key: string, ms: number): Promise<void> {
    await this.redis.set(`${this.prefix}block:${key}`, '1', 'PX', Math.max(1, Math.ceil(ms)));
  }

  async blockedFor(key: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(`${this.prefix}block:${key}`));
  }

  async clear(...keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.redis.del(
      ...keys.flatMap((key) => [this.prefix + key, `${this.prefix}block:${key}`]),
    );
  }
}
