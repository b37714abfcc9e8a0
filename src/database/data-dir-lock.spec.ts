import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';

describe('lockDataDir', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lock-spec-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses a second holder of the same directory, naming it', async () => {
    const unlock = await lockDataDir(dir);
    try {
      const second = lockDataDir(dir);
      await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(lockDataDir(dir)).rejects.toThrow(dir);
    } finally {
      await unlock();
    }
  });

  it('can be taken again once released', async () => {
    const unlock = await lockDataDir(dir);
    await unlock();
    const again = await lockDataDir(dir);
    await again();
  });
});
