import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { baseDataSourceOptions } from '../../src/database/data-source-options.js';
import { loadMigrations } from '../../src/database/migrations-loader.js';
import { withDatabase, withServer } from './postgres.js';

export interface TestDatabase {
  /** Environment that points the app at this database. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

const TEMPLATE_LOCK = 7_340_001;

/**
 * A database of the test file's own: a copy (CREATE DATABASE … TEMPLATE) of this run's
 * migrated template on PostgreSQL when DATABASE_URL is set, else a PGlite data directory in a
 * temporary folder, which the app migrates at boot.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  const dataDir = await mkdtemp(join(tmpdir(), 'subscription-service-'));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  if (!url) return { env: { DATA_DIR: dataDir }, drop: removeDataDir };

  const template = await ensureTemplate(url);
  const name = `ss_test_${randomBytes(6).toString('hex')}`;
  await withServer(url, (client) =>
    client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`),
  );
  return {
    env: { DATABASE_URL: withDatabase(url, name), DATA_DIR: dataDir },
    drop: async () => {
      await withServer(url, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
      await removeDataDir();
    },
  };
}

/** The first test file of a run migrates the template; the others wait on the lock and reuse it. */
async function ensureTemplate(url: string): Promise<string> {
  const runId = process.env.TEST_RUN_ID;
  if (!runId) throw new Error('TEST_RUN_ID is unset: run the tests through jest (npm test)');
  const template = `ss_template_${runId}`;
  await withServer(url, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        template,
      ]);
      if (existing.rowCount === 0) await createMigratedDatabase(client, url, template);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
  return template;
}

async function createMigratedDatabase(
  client: { query(sql: string): Promise<unknown> },
  url: string,
  name: string,
): Promise<void> {
  await client.query(`CREATE DATABASE "${name}"`);
  const dataSource = new DataSource({
    ...baseDataSourceOptions({ url: withDatabase(url, name), dataDir: '' }),
    migrations: await loadMigrations(),
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
