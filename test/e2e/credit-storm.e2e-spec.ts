import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { registerUser, type RegisteredUser } from '../factories/user.factory.js';
import { checkoutCreditPack } from '../support/stripe/buy-credits.js';
import { webhookDelivery } from '../support/stripe/deliver-webhook.js';
import { StripeStub, type StripeEvent } from '../support/stripe/stripe-stub.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const bearer = { type: 'bearer' as const };
const WEBHOOK_SECRET = 'whsec_credit_storm';
const ORGANIZATIONS = 4;
const CHARGES_PER_ORGANIZATION = 70;
const RESERVATIONS_PER_ORGANIZATION = 12;
/** Idempotency keys are drawn from a pool smaller than the charges, so some are reused. */
const KEYS_PER_ORGANIZATION = 45;
const SEED = Number(process.env.STORM_SEED ?? Date.now() % 2 ** 31);

interface Answer {
  status: number;
  body: Record<string, unknown>;
}
interface ChargeSent {
  user: RegisteredUser;
  key: string;
  body: { amount: number; feature: string };
  answer: Answer;
}
type ReservationEnding = 'finalize' | 'finalize-twice' | 'release-twice' | 'race';
interface ReservationPlan {
  amount: number;
  cost: number;
  ending: ReservationEnding;
}
interface OrganizationPlan {
  charges: { keyIndex: number; otherBody: boolean; amount: number }[];
  reservations: ReservationPlan[];
  refundCents: number;
  disputeOutcome: 'won' | 'lost';
}

const reservationPlan = fc.record({
  amount: fc.integer({ min: 1, max: 300 }),
  cost: fc.integer({ min: 0, max: 400 }),
  ending: fc.constantFrom<ReservationEnding>('finalize', 'finalize-twice', 'release-twice', 'race'),
});
const organizationPlan: fc.Arbitrary<OrganizationPlan> = fc.record({
  charges: fc.array(
    fc.record({
      keyIndex: fc.integer({ min: 0, max: KEYS_PER_ORGANIZATION - 1 }),
      // One reuse in five sends another body than the key's own amount.
      otherBody: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      amount: fc.integer({ min: 1, max: 120 }),
    }),
    { minLength: CHARGES_PER_ORGANIZATION, maxLength: CHARGES_PER_ORGANIZATION },
  ),
  reservations: fc.array(reservationPlan, {
    minLength: RESERVATIONS_PER_ORGANIZATION,
    maxLength: RESERVATIONS_PER_ORGANIZATION,
  }),
  refundCents: fc.integer({ min: 1, max: 4499 }),
  disputeOutcome: fc.constantFrom<'won' | 'lost'>('won', 'lost'),
});

/**
 * The money storm (issue #14): for several organizations at once, hundreds of charges (keys
 * reused, some with another body), reservations finalized and released (twice, racing), pack
 * completions redelivered in bursts, refunds and disputes, all concurrently and, on PostgreSQL,
 * spread over two replicas of one database. Afterwards the books must balance exactly. The plan
 * is random; its seed is printed and `STORM_SEED` replays it.
 */
describe('Credit storm (e2e)', () => {
  let t: TestApp;
  let replica: TestApp | undefined;
  let stripe: StripeStub;
  let db: DataSource;

  beforeAll(async () => {
    stripe = await new StripeStub().start();
    const env = { ...stripe.env(), STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, JOBS_ENABLED: 'false' };
    t = await createTestApp(env);
    if (process.env.DATABASE_URL) replica = await createTestApp(env, [], { replicaOf: t });
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await replica?.close();
    await t.close();
    await stripe.stop();
  });

  let turn = 0;
  /** Each request goes to the next replica in turn. */
  const app = (): TestApp => (replica && turn++ % 2 === 1 ? replica : t);
  const answerOf = async (request: PromiseLike<{ status: number; body: unknown }>) => {
    const response = await request;
    return { status: response.status, body: response.body as Record<string, unknown> };
  };
  /** Five deliveries at once, over both replicas, and a duplicate under another id. */
  async function burst(event: StripeEvent): Promise<void> {
    const copies = [event, event, event, event, { ...event, id: `${event.id}_dup` }];
    const answers = await Promise.all(
      copies.map((copy) => webhookDelivery(app(), stripe, WEBHOOK_SECRET)(copy)),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
  }
  const orgPath = (user: RegisteredUser, path: string) =>
    `/v1/organizations/${user.organizationId}${path}`;

  async function paidPack(user: RegisteredUser): Promise<{ event: StripeEvent; pi: string }> {
    const { sessionId } = await checkoutCreditPack(t, user, 'growth'); // 5,500 credits
    const event = stripe.completeCheckout(sessionId);
    await burst(event);
    return { event, pi: event.data.object.payment_intent as string };
  }

  function charge(user: RegisteredUser, key: string, body: ChargeSent['body']) {
    return answerOf(
      app()
        .http.post(orgPath(user, '/credits/charge'))
        .auth(user.accessToken, bearer)
        .set('Idempotency-Key', key)
        .send(body),
    );
  }

  /**
   * The same key twice at once: one reservation, replayed to the other (a 402 claims no key).
   * The reservation's answer, or null when the wallet could not cover it.
   */
  async function reserveTwice(user: RegisteredUser, plan: ReservationPlan) {
    const key = randomUUID();
    const reserve = () =>
      answerOf(
        app()
          .http.post(orgPath(user, '/credits/reservations'))
          .auth(user.accessToken, bearer)
          .set('Idempotency-Key', key)
          .send({ amount: plan.amount, feature: 'render' }),
      );
    const tries = await Promise.all([reserve(), reserve()]);
    const created = tries.filter((answer) => answer.status === 201);
    for (const answer of tries.filter((answer) => answer.status !== 201))
      expect(answer.body.code).toBe('INSUFFICIENT_CREDITS');
    for (const answer of created) expect(answer).toEqual(created[0]);
    return created[0] ?? null;
  }

  /** One reservation's life; returns what its endings answered. */
  async function reservationLife(
    user: RegisteredUser,
    plan: ReservationPlan,
    reserved: Promise<Answer | null> = reserveTwice(user, plan),
  ) {
    const first = await reserved;
    if (!first) return [];
    const path = orgPath(user, `/credits/reservations/${first.body.id as string}`);
    const cost = Math.min(plan.cost, plan.amount);
    const finalize = () =>
      answerOf(
        app().http.post(`${path}/finalize`).auth(user.accessToken, bearer).send({ amount: cost }),
      );
    const release = () =>
      answerOf(app().http.post(`${path}/release`).auth(user.accessToken, bearer));
    const endings = {
      finalize: () => Promise.all([finalize()]),
      'finalize-twice': () => Promise.all([finalize(), finalize()]),
      'release-twice': () => Promise.all([release(), release()]),
      race: () => Promise.all([finalize(), release()]),
    };
    const answers = await endings[plan.ending]();
    return answers.map((answer, i) => ({
      user,
      path,
      cost,
      amount: plan.amount,
      kind:
        plan.ending === 'release-twice' || (plan.ending === 'race' && i === 1)
          ? 'release'
          : 'finalize',
      answer,
    }));
  }

  it('leaves every wallet balanced, every pack granted once, every debt kept and every replay exact', async () => {
    console.info(`credit storm seed ${SEED} (STORM_SEED=${SEED} replays it)`);
    const plans = fc.sample(organizationPlan, { seed: SEED, numRuns: ORGANIZATIONS });
    const users = await Promise.all(plans.map(() => registerUser(t.http)));
    // Two packs each before the storm: one is refunded and one disputed during it.
    const packs = await Promise.all(
      users.map(async (user) => [await paidPack(user), await paidPack(user)]),
    );

    // Every other organization has spent all its credits: whatever is refunded or disputed
    // there is debt, and its charges and reservations meet an empty wallet. The others have
    // plenty, and buy a third pack during the storm.
    const spent = (u: number) => u % 2 === 0;
    const charges: ChargeSent[] = [];
    for (const [u, user] of users.entries()) {
      if (!spent(u)) continue;
      const sent = { user, key: randomUUID(), body: { amount: 11_000, feature: 'render' } };
      charges.push({ ...sent, answer: await charge(user, sent.key, sent.body) });
    }
    // One reservation is made before the storm in a funded wallet and ended during it, so the
    // replay checks always have something to compare, whatever the seed drains meanwhile.
    const surePlan: ReservationPlan = { amount: 1, cost: 1, ending: 'race' };
    const sureReservation = reserveTwice(users[1], surePlan);
    expect(await sureReservation).not.toBeNull();
    const storms = users.map((user, u) => {
      const plan = plans[u];
      const keys = Array.from({ length: KEYS_PER_ORGANIZATION }, () => randomUUID());
      const [refunded, disputed] = packs[u];
      const chargeWork = plan.charges.map(async ({ keyIndex, otherBody, amount }) => {
        const body = { amount: otherBody ? amount : 1 + keyIndex, feature: 'render' };
        charges.push({
          user,
          key: keys[keyIndex],
          body,
          answer: await charge(user, keys[keyIndex], body),
        });
      });
      const reservationWork = [
        ...plan.reservations.map((reservation) => reservationLife(user, reservation)),
        ...(u === 1 ? [reservationLife(user, surePlan, sureReservation)] : []),
      ];
      const stripeWork = [
        ...(spent(u) ? [] : [paidPack(user)]),
        burst(refunded.event), // late redeliveries of packs already granted
        burst(disputed.event),
        (async () => {
          await burst(stripe.refund(refunded.pi, plan.refundCents, 4499));
          await burst(stripe.refund(refunded.pi, 4499, 4499));
        })(),
        (async () => {
          const opened = stripe.dispute(disputed.pi, 4499);
          await burst(opened);
          await burst(stripe.closeDispute(opened, plan.disputeOutcome));
        })(),
      ];
      return Promise.all([
        Promise.all(chargeWork),
        Promise.all(reservationWork),
        Promise.all(stripeWork),
      ]);
    });
    const outcomes = await Promise.all(storms);
    const reservations = outcomes.flatMap(([, lives]) => lives.flat());

    let debtIncurred = 0;
    for (const [u, user] of users.entries())
      debtIncurred += await expectBooksBalanced(user, spent(u) ? 2 : 3);
    const statuses = charges.map((sent) => sent.answer.status);
    console.info(
      `credit storm: ${charges.length} charges (${statuses.filter((s) => s === 200).length} × 200, ` +
        `${statuses.filter((s) => s === 402).length} × 402, ${statuses.filter((s) => s === 409).length} × 409), ` +
        `${reservations.length} reservation endings, ${debtIncurred} credits of debt incurred`,
    );
    expect(debtIncurred).toBeGreaterThan(0); // the storm did exercise debt
    await expectChargesBookedOnce(charges);
    await expectReservationsReplayed(reservations);
  });

  /**
   * Balance = ledger; every pack once; what refunds and lost disputes owe is taken or owed.
   * Returns the debt the organization incurred (paid since, or still owed).
   */
  async function expectBooksBalanced(user: RegisteredUser, packs: number): Promise<number> {
    const [books] = await db.query(
      `SELECT w.balance, w.held, w.frozen, w.debt,
         (SELECT coalesce(sum(amount), 0) FROM wallet_transactions t WHERE t.organization_id = w.organization_id) AS ledger,
         (SELECT coalesce(sum(amount), 0) FROM wallet_transactions t WHERE t.organization_id = w.organization_id AND t.type = 'refund') AS taken,
         (SELECT coalesce(sum(amount), 0) FROM wallet_transactions t WHERE t.organization_id = w.organization_id AND t.reference LIKE '%:debt') AS debt_paid,
         (SELECT count(*) FROM wallet_transactions t WHERE t.organization_id = w.organization_id AND t.type = 'purchase') AS grants,
         (SELECT coalesce(sum(refunded_credits), 0) FROM purchases p WHERE p.organization_id = w.organization_id) AS owed,
         (SELECT count(*) FROM purchases p WHERE p.organization_id = w.organization_id AND p.paid_at IS NOT NULL) AS paid
       FROM wallets w WHERE w.organization_id = $1`,
      [user.organizationId],
    );
    const n = (key: string) => Number(books[key]);
    expect(n('balance')).toBe(n('ledger'));
    expect(n('held')).toBe(0); // every reservation ended
    expect(n('grants')).toBe(packs);
    expect(n('paid')).toBe(packs);
    expect(-n('taken') + n('debt')).toBe(n('owed'));
    expect(n('frozen')).toBe(0); // the dispute was decided
    return n('debt') - n('debt_paid');
  }

  /** Every 2xx charge is in the ledger once, its duplicates answered alike, and replays exact. */
  async function expectChargesBookedOnce(sent: ChargeSent[]): Promise<void> {
    const byKey = new Map<string, ChargeSent[]>();
    for (const charge of sent) byKey.set(charge.key, [...(byKey.get(charge.key) ?? []), charge]);
    let booked = 0;
    for (const [key, attempts] of byKey) {
      const succeeded = attempts.filter((attempt) => attempt.answer.status === 200);
      if (succeeded.length === 0) {
        for (const attempt of attempts) expect([402, 409]).toContain(attempt.answer.status);
        continue;
      }
      booked += 1;
      const first = succeeded[0];
      for (const attempt of attempts) {
        if (attempt.body.amount === first.body.amount) {
          if (attempt.answer.status === 200) expect(attempt.answer.body).toEqual(first.answer.body);
          else expect(attempt.answer.status).toBe(402); // tried before the first success
        } else {
          expect([402, 409]).toContain(attempt.answer.status);
        }
      }
      const rows = await db.query(
        'SELECT id, amount FROM wallet_transactions WHERE organization_id = $1 AND reference = $2',
        [first.user.organizationId, `charge:${key}`],
      );
      expect(
        rows.map((row: { id: string; amount: number }) => [row.id, Number(row.amount)]),
      ).toEqual([[first.answer.body.transactionId, -first.body.amount]]);
      expect(await charge(first.user, key, first.body)).toEqual(first.answer);
    }
    const [{ count }] = await db.query(
      `SELECT count(*) FROM wallet_transactions WHERE reference LIKE 'charge:%' AND organization_id = ANY($1)`,
      [[...new Set(sent.map((charge) => charge.user.organizationId))]],
    );
    expect(Number(count)).toBe(booked);
    expect(booked).toBeGreaterThan(0);
  }

  /** A finalize or release answered 200 replays byte for byte; the loser of a race is 409. */
  async function expectReservationsReplayed(
    endings: Awaited<ReturnType<typeof reservationLife>>,
  ): Promise<void> {
    const byPath = new Map<string, typeof endings>();
    for (const ending of endings)
      byPath.set(ending.path, [...(byPath.get(ending.path) ?? []), ending]);
    expect(byPath.size).toBeGreaterThan(0);
    for (const attempts of byPath.values()) {
      const won = attempts.filter((attempt) => attempt.answer.status === 200);
      expect(new Set(won.map((attempt) => attempt.kind)).size).toBe(1);
      for (const lost of attempts.filter((attempt) => attempt.answer.status !== 200))
        expect(lost.answer.body.code).toBe('RESERVATION_CLOSED');
      for (const attempt of won) expect(attempt.answer).toEqual(won[0].answer);
      const { user, path, kind, cost, amount } = won[0];
      const again = await answerOf(
        app()
          .http.post(`${path}/${kind}`)
          .auth(user.accessToken, bearer)
          .send(kind === 'finalize' ? { amount: cost } : {}),
      );
      expect(again).toEqual(won[0].answer);
      if (kind === 'release') expect(won[0].answer.body).toEqual({ released: amount });
      else expect(won[0].answer.body).toMatchObject({ charged: cost, released: amount - cost });
    }
  }
});
