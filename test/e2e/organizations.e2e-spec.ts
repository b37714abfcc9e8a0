import pg from 'pg';
import { DataSource } from 'typeorm';
import { INVITATIONS_PER_HOUR } from '../../src/modules/tenant/invitation.service.js';
import { addMember } from '../factories/organization.factory.js';
import { registerUser, uniqueEmail, type RegisteredUser } from '../factories/user.factory.js';
import { tokenFromLink } from '../support/smtp-capture.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const bearer = { type: 'bearer' as const };
const onPostgres = process.env.DATABASE_URL ? it : it.skip;

/** Resolves once some other session of the database waits for a lock. */
async function waitForLockWaiter(client: pg.Client): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await client.query(
      `SELECT 1 FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('No request came to wait for the lock');
}

describe('Organizations (e2e)', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  /** An organization with one user of each role. */
  async function team() {
    const owner = await registerUser(t.http);
    const [admin, billing, member] = await Promise.all([
      registerUser(t.http),
      registerUser(t.http),
      registerUser(t.http),
    ]);
    const orgId = owner.organizationId;
    await addMember(db, orgId, admin, 'admin');
    await addMember(db, orgId, billing, 'billing');
    await addMember(db, orgId, member, 'member');
    return { orgId, owner, admin, billing, member };
  }

  describe('CRUD', () => {
    it('creates with a unique slug and region, lists with the caller’s role, updates and deletes', async () => {
      const user = await registerUser(t.http);
      const first = await t.http
        .post('/v1/organizations')
        .auth(user.accessToken, bearer)
        .send({ name: 'Acme Labs', region: 'EU' })
        .expect(201);
      const second = await t.http
        .post('/v1/organizations')
        .auth(user.accessToken, bearer)
        .send({ name: 'Acme Labs' })
        .expect(201);
      expect(first.body).toMatchObject({
        name: 'Acme Labs',
        region: 'EU',
        slug: expect.stringMatching(/^acme-labs/),
      });
      expect(second.body.slug).not.toBe(first.body.slug);
      expect(second.body.region).toBe('US');

      const list = await t.http.get('/v1/organizations').auth(user.accessToken, bearer).expect(200);
      expect(list.body.meta.total).toBe(3);
      expect(list.body.data).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: first.body.id, role: 'owner' })]),
      );

      const renamed = await t.http
        .patch(`/v1/organizations/${first.body.id}`)
        .auth(user.accessToken, bearer)
        .send({ name: 'Acme Research' })
        .expect(200);
      expect(renamed.body).toMatchObject({ name: 'Acme Research', slug: first.body.slug });
      await t.http
        .delete(`/v1/organizations/${first.body.id}`)
        .auth(user.accessToken, bearer)
        .expect(204);
      await t.http
        .get(`/v1/organizations/${first.body.id}`)
        .auth(user.accessToken, bearer)
        .expect(404);
      const actions = await db.query<{ action: string }[]>(
        `SELECT action FROM audit_logs WHERE entity_id = $1 ORDER BY created_at`,
        [first.body.id],
      );
      expect(actions.map((a) => a.action)).toEqual(['CREATE', 'UPDATE', 'DELETE']);
    });

    it.each([
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'Fine', region: 'MARS' }, 'region'],
      [{ name: 'Fine', slug: 'chosen' }, 'slug'],
    ])('rejects %j naming %s', async (body, field) => {
      const user = await registerUser(t.http);
      const response = await t.http
        .post('/v1/organizations')
        .auth(user.accessToken, bearer)
        .send(body)
        .expect(400);
      expect((response.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
    });

    it('lets admins update, only owners delete, members only read', async () => {
      const { orgId, admin, member } = await team();
      await t.http.get(`/v1/organizations/${orgId}`).auth(member.accessToken, bearer).expect(200);
      const denied = await t.http
        .patch(`/v1/organizations/${orgId}`)
        .auth(member.accessToken, bearer)
        .send({ name: 'X' })
        .expect(403);
      expect(denied.body.code).toBe('FORBIDDEN');
      await t.http
        .patch(`/v1/organizations/${orgId}`)
        .auth(admin.accessToken, bearer)
        .send({ region: 'GB' })
        .expect(200);
      await t.http.delete(`/v1/organizations/${orgId}`).auth(admin.accessToken, bearer).expect(403);
    });
  });

  describe('members', () => {
    it('lists members with their profiles', async () => {
      const { orgId, owner, member } = await team();
      const response = await t.http
        .get(`/v1/organizations/${orgId}/members`)
        .auth(member.accessToken, bearer)
        .expect(200);
      expect(response.body).toHaveLength(4);
      expect(response.body[0]).toMatchObject({
        userId: owner.userId,
        email: owner.email,
        role: 'owner',
      });
    });

    it('admins change roles below owner; only owners make or unmake owners', async () => {
      const { orgId, owner, admin, member, billing } = await team();
      const path = (u: RegisteredUser) => `/v1/organizations/${orgId}/members/${u.userId}`;
      await t.http
        .patch(path(member))
        .auth(admin.accessToken, bearer)
        .send({ role: 'billing' })
        .expect(200);
      await t.http
        .patch(path(member))
        .auth(admin.accessToken, bearer)
        .send({ role: 'owner' })
        .expect(403);
      await t.http
        .patch(path(owner))
        .auth(admin.accessToken, bearer)
        .send({ role: 'member' })
        .expect(403);
      await t.http
        .patch(path(admin))
        .auth(billing.accessToken, bearer)
        .send({ role: 'member' })
        .expect(403);
      const promoted = await t.http
        .patch(path(admin))
        .auth(owner.accessToken, bearer)
        .send({ role: 'owner' })
        .expect(200);
      expect(promoted.body).toMatchObject({ userId: admin.userId, role: 'owner' });
      const audited = await db.query(
        `SELECT changes FROM audit_logs WHERE entity_id = $1 AND metadata->>'memberId' = $2`,
        [orgId, admin.userId],
      );
      expect(audited).toEqual([{ changes: { memberRole: { from: 'admin', to: 'owner' } } }]);
    });

    it('keeps a last owner: 409 LAST_OWNER on demotion and on leaving', async () => {
      const { orgId, owner } = await team();
      const path = `/v1/organizations/${orgId}/members/${owner.userId}`;
      const demote = await t.http
        .patch(path)
        .auth(owner.accessToken, bearer)
        .send({ role: 'admin' })
        .expect(409);
      expect(demote.body.code).toBe('LAST_OWNER');
      const leave = await t.http.delete(path).auth(owner.accessToken, bearer).expect(409);
      expect(leave.body.code).toBe('LAST_OWNER');
    });

    it('of two owners demoting each other at once, exactly one succeeds and one owner remains', async () => {
      const { orgId, owner, admin } = await team();
      await db.query(
        `UPDATE memberships SET role = 'owner' WHERE organization_id = $1 AND user_id = $2`,
        [orgId, admin.userId],
      );
      const results = await Promise.all([
        t.http
          .patch(`/v1/organizations/${orgId}/members/${admin.userId}`)
          .auth(owner.accessToken, bearer)
          .send({ role: 'member' }),
        t.http
          .patch(`/v1/organizations/${orgId}/members/${owner.userId}`)
          .auth(admin.accessToken, bearer)
          .send({ role: 'member' }),
      ]);
      // The loser is refused either by the last-owner rule (409) or, when the winner's demotion
      // landed first, because it is no longer an owner (403).
      const statuses = results.map((r) => r.status).sort();
      expect(statuses[0]).toBe(200);
      expect([403, 409]).toContain(statuses[1]);
      const owners = await db.query(
        `SELECT user_id FROM memberships WHERE organization_id = $1 AND role = 'owner'`,
        [orgId],
      );
      expect(owners).toHaveLength(1);
    });

    onPostgres("a demoted admin's request in flight changes no role", async () => {
      const { orgId, admin, member } = await team();
      // Another transaction holds the organization lock and demotes the admin while the admin's
      // request, past the role guard, waits for that lock.
      const other = new pg.Client({ connectionString: t.databaseEnv.DATABASE_URL });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query('SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE', [orgId]);
        const inFlight = t.http
          .patch(`/v1/organizations/${orgId}/members/${member.userId}`)
          .auth(admin.accessToken, bearer)
          .send({ role: 'admin' })
          .then((response) => response);
        await waitForLockWaiter(other);
        await other.query(
          `UPDATE memberships SET role = 'member' WHERE organization_id = $1 AND user_id = $2`,
          [orgId, admin.userId],
        );
        await other.query('COMMIT');
        expect((await inFlight).status).toBe(403);
      } finally {
        await other.end();
      }
      const members = await t.http
        .get(`/v1/organizations/${orgId}/members`)
        .auth(member.accessToken, bearer)
        .expect(200);
      expect(members.body.find((m: { userId: string }) => m.userId === member.userId).role).toBe(
        'member',
      );
    });

    it('admins remove members, members may leave but not remove others', async () => {
      const { orgId, admin, billing, member } = await team();
      await t.http
        .delete(`/v1/organizations/${orgId}/members/${billing.userId}`)
        .auth(member.accessToken, bearer)
        .expect(403);
      await t.http
        .delete(`/v1/organizations/${orgId}/members/${billing.userId}`)
        .auth(admin.accessToken, bearer)
        .expect(204);
      await t.http
        .delete(`/v1/organizations/${orgId}/members/${member.userId}`)
        .auth(member.accessToken, bearer)
        .expect(204);
      await t.http.get(`/v1/organizations/${orgId}`).auth(member.accessToken, bearer).expect(404);
    });
  });

  describe('invitations', () => {
    it('mails a single-use link that the invited user accepts, which verifies their email', async () => {
      const { orgId, admin } = await team();
      const email = uniqueEmail('invitee');
      const invited = await t.http
        .post(`/v1/organizations/${orgId}/invitations`)
        .auth(admin.accessToken, bearer)
        .send({ email, role: 'billing' })
        .expect(201);
      expect(invited.body).toMatchObject({ email, role: 'billing' });
      const mail = await t.mail.waitFor(email, /invited you to/);
      const token = tokenFromLink(mail, '/invitations/accept');

      const invitee = await registerUser(t.http, { email });
      const stranger = await registerUser(t.http);
      await t.http
        .post('/v1/invitations/accept')
        .auth(stranger.accessToken, bearer)
        .send({ token })
        .expect(403);

      const accepted = await t.http
        .post('/v1/invitations/accept')
        .auth(invitee.accessToken, bearer)
        .send({ token })
        .expect(200);
      expect(accepted.body).toEqual({
        organizationId: orgId,
        userId: invitee.userId,
        role: 'billing',
      });
      const me = await t.http.get('/v1/auth/me').auth(invitee.accessToken, bearer).expect(200);
      expect(me.body.user.emailVerified).toBe(true);
      const again = await t.http
        .post('/v1/invitations/accept')
        .auth(invitee.accessToken, bearer)
        .send({ token })
        .expect(400);
      expect(again.body.code).toBe('INVALID_TOKEN');
      const members = await t.http
        .get(`/v1/organizations/${orgId}/members`)
        .auth(invitee.accessToken, bearer)
        .expect(200);
      expect(members.body).toHaveLength(5);
    });

    it('re-inviting replaces the pending invitation; revoking kills it', async () => {
      const { orgId, owner } = await team();
      const email = uniqueEmail('twice');
      const send = () =>
        t.http
          .post(`/v1/organizations/${orgId}/invitations`)
          .auth(owner.accessToken, bearer)
          .send({ email, role: 'member' })
          .expect(201);
      await send();
      const firstToken = tokenFromLink(
        await t.mail.waitFor(email, /invited/),
        '/invitations/accept',
      );
      const second = await send();
      await t.settled();
      const secondToken = tokenFromLink(
        t.mail.to(email).filter((m) => /invited/.test(m.subject))[1],
        '/invitations/accept',
      );
      const pending = await t.http
        .get(`/v1/organizations/${orgId}/invitations`)
        .auth(owner.accessToken, bearer)
        .expect(200);
      expect(pending.body).toEqual([expect.objectContaining({ id: second.body.id })]);

      const invitee = await registerUser(t.http, { email });
      await t.http
        .post('/v1/invitations/accept')
        .auth(invitee.accessToken, bearer)
        .send({ token: firstToken })
        .expect(400);
      await t.http
        .delete(`/v1/organizations/${orgId}/invitations/${second.body.id}`)
        .auth(owner.accessToken, bearer)
        .expect(204);
      await t.http
        .post('/v1/invitations/accept')
        .auth(invitee.accessToken, bearer)
        .send({ token: secondToken })
        .expect(400);
    });

    it(`sends at most ${INVITATIONS_PER_HOUR} invitations per organization an hour, re-invitations included`, async () => {
      const { orgId, owner } = await team();
      const email = uniqueEmail('bombed');
      const invite = () =>
        t.http
          .post(`/v1/organizations/${orgId}/invitations`)
          .auth(owner.accessToken, bearer)
          .send({ email, role: 'member' });
      for (let i = 0; i < INVITATIONS_PER_HOUR; i++) await invite().expect(201);
      const refused = await invite().expect(429);
      expect(refused.body.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      const { orgId: otherOrg, owner: otherOwner } = await team();
      await t.http
        .post(`/v1/organizations/${otherOrg}/invitations`)
        .auth(otherOwner.accessToken, bearer)
        .send({ email, role: 'member' })
        .expect(201);
    });

    it('is for admins; owners alone invite owners; members cannot be invited twice', async () => {
      const { orgId, admin, member } = await team();
      const path = `/v1/organizations/${orgId}/invitations`;
      await t.http
        .post(path)
        .auth(member.accessToken, bearer)
        .send({ email: uniqueEmail(), role: 'member' })
        .expect(403);
      await t.http
        .post(path)
        .auth(admin.accessToken, bearer)
        .send({ email: uniqueEmail(), role: 'owner' })
        .expect(403);
      const existing = await t.http
        .post(path)
        .auth(admin.accessToken, bearer)
        .send({ email: member.email, role: 'admin' })
        .expect(409);
      expect(existing.body.code).toBe('CONFLICT');
      await t.http
        .post(path)
        .auth(admin.accessToken, bearer)
        .send({ email: 'not-an-email', role: 'member' })
        .expect(400);
      await t.http
        .post(path)
        .auth(admin.accessToken, bearer)
        .send({ email: uniqueEmail(), role: 'superuser' })
        .expect(400);
    });
  });
});
