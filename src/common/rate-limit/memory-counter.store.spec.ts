import { jest } from '@jest/globals';
import { MemoryCounterStore } from './memory-counter.store.js';

describe('MemoryCounterStore', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-23T10:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  describe('increment', () => {
    it('counts within the window and starts over after it', async () => {
      const sut = new MemoryCounterStore();
      expect(await sut.increment('k', 60_000)).toEqual({ count: 1, resetInMs: 60_000 });
      jest.advanceTimersByTime(10_000);
      expect(await sut.increment('k', 60_000)).toEqual({ count: 2, resetInMs: 50_000 });
      jest.advanceTimersByTime(50_000);
      expect((await sut.increment('k', 60_000)).count).toBe(1);
    });

    it('forgets expired keys once there are many, so memory stays bounded', async () => {
      const sut = new MemoryCounterStore();
      for (let i = 0; i < 10_000; i++) await sut.increment(`ip-${i}`, 1_000);
      jest.advanceTimersByTime(2_000);
      await sut.increment('fresh', 1_000);
      expect((sut as unknown as { entries: Map<string, unknown> }).entries.size).toBe(1);
    });
  });

  describe('block', () => {
    it('blocks for the given time', async () => {
      const sut = new MemoryCounterStore();
      await sut.block('k', 30_000);
      expect(await sut.blockedFor('k')).toBe(30_000);
      jest.advanceTimersByTime(30_000);
      expect(await sut.blockedFor('k')).toBe(0);
    });
  });
});
