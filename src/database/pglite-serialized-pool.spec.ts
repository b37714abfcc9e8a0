import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type EntityManager } from 'typeorm';
import { PGliteDriver } from 'typeorm-pglite';
import { createSerializedPGliteDriver } from './pglite-serialized-pool.js';

/**
 * Transaction A writes, lets transaction B start, keeps working, then rolls back.
 * B writes and commits. Returns the rows left behind.
 */
async function rollbackRacingCommit(dataSource: DataSource): Promise<string[]> {
  await dataSource.query('CREATE TABLE IF NOT EXISTS writes (who text NOT NULL)');
  let transactionB: Promise<void> | undefined;
  const transactionA = dataSource.transaction(async (manager: EntityManager) => {
    await manager.query(`INSERT INTO writes VALUES ('a')`);
    transactionB = dataSource.transaction(async (other) => {
      await other.query(`INSERT INTO writes VALUES ('b')`);
    });
    // Real work inside A, during which B's statements are queued on the database.
    await manager.query('SELECT pg_sleep(0.05)');
    await manager.query('SELECT count(*) FROM writes');
    throw new Error('A fails and rolls back');
  });
  await expect(transactionA).rejects.toThrow('A fails and rolls back');
  await transactionB;
  const rows = await dataSource.query<{ who: string }[]>('SELECT who FROM writes ORDER BY who');
  return rows.map((row) => row.who);
}

describe('createSerializedPGliteDriver', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pglite-spec-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  const open = (driver: object) =>
    new DataSource({
      type: 'postgres',
      driver,
      installExtensions: false,
      uuidExtension: 'pgcrypto',
    }).initialize();

  it('keeps exactly the committed write when a concurrent transaction rolls back', async () => {
    const sut = await open(createSerializedPGliteDriver(dataDir));
    try {
      expect(await rollbackRacingCommit(sut)).toEqual(['b']);
    } finally {
      await sut.destroy();
    }
  });

  it('(control) without serialization the rollback takes the other transaction with it', async () => {
    const unserialized = await open(new PGliteDriver({ dataDir }).driver);
    try {
      expect(await rollbackRacingCommit(unserialized)).not.toEqual(['b']);
    } finally {
      await unserialized.destroy();
    }
  });

  it('hides one transaction’s uncommitted rows from queries outside it', async () => {
    const sut = await open(createSerializedPGliteDriver(dataDir));
    try {
      await sut.query('CREATE TABLE pending (n int)');
      let outsideRead: Promise<unknown> | undefined;
      await sut
        .transaction(async (manager) => {
          await manager.query('INSERT INTO pending VALUES (1)');
          outsideRead = sut.query('SELECT count(*)::int AS n FROM pending');
          await manager.query('SELECT pg_sleep(0.02)');
          throw new Error('rollback');
        })
        .catch(() => undefined);
      expect(await outsideRead).toEqual([{ n: 0 }]);
    } finally {
      await sut.destroy();
    }
  });
});
