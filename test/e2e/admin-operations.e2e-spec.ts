import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { daysFromNow, insertSubscription } from '../factories/subscription.factory.js';
import { registerUser, type RegisteredUser } from '../factories/user.factory.js';
import { fundWallet, walletAndLedger } from '../factories/wallet.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const ADMIN_KEY = 'admin-key-for-operations-0123456789';
const onPostgres = process.env.DATABASE_URL ? it : it.skip;

describe('Admin API and jobs (e2e)', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ INTERNAL_API_KEY: ADMIN_KEY });
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const admin = {
    get: (path: string) => t.http.get(`/v1/admin${path}`).set('X-API-Key', ADMIN_KEY),
    post: (path: string) => t.http.post(`/v1/admin${path}`).set('X-API-Key', ADMIN_KEY),
    put: (path: string) => t.http.put(`/v1/admin${path}`).set('X-API-Key', ADMIN_KEY),
  };
  const runJob = async (name: string) =>
    (await admin.post(`/jobs/${name}/run`).expect(200)).body as {
      ran: boolean;
      result: Record<string, number>;
    };
  const auditOf = (entityType: string, entityId: string) =>
    db.query(
      `SELECT action, actor_type, actor_id, metadata FROM audit_logs
       WHERE entity_type = $1 AND entity_id = $2 ORDER BY sequence`,
      [entityType, entityId],
    );

  describe('the audit hash chain', () => {
    it('verifies, and finds an entry altered directly in the database', async () => {
      const user = await registerUser(t.http);
      await admin
        .put(`/users/${user.userId}/role`)
        .send({ role: 'admin', reason: 'on call' })
        .expect(200);
      const intact = await admin.get('/audit-logs/verify').expect(200);
      expect(intact.body).toMatchObject({ valid: true, firstBrokenId: null });
      expect(intact.body.checked).toBeGreaterThan(0);

      const [entry] = await db.query(
        `SELECT id, changes FROM audit_logs WHERE entity_type = 'USER' AND entity_id = $1 AND action = 'UPDATE'`,
        [user.userId],
      );
      const tampered = { role: { from: 'user', to: 'user' } };
      await db.query('UPDATE audit_logs SET changes = $2 WHERE id = $1', [entry.id, tampered]);
      try {
        const broken = await admin.get('/audit-logs/verify').expect(200);
        expect(broken.body).toMatchObject({ valid: false, firstBrokenId: entry.id });
      } finally {
        await db.query('UPDATE audit_logs SET changes = $2 WHERE id = $1', [
          entry.id,
          entry.changes,
        ]);
      }
      expect((await admin.get('/audit-logs/verify').expect(200)).body.valid).toBe(true);
    });

    onPostgres('never forks when many changes are audited at once', async () => {
      const users = await Promise.all(Array.from({ length: 5 }, () => registerUser(t.http)));
      await Promise.all(
        users.map((user) =>
          admin.put(`/users/${user.userId}/role`).send({ role: 'admin' }).expect(200),
        ),
      );
      const [{ duplicates }] = await db.query(
        'SELECT count(*) - count(DISTINCT previous_hash) AS duplicates FROM audit_logs',
      );
      expect(Number(duplicates)).toBe(0);
      expect((await admin.get('/audit-logs/verify').expect(200)).body.valid).toBe(true);
    });

    it('lists entries by entity and actor, newest first', async () => {
      const user = await registerUser(t.http);
      await admin
        .put(`/users/${user.userId}/role`)
        .send({ role: 'admin', ticketId: 'OPS-7' })
        .expect(200);
      const page = await admin
        .get(`/audit-logs?entityType=USER&entityId=${user.userId}&actorType=ADMIN`)
        .expect(200);
      expect(page.body.data).toEqual([
        expect.objectContaining({
          action: 'UPDATE',
          actorType: 'ADMIN',
          changes: { role: { from: 'user', to: 'admin' } },
          metadata: expect.objectContaining({
            ticketId: 'OPS-7',
            route: 'PUT /v1/admin/users/:userId/role',
          }),
        }),
      ]);
      await admin.get('/audit-logs?startDate=not-a-date').expect(400);
    });
  });

  describe('operators’ corrections', () => {
    it('adjusts a wallet with an adjustment ledger entry, audited, and refuses one without reason and ticket', async () => {
      const user = await registerUser(t.http);
      await fundWallet(db, user.organizationId, 10);
      const path = `/organizations/${user.organizationId}/wallet/adjust`;
      await admin.post(path).send({ amount: 50 }).expect(400);
      const added = await admin
        .post(path)
        .send({ amount: 50, reason: 'goodwill', ticketId: 'T-1' })
        .expect(200);
      expect(added.body).toEqual({ transactionId: expect.any(String), balance: 60 });
      await admin.post(path).send({ amount: -61, reason: 'too much', ticketId: 'T-2' }).expect(402);
      await admin
        .post(path)
        .send({ amount: -20, reason: 'correction', ticketId: 'T-3' })
        .expect(200);
      expect(await walletAndLedger(db, user.organizationId)).toMatchObject({
        balance: 40,
        ledgerSum: 40,
      });
      const audit = await auditOf('WALLET', user.organizationId);
      expect(
        audit.map((row: { action: string; actor_type: string }) => [row.action, row.actor_type]),
      ).toEqual([
        ['ADJUST', 'ADMIN'],
        ['ADJUST', 'ADMIN'],
      ]);
      expect(audit[0].metadata).toMatchObject({ reason: 'goodwill', ticketId: 'T-1' });
    });

    it('refuses to write a subscription by hand outside maintenance mode', async () => {
      const user = await registerUser(t.http);
      const response = await admin
        .post('/subscriptions')
        .send({
          organizationId: user.organizationId,
          productKey: 'app',
          tier: 'pro',
          billingCycle: 'monthly',
          reason: 'repair',
          ticketId: 'INC-1',
        })
        .expect(403);
      expect(response.body.code).toBe('MAINTENANCE_MODE_REQUIRED');
      const [{ count }] = await db.query(
        'SELECT count(*)::int AS count FROM subscriptions WHERE organization_id = $1',
        [user.organizationId],
      );
      expect(count).toBe(0);
    });

    it('makes a platform admin: PUT /v1/admin/users/:userId/role', async () => {
      const user = await registerUser(t.http);
      const response = await admin
        .put(`/users/${user.userId}/role`)
        .send({ role: 'admin' })
        .expect(200);
      expect(response.body.role).toBe('admin');
      await admin.put(`/users/${randomUUID()}/role`).send({ role: 'admin' }).expect(404);
      await admin.put(`/users/${user.userId}/role`).send({ role: 'root' }).expect(400);
    });
  });

  describe('jobs', () => {
    async function pendingIntent(user: RegisteredUser, expired: boolean): Promise<string> {
      const [intent] = await db.query(
        `INSERT INTO subscription_intents (organization_id, kind, status, pack_key, region, unit_amount, currency, expires_at)
         VALUES ($1, 'credits', 'pending', 'starter', 'US', 999, 'USD', now() + $2::interval) RETURNING id`,
        [user.organizationId, expired ? '-1 minute' : '1 hour'],
      );
      return intent.id as string;
    }

    it('expires stale intents, from the job and from POST /v1/admin/intents/cleanup', async () => {
      const user = await registerUser(t.http);
      const stale = await pendingIntent(user, true);
      const fresh = await pendingIntent(user, false);
      const job = await runJob('intent-expiry');
      expect(job.ran).toBe(true);
      expect(job.result.expired).toBeGreaterThanOrEqual(1);
      const status = async (id: string) =>
        (await db.query('SELECT status FROM subscription_intents WHERE id = $1', [id]))[0].status;
      expect(await status(stale)).toBe('expired');
      expect(await status(fresh)).toBe('pending');

      const another = await pendingIntent(user, true);
      const cleanup = await admin.post('/intents/cleanup').send({ reason: 'nightly' }).expect(200);
      expect(cleanup.body.expiredCount).toBeGreaterThanOrEqual(1);
      expect(await status(another)).toBe('expired');
      const [audit] = await db.query(
        `SELECT actor_type, metadata FROM audit_logs WHERE entity_type = 'INTENT' AND action = 'EXPIRE'
         AND metadata->'expiredIds' ? $1`,
        [another],
      );
      expect(audit).toMatchObject({
        actor_type: 'ADMIN',
        metadata: { route: 'POST /v1/admin/intents/cleanup', reason: 'nightly' },
      });
    });

    it('ends a grace period that ran out: the subscription expires and the level falls to free', async () => {
      const user = await registerUser(t.http);
      await insertSubscription(db, user.organizationId, {
        tier: 'pro',
        status: 'past_due',
        currentPeriodEnd: daysFromNow(-1),
        gracePeriodEnd: daysFromNow(1),
      });
      const features = () =>
        t.http
          .get(`/v1/organizations/${user.organizationId}/features`)
          .auth(user.accessToken, { type: 'bearer' })
          .expect(200);
      expect((await features()).body.level).toBe('pro');
      await db.query(
        `UPDATE subscriptions SET grace_period_end = now() - interval '1 minute' WHERE organization_id = $1`,
        [user.organizationId],
      );
      const job = await runJob('grace-period-end');
      expect(job.result.expired).toBeGreaterThanOrEqual(1);
      const [row] = await db.query('SELECT status FROM subscriptions WHERE organization_id = $1', [
        user.organizationId,
      ]);
      expect(row.status).toBe('expired');
      await t.settled();
      expect((await features()).body.level).toBe('free');
    });

    it('retention deletes only what it should', async () => {
      const user = await registerUser(t.http);
      const old = `now() - interval '3 years'`;
      await db.query(
        `INSERT INTO idempotency_keys (organization_id, key, request_hash, status_code, response, created_at) VALUES
         ($1, 'old', repeat('a', 64), 200, '{}', now() - interval '25 hours'),
         ($1, 'new', repeat('a', 64), 200, '{}', now() - interval '1 hour')`,
        [user.organizationId],
      );
      await db.query(
        `INSERT INTO stripe_events (id, type, payload, stripe_created, status, received_at) VALUES
         ('evt_old_done', 'x', '{}', 1, 'processed', now() - interval '31 days'),
         ('evt_old_failed', 'x', '{}', 1, 'failed', now() - interval '31 days'),
         ('evt_new_done', 'x', '{}', 1, 'processed', now())`,
      );
      // Old audit entries, appended through the chain and then aged.
      const orgAudit = await admin
        .put(`/users/${user.userId}/role`)
        .send({ role: 'admin' })
        .expect(200);
      expect(orgAudit.body.role).toBe('admin');
      await db.query(
        `UPDATE audit_logs SET created_at = ${old} WHERE entity_type = 'USER' AND entity_id = $1`,
        [user.userId],
      );
      await db.query(
        `UPDATE audit_logs SET created_at = ${old} WHERE id = (SELECT id FROM audit_logs WHERE entity_type = 'ORGANIZATION' AND entity_id = $1 LIMIT 1)`,
        [user.organizationId],
      );
      // Ageing rewrote the entries: re-chain them as if they had been written then.
      await rechain(db);

      const job = await runJob('retention');
      expect(job.result).toMatchObject({ idempotencyKeys: 1, webhookEvents: 1 });
      expect(job.result.auditLogs).toBeGreaterThanOrEqual(1);
      const keys = await db.query('SELECT key FROM idempotency_keys WHERE organization_id = $1', [
        user.organizationId,
      ]);
      expect(keys).toEqual([{ key: 'new' }]);
      const events = await db.query(
        `SELECT id FROM stripe_events WHERE id LIKE 'evt_old%' OR id = 'evt_new_done' ORDER BY id`,
      );
      expect(events).toEqual([{ id: 'evt_new_done' }, { id: 'evt_old_failed' }]);
      expect(await auditOf('USER', user.userId)).toEqual([]);
      expect(await auditOf('ORGANIZATION', user.organizationId)).not.toEqual([]);
      expect((await admin.get('/audit-logs/verify').expect(200)).body).toMatchObject({
        valid: true,
      });
    });

    onPostgres('runs a job once when two replicas start it at the same moment', async () => {
      const replica = await createTestApp({ INTERNAL_API_KEY: ADMIN_KEY }, [], { replicaOf: t });
      try {
        const user = await registerUser(t.http);
        for (let i = 0; i < 3; i++) await pendingIntent(user, true);
        // Hold the job's lock as a third replica would, so both calls find it taken...
        const holder = db.createQueryRunner();
        await holder.connect();
        await holder.query(`SELECT pg_advisory_lock(hashtext('job:intent-expiry'))`);
        const whileHeld = await Promise.all(
          [t, replica].map((app) =>
            app.http.post('/v1/admin/jobs/intent-expiry/run').set('X-API-Key', ADMIN_KEY),
          ),
        );
        expect(whileHeld.map((r) => r.body.ran)).toEqual([false, false]);
        await holder.query(`SELECT pg_advisory_unlock(hashtext('job:intent-expiry'))`);
        await holder.release();
        // ...then both at once: the work is done once.
        const runs = await Promise.all(
          [t, replica].map((app) =>
            app.http.post('/v1/admin/jobs/intent-expiry/run').set('X-API-Key', ADMIN_KEY),
          ),
        );
        const expired = runs.reduce((sum, r) => sum + (r.body.result?.expired ?? 0), 0);
        expect(expired).toBe(3);
      } finally {
        await replica.close();
      }
    });
  });
});

/** Recomputes the chain after a test changed entries' timestamps (what the job would have seen). */
async function rechain(db: DataSource): Promise<void> {
  const { chainHash, GENESIS_HASH } = await import('../../src/modules/audit/audit-chain.js');
  const rows = await db.query('SELECT * FROM audit_logs ORDER BY sequence');
  let previous = GENESIS_HASH;
  for (const row of rows) {
    const hash = chainHash(previous, {
      id: row.id,
      sequence: row.sequence,
      entityType: row.entity_type,
      entityId: row.entity_id,
      action: row.action,
      actorType: row.actor_type,
      actorId: row.actor_id,
      changes: row.changes,
      metadata: row.metadata,
      createdAt: new Date(row.created_at),
    });
    await db.query('UPDATE audit_logs SET previous_hash = $2, hash = $3 WHERE id = $1', [
      row.id,
      previous,
      hash,
    ]);
    previous = hash;
  }
  await db.query('UPDATE audit_chain_head SET hash = $1 WHERE id = 1', [previous]);
}
