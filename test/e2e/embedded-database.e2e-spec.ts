import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.setup.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('Embedded database (PGlite, e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // An empty DATABASE_URL counts as unset: the app must run on PGlite in DATA_DIR.
    t = await createTestApp({ DATABASE_URL: '' });
  });
  afterAll(() => t.close());

  it('serves on PGlite with migrations applied at boot', async () => {
    const dataSource = t.app.get(DataSource);
    expect(dataSource.driver.options).toHaveProperty('driver');
    const applied = await dataSource.query<{ name: string }[]>('SELECT name FROM migrations');
    expect(applied.length).toBeGreaterThan(0);
    await t.http.get('/health').expect(200, { status: 'ok', checks: { database: 'up' } });
  });

  it('refuses to open the same DATA_DIR from a second app', async () => {
    await expect(createApp()).rejects.toThrow(/is in use by another process/);
    await t.http.get('/health').expect(200);
  });

  it('keeps several concurrent registrations consistent on the one session', async () => {
    const emails = Array.from({ length: 8 }, (_, i) => `embedded-${i}-${Date.now()}@example.com`);
    const responses = await Promise.all(
      emails.map((email) =>
        t.http.post('/v1/auth/register').send({ email, password: 'a long enough password' }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(emails.map(() => 201));
    const rows = await t.app
      .get(DataSource)
      .query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ANY($1)',
        [emails],
      );
    expect(rows[0].n).toBe(emails.length);
  });

  it('has entities and migrations in step (no schema drift)', async () => {
    const pending = await t.app.get(DataSource).driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });
});
