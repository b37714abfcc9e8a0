// Credit charges under load: the service's POST /credits/charge against a floor measured in the
// same run, a bare Fastify server doing the same SQL (conditional debit, ledger row, idempotency
// key) with `pg`. Reports requests/s, p99 and the ratio to the floor. Not part of `npm test`.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench
//
// It creates and drops a database of its own on that server.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';

const SERVER = process.env.DATABASE_URL;
if (!SERVER)
  throw new Error('Set DATABASE_URL to a PostgreSQL server (the bench makes its own database)');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const APP_PORT = 3901;
const FLOOR_PORT = 3902;

const dbName = `ss_bench_${Date.now()}`;
const withDb = (name) => {
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
};

async function admin(sql) {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function startApp(databaseUrl) {
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(APP_PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'fatal',
      JOBS_ENABLED: 'false',
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      DATA_DIR: `/tmp/${dbName}`,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${APP_PORT}/health/live`)).ok) return child;
    } catch {
      /* booting */
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error('The app did not start');
}

async function fixture() {
  const response = await fetch(`http://127.0.0.1:${APP_PORT}/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `bench-${randomUUID()}@example.com`,
      password: `pw-${randomUUID()}`,
    }),
  });
  const body = await response.json();
  return { organizationId: body.organization.id, accessToken: body.tokens.accessToken };
}

async function fund(pool, organizationId, credits) {
  await pool.query('INSERT INTO wallets (organization_id) VALUES ($1) ON CONFLICT DO NOTHING', [
    organizationId,
  ]);
  await pool.query(
    `INSERT INTO wallet_transactions (organization_id, type, amount, balance_after, reference, description)
     VALUES ($1, 'grant', $2, $2, $3, 'bench')`,
    [organizationId, credits, `grant:${randomUUID()}`],
  );
  await pool.query('UPDATE wallets SET balance = balance + $2 WHERE organization_id = $1', [
    organizationId,
    credits,
  ]);
}

/** The floor: the same statements a charge runs, behind bare Fastify, no framework, no ORM. */
async function startFloor(pool) {
  const app = Fastify();
  app.post('/charge/:orgId', async (request) => {
    const { orgId } = request.params;
    const key = request.headers['idempotency-key'];
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO idempotency_keys (organization_id, key, request_hash, status_code, response)
         VALUES ($1, $2, repeat('0', 64), 0, '{}') ON CONFLICT DO NOTHING`,
        [orgId, key],
      );
      const { rows } = await client.query(
        `UPDATE wallets SET balance = balance - 1, updated_at = now()
         WHERE organization_id = $1 AND balance - held >= 1 RETURNING balance`,
        [orgId],
      );
      const ledger = await client.query(
        `INSERT INTO wallet_transactions (organization_id, type, amount, balance_after, reference, description)
         VALUES ($1, 'usage', -1, $2, $3, 'floor') RETURNING id`,
        [orgId, rows[0].balance, `charge:${key}`],
      );
      const answer = {
        transactionId: ledger.rows[0].id,
        charged: 1,
        balance: Number(rows[0].balance),
      };
      await client.query(
        'UPDATE idempotency_keys SET status_code = 200, response = $3 WHERE organization_id = $1 AND key = $2',
        [orgId, key, JSON.stringify(answer)],
      );
      await client.query('COMMIT');
      return answer;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  });
  await app.listen({ port: FLOOR_PORT, host: '127.0.0.1' });
  return app;
}

function load(url, headers) {
  return autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ amount: 1, feature: 'render' }),
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          headers: { ...request.headers, 'idempotency-key': randomUUID() },
        }),
      },
    ],
  });
}

const summary = (result) => ({
  requestsPerSecond: Math.round(result.requests.average),
  p99ms: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors,
});

await admin(`CREATE DATABASE "${dbName}"`);
let app;
let floor;
const pool = new pg.Pool({ connectionString: withDb(dbName), max: 10 });
// Dropping the bench database at the end terminates whatever connection is left: expected.
pool.on('error', () => undefined);
try {
  app = await startApp(withDb(dbName));
  const service = await fixture();
  const bare = await fixture();
  await fund(pool, service.organizationId, 10_000_000);
  await fund(pool, bare.organizationId, 10_000_000);
  floor = await startFloor(pool);

  const floorResult = summary(
    await load(`http://127.0.0.1:${FLOOR_PORT}/charge/${bare.organizationId}`, {}),
  );
  const serviceResult = summary(
    await load(
      `http://127.0.0.1:${APP_PORT}/v1/organizations/${service.organizationId}/credits/charge`,
      { authorization: `Bearer ${service.accessToken}` },
    ),
  );
  const { rows } = await pool.query(
    `SELECT w.balance, (SELECT SUM(amount) FROM wallet_transactions t WHERE t.organization_id = w.organization_id) AS ledger
     FROM wallets w WHERE organization_id = $1`,
    [service.organizationId],
  );
  console.log(
    JSON.stringify(
      {
        connections: CONNECTIONS,
        seconds: DURATION,
        floor: { what: 'bare Fastify + pg, same SQL', ...floorResult },
        service: { what: 'POST /v1/organizations/:orgId/credits/charge', ...serviceResult },
        ratio: Number((serviceResult.requestsPerSecond / floorResult.requestsPerSecond).toFixed(2)),
        balanceEqualsLedger: rows[0].balance === rows[0].ledger,
      },
      null,
      2,
    ),
  );
} finally {
  // autocannon stops at its deadline with requests in flight: let them finish first.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  app?.kill();
  if (app) await once(app, 'exit');
  await floor?.close();
  await pool.end();
  await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
}
