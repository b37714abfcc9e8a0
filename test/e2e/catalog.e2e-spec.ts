import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.setup.js';
import { registerUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const MONTHLY: Record<string, Record<string, number>> = {
  basic: { US: 900, CA: 1200, EU: 900, GB: 800, AU: 1400 },
  standard: { US: 2900, CA: 3900, EU: 2700, GB: 2400, AU: 4400 },
  advanced: { US: 7900, CA: 10500, EU: 7300, GB: 6500, AU: 11900 },
  pro: { US: 19900, CA: 26900, EU: 18500, GB: 16500, AU: 29900 },
};
const CURRENCY: Record<string, string> = { US: 'USD', CA: 'CAD', EU: 'EUR', GB: 'GBP', AU: 'AUD' };

describe('Catalog (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each(Object.keys(CURRENCY))(
    'GET /v1/billing/plans?region=%s prices every tier and cycle in its currency',
    async (region) => {
      const response = await t.http.get('/v1/billing/plans').query({ region }).expect(200);
      expect(response.body).toMatchObject({ region, currency: CURRENCY[region] });
      const plans = response.body.plans as {
        tier: string;
        billingCycle: string;
        unitAmount: number;
        currency: string;
      }[];
      expect(plans).toHaveLength(8);
      for (const [tier, prices] of Object.entries(MONTHLY)) {
        expect(plans).toContainEqual(
          expect.objectContaining({
            tier,
            billingCycle: 'monthly',
            unitAmount: prices[region],
            currency: CURRENCY[region],
          }),
        );
        expect(plans).toContainEqual(
          expect.objectContaining({
            tier,
            billingCycle: 'yearly',
            unitAmount: prices[region] * 10,
          }),
        );
      }
    },
  );

  it('lists the features of each tier and the trials', async () => {
    const response = await t.http.get('/v1/billing/plans').expect(200);
    const plan = (tier: string) =>
      (response.body.plans as any[]).find((p) => p.tier === tier && p.billingCycle === 'monthly');
    expect(plan('basic')).toMatchObject({
      trialDays: 14,
      features: {
        api_requests: { limit: 10000, period: 'month', isEnabled: true },
        sso: { isEnabled: false },
      },
    });
    expect(plan('pro')).toMatchObject({
      trialDays: null,
      features: { seats: { limit: null }, sso: { isEnabled: true } },
    });
    expect(plan('advanced').features.priority_support.isEnabled).toBe(true);
  });

  it('GET /v1/billing/credit-packs prices the packs per region', async () => {
    const us = await t.http.get('/v1/billing/credit-packs').query({ region: 'US' }).expect(200);
    expect(us.body).toEqual([
      { key: 'starter', credits: 1000, bonusCredits: 0, unitAmount: 999, currency: 'USD' },
      { key: 'growth', credits: 5000, bonusCredits: 500, unitAmount: 4499, currency: 'USD' },
      { key: 'scale', credits: 20000, bonusCredits: 4000, unitAmount: 15999, currency: 'USD' },
    ]);
    const gb = await t.http.get('/v1/billing/credit-packs').query({ region: 'GB' }).expect(200);
    expect(gb.body.map((p: { currency: string }) => p.currency)).toEqual(['GBP', 'GBP', 'GBP']);
    expect(gb.body[0].unitAmount).toBe(828);
  });

  it("falls back to the caller's organization's region, then to US", async () => {
    const anonymous = await t.http.get('/v1/billing/plans').query({ region: 'MARS' }).expect(200);
    expect(anonymous.body.region).toBe('US');
    const user = await registerUser(t.http);
    await t.http
      .patch(`/v1/organizations/${user.organizationId}`)
      .auth(user.accessToken, { type: 'bearer' })
      .send({ region: 'EU' })
      .expect(200);
    const known = await t.http
      .get('/v1/billing/plans')
      .auth(user.accessToken, { type: 'bearer' })
      .expect(200);
    expect(known.body).toMatchObject({ region: 'EU', currency: 'EUR' });
    const packs = await t.http
      .get('/v1/billing/credit-packs')
      .query({ region: 'nowhere' })
      .auth(user.accessToken, { type: 'bearer' })
      .expect(200);
    expect(packs.body[0].currency).toBe('EUR');
    const explicit = await t.http
      .get('/v1/billing/plans')
      .query({ region: 'gb' })
      .auth(user.accessToken, { type: 'bearer' })
      .expect(200);
    expect(explicit.body.region).toBe('GB');
    const badToken = await t.http
      .get('/v1/billing/plans')
      .auth('not-a-token', { type: 'bearer' })
      .expect(200);
    expect(badToken.body.region).toBe('US');
  });

  it('upserts the catalog into its tables at boot', async () => {
    const db = t.app.get(DataSource);
    const [price] = await db.query(
      `SELECT unit_amount, currency, trial_days FROM catalog_prices WHERE tier = 'standard' AND billing_cycle = 'yearly' AND region = 'AU'`,
    );
    expect(price).toEqual({ unit_amount: 44000, currency: 'AUD', trial_days: 14 });
    const entitlements = await db.query(
      `SELECT level_key, "limit" FROM entitlements WHERE feature_key = 'api_requests' ORDER BY "limit"::bigint`,
    );
    expect(entitlements.map((e: { level_key: string }) => e.level_key)).toEqual([
      'free',
      'trial',
      'basic',
      'standard',
      'advanced',
      'pro',
    ]);
  });
});

describe('Catalog file problems (e2e)', () => {
  it('a bad catalog stops the boot, naming the problem', async () => {
    const catalog = JSON.parse(await readFile('config/catalog.json', 'utf8'));
    delete catalog.tiers[2].prices.monthly.CA;
    const path = join(await mkdtemp(join(tmpdir(), 'catalog-')), 'catalog.json');
    await writeFile(path, JSON.stringify(catalog));
    const saved = { ...process.env };
    Object.assign(process.env, {
      DATABASE_URL: '',
      DATA_DIR: await mkdtemp(join(tmpdir(), 'data-')),
      CATALOG_PATH: path,
    });
    const app = await createApp();
    try {
      await expect(app.init()).rejects.toThrow('tiers.2.prices.monthly.CA');
    } finally {
      await app.close();
      process.env = saved;
    }
  });
});
