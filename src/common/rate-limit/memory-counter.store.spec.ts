import { jest } from '@jest/globals';
import type { FailurePolicy } from './counter.store.js';
import { MemoryCounterStore } from './memory-counter.store.js';

const policy: FailurePolicy = {
  maxFailures: 2,
  windowMs: 60_000,
  firstLockMs: 10_000,
  longestLockMs: 60_000,
  slotTtlMs: 5_000,
};

describe('MemoryCounterStore', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-23T10:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('counts within the window and starts over after it', async () => {
    const sut = new MemoryCounterStore();
    expect(await sut.increment('k', 60_000)).toEqual({ count: 1, resetInMs: 60_000 });
    jest.advanceTimersByTime(10_000);
    expect(await sut.increment('k', 60_000)).toEqual({ count: 2, resetInMs: 50_000 });
    jest.advanceTimersByTime(50_000);
    expect((await sut.increment('k', 60_000)).count).toBe(1);
  });

  it('keeps memory bounded under a spray of one-off keys, evicting the least recently used', async () => {
    const sut = new MemoryCounterStore();
    await sut.increment('kept', 60_000);
    for (let i = 0; i < 150_000; i++) {
      await sut.increment(`ip-${i}`, 60_000);
      if (i % 50_000 === 0) await sut.increment('kept', 60_000);
    }
    const entries = (sut as unknown as { entries: { size: number } }).entries;
    expect(entries.size).toBe(100_000);
    expect((await sut.increment('ip-0', 60_000)).count).toBe(1); // evicted, counted afresh
  });

  it('admits checks while failures and checks in flight stay below the limit', async () => {
    const sut = new MemoryCounterStore();
    expect(await sut.reserve('a', policy)).toEqual({ admitted: true });
    expect(await sut.reserve('a', policy)).toEqual({ admitted: true });
    expect(await sut.reserve('a', policy)).toEqual({ admitted: false, retryAfterMs: 1_000 });
    await sut.settle('a', false, policy);
    expect(await sut.reserve('a', policy)).toEqual({ admitted: true });
  });

  it('locks at the limit, then admits one check at a time', async () => {
    const sut = new MemoryCounterStore();
    for (let i = 0; i < 2; i++) {
      await sut.reserve('a', policy);
      await sut.settle('a', true, policy);
    }
    expect(await sut.reserve('a', policy)).toEqual({ admitted: false, retryAfterMs: 10_000 });
    jest.advanceTimersByTime(10_000);
    expect(await sut.reserve('a', policy)).toEqual({ admitted: true });
    expect(await sut.reserve('a', policy)).toMatchObject({ admitted: false });
  });

  it('frees the slot of a check that never settled once it expires', async () => {
    const sut = new MemoryCounterStore();
    await sut.reserve('a', policy);
    await sut.reserve('a', policy);
    jest.advanceTimersByTime(5_000);
    expect(await sut.reserve('a', policy)).toEqual({ admitted: true });
  });
});
