import { jest } from '@jest/globals';
import type { ConfigType } from '@nestjs/config';
import { MemoryCounterStore } from '../../common/rate-limit/memory-counter.store.js';
import type { authConfig } from '../../config/auth.config.js';
import { LoginThrottle } from './login-throttle.service.js';

describe('LoginThrottle', () => {
  const email = 'ada@example.com';
  let sut: LoginThrottle;

  const retryAfter = async (): Promise<number | undefined> => {
    try {
      await sut.assertNotLocked(email);
      return undefined;
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

  describe('recordFailure', () => {
    it('locks after the configured number of failures, for 30 s', async () => {
      await sut.recordFailure(email);
      await sut.recordFailure(email);
      expect(await retryAfter()).toBeUndefined();
      await sut.recordFailure(email);
      expect(await retryAfter()).toBe(30);
    });

    it('doubles the lock with each further failure', async () => {
      for (let i = 0; i < 3; i++) await sut.recordFailure(email);
      jest.advanceTimersByTime(31_000);
      expect(await retryAfter()).toBeUndefined();
      await sut.recordFailure(email);
      expect(await retryAfter()).toBe(60);
      jest.advanceTimersByTime(61_000);
      await sut.recordFailure(email);
      expect(await retryAfter()).toBe(120);
    });

    it('treats the email case-insensitively', async () => {
      for (let i = 0; i < 3; i++) await sut.recordFailure(email.toUpperCase());
      expect(await retryAfter()).toBe(30);
    });
  });

  describe('clear', () => {
    it('ends the lock and the count', async () => {
      for (let i = 0; i < 3; i++) await sut.recordFailure(email);
      await sut.clear(email);
      expect(await retryAfter()).toBeUndefined();
      await sut.recordFailure(email);
      expect(await retryAfter()).toBeUndefined();
    });
  });
});
