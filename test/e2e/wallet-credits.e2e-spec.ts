import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createApiKey } from '../factories/organization.factory.js';
import { registerUser, type RegisteredUser } from '../factories/user.factory.js';
import { fundWallet, walletAndLedger, walletView } from '../factories/wallet.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const bearer = { type: 'bearer' as const };
const ADMIN_KEY = 'admin-key-for-wallet-tests-0123456789';

describe('Wallet, charges and reservations (e2e)', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ INTERNAL_API_KEY: ADMIN_KEY, JOBS_ENABLED: 'false' });
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  async function funded(credits: number): Promise<RegisteredUser> {
    const user = await registerUser(t.http);
    await fundWallet(db, user.organizationId, credits);
    return user;
  }

  function charge(user: RegisteredUser, key: string, body: Record<string, unknown>) {
    return t.http
      .post(`/v1/organizations/${user.organizationId}/credits/charge`)
      .auth(user.accessToken, bearer)
      .set('Idempotency-Key', key)
      .send(body);
  }

  function reserve(user: RegisteredUser, amount: number, extra: Record<string, unknown> = {}) {
    return t.http
      .post(`/v1/organizations/${user.organizationId}/credits/reservations`)
      .auth(user.accessToken, bearer)
      .set('Idempotency-Key', randomUUID())
      .send({ amount, feature: 'render', ...extra });
  }

  const wallet = (user: RegisteredUser) => walletView(t.http, user);

  describe('POST …/credits/charge', () => {
    it('50 concurrent charges of 10 on a balance of 200: exactly 20 succeed, 30 get 402, the ledger sums to the balance', async () => {
      const user = await funded(200);
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          charge(user, randomUUID(), { amount: 10, feature: 'render' }),
        ),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(20);
      expect(statuses.filter((status) => status === 402)).toHaveLength(30);
      expect(responses.find((r) => r.status === 402)?.body.code).toBe('INSUFFICIENT_CREDITS');
      expect(await walletAndLedger(db, user.organizationId)).toEqual({
        balance: 0,
        held: 0,
        ledgerSum: 0,
      });
    });

    it('replays a key: the same transaction, one debit; the key with another body is 409', async () => {
      const user = await funded(100);
      const key = randomUUID();
      const first = await charge(user, key, { amount: 30, feature: 'render' }).expect(200);
      expect(first.body).toEqual({ transactionId: expect.any(String), charged: 30, balance: 70 });
      const again = await charge(user, key, { amount: 30, feature: 'render' }).expect(200);
      expect(again.body).toEqual(first.body);
      const reused = await charge(user, key, { amount: 31, feature: 'render' }).expect(409);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((await wallet(user)).balance).toBe(70);
    });

    it('20 parallel requests with one key debit once and all get the first answer', async () => {
      const user = await funded(100);
      const key = randomUUID();
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => charge(user, key, { amount: 7, feature: 'render' })),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(new Set(responses.map((r) => r.body.transactionId)).size).toBe(1);
      expect(await walletAndLedger(db, user.organizationId)).toMatchObject({
        balance: 93,
        ledgerSum: 93,
      });
    });

    it("scopes keys to the organization: another organization's identical key is another key", async () => {
      const [a, b] = [await funded(50), await funded(50)];
      await charge(a, 'shared-key', { amount: 5, feature: 'render' }).expect(200);
      const other = await charge(b, 'shared-key', { amount: 6, feature: 'render' }).expect(200);
      expect(other.body.charged).toBe(6);
    });

    it.each([
      ['no key', undefined],
      ['an empty key', ''],
      ['a key with spaces', 'has space'],
      ['a key of 256 characters', 'k'.repeat(256)],
    ])('refuses %s with 400 and debits nothing', async (_label, key) => {
      const user = await funded(10);
      const request = t.http
        .post(`/v1/organizations/${user.organizationId}/credits/charge`)
        .auth(user.accessToken, bearer);
      if (key !== undefined) void request.set('Idempotency-Key', key);
      const response = await request.send({ amount: 1, feature: 'render' }).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect((await wallet(user)).balance).toBe(10);
    });

    it('refuses an unknown feature with 400 and one the level lacks with 403 FEATURE_NOT_ENTITLED', async () => {
      const user = await funded(10);
      const unknown = await charge(user, randomUUID(), { amount: 1, feature: 'teleport' }).expect(
        400,
      );
      expect(unknown.body.code).toBe('VALIDATION_FAILED');
      const disabled = await charge(user, randomUUID(), { amount: 1, feature: 'sso' }).expect(403);
      expect(disabled.body).toMatchObject({
        code: 'FEATURE_NOT_ENTITLED',
        detail: expect.stringContaining('sso'),
      });
      expect((await wallet(user)).balance).toBe(10);
    });

    it('keeps the charge when recording its usage statistics fails, and counts the failure', async () => {
      const user = await funded(10);
      await db.query(`CREATE FUNCTION fail_usage_totals() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.organization_id = '${user.organizationId}' THEN RAISE EXCEPTION 'statistics down'; END IF;
          RETURN NEW;
        END $$`);
      await db.query(`CREATE TRIGGER fail_usage_totals BEFORE INSERT ON usage_daily_totals
        FOR EACH ROW EXECUTE FUNCTION fail_usage_totals()`);
      try {
        await charge(user, randomUUID(), { amount: 4, feature: 'render' }).expect(200);
        await t.settled(); // the statistics are recorded after the answer
      } finally {
        await db.query('DROP TRIGGER fail_usage_totals ON usage_daily_totals');
        await db.query('DROP FUNCTION fail_usage_totals');
      }
      expect((await wallet(user)).balance).toBe(6);
      const metrics = await t.http.get('/metrics').expect(200);
      expect(metrics.text).toMatch(/usage_recording_failures_total [1-9]/);
    });

    it('takes an API key only with the credits:charge scope', async () => {
      const user = await funded(10);
      const reader = await createApiKey(t.http, user, ['wallet:read']);
      const charger = await createApiKey(t.http, user, ['credits:charge']);
      const body = { amount: 1, feature: 'render' };
      const refused = await t.http
        .post(`/v1/organizations/${user.organizationId}/credits/charge`)
        .auth(reader.key, bearer)
        .set('Idempotency-Key', randomUUID())
        .send(body)
        .expect(403);
      expect(refused.body.code).toBe('FORBIDDEN');
      await t.http
        .post(`/v1/organizations/${user.organizationId}/credits/charge`)
        .auth(charger.key, bearer)
        .set('Idempotency-Key', randomUUID())
        .send(body)
        .expect(200);
    });
  });

  describe('reservations', () => {
    it('hold credits from available, then finalize charges the final cost and releases the rest', async () => {
      const user = await funded(100);
      const held = await reserve(user, 40).expect(201);
      expect(held.body).toMatchObject({ amount: 40, status: 'held' });
      expect(await wallet(user)).toMatchObject({ balance: 100, held: 40, available: 60 });

      const path = `/v1/organizations/${user.organizationId}/credits/reservations/${held.body.id}`;
      const finalized = await t.http
        .post(`${path}/finalize`)
        .auth(user.accessToken, bearer)
        .send({ amount: 25 })
        .expect(200);
      expect(finalized.body).toEqual({
        transactionId: expect.any(String),
        charged: 25,
        released: 15,
        balance: 75,
      });
      const again = await t.http
        .post(`${path}/finalize`)
        .auth(user.accessToken, bearer)
        .send({ amount: 25 })
        .expect(200);
      expect(again.body).toEqual(finalized.body);
      const release = await t.http
        .post(`${path}/release`)
        .auth(user.accessToken, bearer)
        .expect(409);
      expect(release.body.code).toBe('RESERVATION_CLOSED');
      expect(await wallet(user)).toMatchObject({ balance: 75, held: 0, available: 75 });
      expect(await walletAndLedger(db, user.organizationId)).toMatchObject({
        balance: 75,
        ledgerSum: 75,
      });
    });

    it('refuses to finalize more than is held, and releases a hold in full', async () => {
      const user = await funded(50);
      const held = await reserve(user, 20).expect(201);
      const path = `/v1/organizations/${user.organizationId}/credits/reservations/${held.body.id}`;
      await t.http
        .post(`${path}/finalize`)
        .auth(user.accessToken, bearer)
        .send({ amount: 21 })
        .expect(400);
      const released = await t.http
        .post(`${path}/release`)
        .auth(user.accessToken, bearer)
        .expect(200);
      expect(released.body).toEqual({ released: 20 });
      await t.http
        .post(`${path}/finalize`)
        .auth(user.accessToken, bearer)
        .send({ amount: 1 })
        .expect(409);
      expect(await wallet(user)).toMatchObject({ balance: 50, held: 0 });
    });

    it('20 concurrent reservations and charges against a small balance never spend more than it', async () => {
      const user = await funded(100);
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 === 0
            ? reserve(user, 15)
            : charge(user, randomUUID(), { amount: 15, feature: 'render' }),
        ),
      );
      const succeeded = responses.filter((r) => r.status === 200 || r.status === 201).length;
      expect(succeeded).toBe(6);
      expect(responses.filter((r) => r.status === 402)).toHaveLength(14);
      const state = await walletAndLedger(db, user.organizationId);
      expect(state.balance).toBe(state.ledgerSum);
      expect(state.balance - state.held).toBe(10);
    });

    it('an expired hold is released by the job', async () => {
      const user = await funded(30);
      const held = await reserve(user, 30, { ttlSeconds: 1 }).expect(201);
      await db.query(
        `UPDATE credit_reservations SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [held.body.id],
      );
      const path = `/v1/organizations/${user.organizationId}/credits/reservations/${held.body.id}`;
      const late = await t.http
        .post(`${path}/finalize`)
        .auth(user.accessToken, bearer)
        .send({ amount: 5 })
        .expect(409);
      expect(late.body.code).toBe('RESERVATION_CLOSED');
      const run = await t.http
        .post('/v1/admin/jobs/reservation-expiry/run')
        .set('X-API-Key', ADMIN_KEY)
        .expect(200);
      expect(run.body.ran).toBe(true);
      expect(run.body.result.expired).toBeGreaterThanOrEqual(1);
      expect(await wallet(user)).toMatchObject({ balance: 30, held: 0, available: 30 });
      const [row] = await db.query('SELECT status FROM credit_reservations WHERE id = $1', [
        held.body.id,
      ]);
      expect(row.status).toBe('expired');
    });
  });

  describe('wallet', () => {
    it('lists the ledger newest first, paged', async () => {
      const user = await funded(50);
      await charge(user, randomUUID(), {
        amount: 5,
        feature: 'render',
        description: 'a render',
      }).expect(200);
      const page = await t.http
        .get(`/v1/organizations/${user.organizationId}/wallet/transactions?perPage=1`)
        .auth(user.accessToken, bearer)
        .expect(200);
      expect(page.body).toEqual({
        data: [
          expect.objectContaining({
            type: 'usage',
            amount: -5,
            balanceAfter: 45,
            description: 'a render',
          }),
        ],
        meta: { page: 1, perPage: 1, total: 2 },
      });
    });

    it('sends one low-balance alert per crossing of the threshold', async () => {
      const user = await funded(100);
      await t.http
        .put(`/v1/organizations/${user.organizationId}/wallet/settings`)
        .auth(user.accessToken, bearer)
        .send({ lowBalanceThreshold: 50 })
        .expect(200);
      for (const amount of [30, 30, 10]) {
        await charge(user, randomUUID(), { amount, feature: 'render' }).expect(200);
      }
      await t.settled();
      const alerts = () =>
        t.mail.messages.filter((m) => m.to === user.email && /Credits running low/.test(m.subject));
      expect(alerts()).toHaveLength(1);
      expect(alerts()[0].subject).toContain('40 left');

      await fundWallet(db, user.organizationId, 100); // a grant does not pass through the alert
      await charge(user, randomUUID(), { amount: 1, feature: 'render' }).expect(200); // 129: above again
      await charge(user, randomUUID(), { amount: 100, feature: 'render' }).expect(200); // 29: below again
      await t.settled();
      expect(alerts()).toHaveLength(2);
    });
  });
});
