import { retryDelayMs } from './mail-outbox.processor.js';

describe('retryDelayMs', () => {
  it('backs off exponentially from 30 s and caps at an hour', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20)).toBe(3_600_000);
  });
});
