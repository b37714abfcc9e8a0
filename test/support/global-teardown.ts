import pg from 'pg';

/** Drops the run's template database. Free of project imports, like global-setup.ts. */
export default async function globalTeardown(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url || !process.env.TEST_RUN_ID) return;
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    await client.query(
      `DROP DATABASE IF EXISTS "ss_template_${process.env.TEST_RUN_ID}" WITH (FORCE)`,
    );
  } finally {
    await client.end();
  }
}
