import type { Redis } from 'ioredis';
import {
  BUSY_RETRY_MS,
  type Admission,
  type CounterStore,
  type FailurePolicy,
} from './counter.store.js';

// INCR and set the expiry on the first hit, atomically, so concurrent replicas count together.
const INCREMENT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`;

// KEYS: failures, checks in flight, lock. ARGV: maxFailures, slotTtlMs, busyRetryMs.
// The same rule as checksAllowed(): below the limit, up to the limit; then one at a time.
const RESERVE = `local locked = redis.call('PTTL', KEYS[3])
if locked > 0 then return {0, locked} end
local failures = tonumber(redis.call('GET', KEYS[1]) or '0')
local inflight = tonumber(redis.call('GET', KEYS[2]) or '0')
local max = tonumber(ARGV[1])
local allowed = max
if failures >= max then allowed = failures + 1 end
if failures + inflight >= allowed then return {0, tonumber(ARGV[3])} end
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return {1, 0}`;

// KEYS as above. ARGV: failed (1/0), windowMs, maxFailures, firstLockMs, longestLockMs.
// The same lock as lockAfter().
const SETTLE = `if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
if ARGV[1] ~= '1' then return 0 end
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
local beyond = failures - tonumber(ARGV[3])
if beyond >= 0 then
  local lock = math.min(tonumber(ARGV[4]) * math.pow(2, beyond), tonumber(ARGV[5]))
  redis.call('SET', KEYS[3], '1', 'PX', math.floor(lock))
end
return failures`;

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

  async reserve(key: string, policy: FailurePolicy): Promise<Admission> {
    const [admitted, retryAfterMs] = (await this.redis.eval(
      RESERVE,
      3,
      ...this.keys(key),
      policy.maxFailures,
      policy.slotTtlMs,
      BUSY_RETRY_MS,
    )) as [number, number];
    return admitted === 1 ? { admitted: true } : { admitted: false, retryAfterMs };
  }

  async settle(key: string, failed: boolean, policy: FailurePolicy): Promise<void> {
    await this.redis.eval(
      SETTLE,
      3,
      ...this.keys(key),
      failed ? 1 : 0,
      policy.windowMs,
      policy.maxFailures,
      policy.firstLockMs,
      policy.longestLockMs,
    );
  }

  async clear(key: string): Promise<void> {
    const [failures, , lock] = this.keys(key);
    await this.redis.del(failures, lock);
  }

  private keys(key: string): [string, string, string] {
    const base = `${this.prefix}fail:${key}`;
    return [base, `${base}:inflight`, `${base}:lock`];
  }
}
