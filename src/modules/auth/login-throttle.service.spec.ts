import { jest } from '@jest/globals';
import type { ConfigType } from '@nestjs/config';
import { MemoryCounterStore } from '../../common/rate-limit/memory-counter.store.js';
import type { authConfig } from '../../config/auth.config.js';
import { LoginThrottle } from './login-throttle.service.js';

describe('LoginThrottle', () => {
  const email = 'ada@example.com';
  let sut: LoginThrottle;

  /** The Retry-After of a refused attempt, or 'checked' when the check ran. */
  const attempt = async (passes = false, who = email): Promise<number | 'checked'> => {
    try {
      await sut.attempt(who, () => Promise.resolve(passes));
      return 'checked';
    } catch (error) {
      return (error as { extras: { retryAfterSeconds: number } }).extras.retryAfterSeconds;
    }
  };

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-23T10:00:00Z') });
    sut = new LoginThrottle(
      { loginMaxFailures: 3 } as ConfigType<typeof authConfig>,
      new MemoryCounterStore(),
    );
  });
  afterEach(() => jest.useRealTimers());

  it('locks after the configured number of failures, for 30 s', async () => {
    expect([await attempt(), await attempt(), await attempt()]).toEqual([
      'checked',
      'checked',
      'checked',
    ]);
    expect(await attempt()).toBe(30);
  });

  it('doubles the lock with each further failure, one check at a time after a lock', async () => {
    for (let i = 0; i < 3; i++) await attempt();
    jest.advanceTimersByTime(31_000);
    expect(await attempt()).toBe('checked');
    expect(await attempt()).toBe(60);
    jest.advanceTimersByTime(61_000);
    expect(await attempt()).toBe('checked');
    expect(await attempt()).toBe(120);
  });

  it('gives a burst of concurrent attempts no more checks than the limit', async () => {
    let checks = 0;
    const slowCheck = async () => {
      checks += 1;
      await Promise.resolve();
      return false;
    };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, () => sut.attempt(email, slowCheck)),
    );
    expect(checks).toBe(3);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(37);
  });

  it('counts a passed check as no failure, and treats the email case-insensitively', async () => {
    await attempt();
    await attempt(false, email.toUpperCase());
    expect(await attempt(true)).toBe('checked');
    expect(await attempt()).toBe('checked');
    expect(await attempt()).toBe(30);
  });

  it('clear ends the lock and the count', async () => {
    for (let i = 0; i < 3; i++) await attempt();
    await sut.clear(email);
    expect(await attempt()).toBe('checked');
    expect(await attempt()).toBe('checked');
  });

  it('frees the slot of a check that threw, counting it as a failure', async () => {
    for (let i = 0; i < 3; i++)
      await expect(sut.attempt(email, () => Promise.reject(new Error('db down')))).rejects.toThrow(
        'db down',
      );
    expect(await attempt()).toBe(30);
  });
});
