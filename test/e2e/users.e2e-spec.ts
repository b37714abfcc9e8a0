import { DataSource } from 'typeorm';
import { registerAdmin } from '../factories/admin.factory.js';
import { insertSubscription } from '../factories/subscription.factory.js';
import { registerUser, uniqueEmail, type RegisteredUser } from '../factories/user.factory.js';
import { tokenFromLink } from '../support/smtp-capture.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const bearer = { type: 'bearer' as const };

describe('Users (e2e)', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  describe('GET/PATCH /v1/users/me', () => {
    it('returns and updates the profile', async () => {
      const user = await registerUser(t.http);
      const me = await t.http.get('/v1/users/me').auth(user.accessToken, bearer).expect(200);
      expect(me.body).toMatchObject({ id: user.userId, email: user.email });
      const updated = await t.http
        .patch('/v1/users/me')
        .auth(user.accessToken, bearer)
        .send({
          username: `u_${Date.now() % 1e9}`,
          fullName: 'Ada L.',
          bio: 'Analyst',
          avatarUrl: 'https://img.example/a.png',
        })
        .expect(200);
      expect(updated.body).toMatchObject({
        fullName: 'Ada L.',
        bio: 'Analyst',
        avatarUrl: 'https://img.example/a.png',
      });
      const cleared = await t.http
        .patch('/v1/users/me')
        .auth(user.accessToken, bearer)
        .send({ bio: null })
        .expect(200);
      expect(cleared.body).toMatchObject({ bio: null, fullName: 'Ada L.' });
    });

    it.each([
      [{ username: 'ab' }, 'username'],
      [{ username: 'has space' }, 'username'],
      [{ fullName: '' }, 'fullName'],
      [{ bio: 'x'.repeat(501) }, 'bio'],
      [{ avatarUrl: 'ftp://files.example/a.png' }, 'avatarUrl'],
      [{ avatarUrl: 'javascript:alert(1)' }, 'avatarUrl'],
      [{ email: 'sneaky@example.com' }, 'email'],
      [{ role: 'admin' }, 'role'],
    ])('rejects %j naming %s', async (body, field) => {
      const user = await registerUser(t.http);
      const response = await t.http
        .patch('/v1/users/me')
        .auth(user.accessToken, bearer)
        .send(body)
        .expect(400);
      expect((response.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
      const me = await t.http.get('/v1/users/me').auth(user.accessToken, bearer).expect(200);
      expect(me.body.role).toBe('user');
    });

    it('answers 409 USERNAME_TAKEN for a username taken in another case', async () => {
      const name = `Taken_${Date.now() % 1e9}`;
      await registerUser(t.http, { username: name });
      const user = await registerUser(t.http);
      const response = await t.http
        .patch('/v1/users/me')
        .auth(user.accessToken, bearer)
        .send({ username: name.toLowerCase() })
        .expect(409);
      expect(response.body.code).toBe('USERNAME_TAKEN');
    });
  });

  describe('preferences', () => {
    it('starts empty and is replaced whole by PUT', async () => {
      const user = await registerUser(t.http);
      await t.http.get('/v1/users/me/preferences').auth(user.accessToken, bearer).expect(200, {});
      await t.http
        .put('/v1/users/me/preferences')
        .auth(user.accessToken, bearer)
        .send({ theme: 'dark', tz: 'UTC' })
        .expect(200);
      await t.http
        .put('/v1/users/me/preferences')
        .auth(user.accessToken, bearer)
        .send({ theme: 'light' })
        .expect(200);
      await t.http
        .get('/v1/users/me/preferences')
        .auth(user.accessToken, bearer)
        .expect(200, { theme: 'light' });
    });

    it('refuses anything but an object, and objects over 16 KiB', async () => {
      const user = await registerUser(t.http);
      await t.http
        .put('/v1/users/me/preferences')
        .auth(user.accessToken, bearer)
        .send([1, 2])
        .expect(400);
      const tooBig = await t.http
        .put('/v1/users/me/preferences')
        .auth(user.accessToken, bearer)
        .send({ blob: 'x'.repeat(16 * 1024) })
        .expect(413);
      expect(tooBig.body.code).toBe('PAYLOAD_TOO_LARGE');
      await t.http.get('/v1/users/me/preferences').auth(user.accessToken, bearer).expect(200, {});
    });
  });

  describe('PUT /v1/users/me/email', () => {
    it('needs the password, refuses a taken address, and moves to an unverified new one', async () => {
      const user = await registerUser(t.http);
      const other = await registerUser(t.http);
      const newEmail = uniqueEmail('moved');
      await t.http
        .put('/v1/users/me/email')
        .auth(user.accessToken, bearer)
        .send({ newEmail, password: 'wrong pass' })
        .expect(401);
      const taken = await t.http
        .put('/v1/users/me/email')
        .auth(user.accessToken, bearer)
        .send({ newEmail: other.email, password: user.password })
        .expect(409);
      expect(taken.body.code).toBe('EMAIL_TAKEN');

      const moved = await t.http
        .put('/v1/users/me/email')
        .auth(user.accessToken, bearer)
        .send({ newEmail, password: user.password })
        .expect(200);
      expect(moved.body).toMatchObject({ email: newEmail, emailVerified: false });
      const notice = await t.mail.waitFor(user.email, /email address was changed/);
      expect(notice.text).toContain(newEmail);
      const token = tokenFromLink(await t.mail.waitFor(newEmail, /Confirm/), '/verify-email');
      await t.http.post('/v1/auth/verify-email').send({ token }).expect(200);
      await t.http
        .post('/v1/auth/login')
        .send({ email: newEmail, password: user.password })
        .expect(200);
    });
  });

  describe('PUT /v1/users/me/password', () => {
    it('checks the current password, keeps this session and ends the others', async () => {
      const user = await registerUser(t.http);
      const other = await t.http
        .post('/v1/auth/login')
        .send({ email: user.email, password: user.password })
        .expect(200);
      const body = { currentPassword: user.password, newPassword: 'a completely new passphrase' };
      await t.http
        .put('/v1/users/me/password')
        .auth(user.accessToken, bearer)
        .send({ ...body, currentPassword: 'nope nope' })
        .expect(401);
      const weak = await t.http
        .put('/v1/users/me/password')
        .auth(user.accessToken, bearer)
        .send({ ...body, newPassword: 'password123' })
        .expect(400);
      expect(weak.body.code).toBe('WEAK_PASSWORD');

      await t.http
        .put('/v1/users/me/password')
        .auth(user.accessToken, bearer)
        .send(body)
        .expect(204);
      await t.http
        .post('/v1/auth/refresh')
        .send({ refreshToken: other.body.tokens.refreshToken })
        .expect(401);
      await t.http.post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
      await t.mail.waitFor(user.email, /password was changed/);
      await t.http
        .post('/v1/auth/login')
        .send({ email: user.email, password: body.newPassword })
        .expect(200);
    });
  });

  describe('DELETE /v1/users/me', () => {
    it('refuses the last owner of an organization that has other members', async () => {
      const owner = await registerUser(t.http);
      const member = await registerUser(t.http);
      await db.query(
        `INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, 'member')`,
        [owner.organizationId, member.userId],
      );
      const response = await t.http
        .delete('/v1/users/me')
        .auth(owner.accessToken, bearer)
        .send({ password: owner.password })
        .expect(409);
      expect(response.body.code).toBe('LAST_OWNER');
      await t.http.get('/v1/users/me').auth(owner.accessToken, bearer).expect(200);
    });

    it('refuses the last owner of an organization with a live subscription, even alone in it', async () => {
      const owner = await registerUser(t.http);
      await insertSubscription(db, owner.organizationId);
      const response = await t.http
        .delete('/v1/users/me')
        .auth(owner.accessToken, bearer)
        .send({ password: owner.password })
        .expect(409);
      expect(response.body).toMatchObject({
        code: 'LAST_OWNER',
        detail: expect.stringContaining('a live subscription'),
      });
      await t.http.get('/v1/users/me').auth(owner.accessToken, bearer).expect(200);
    });

    it('removes the account: no login, no token, data anonymised, the email free again', async () => {
      const user = await registerUser(t.http, { fullName: 'Leaving Soon' });
      await t.http
        .delete('/v1/users/me')
        .auth(user.accessToken, bearer)
        .send({ password: 'wrong password' })
        .expect(401);
      await t.http
        .delete('/v1/users/me')
        .auth(user.accessToken, bearer)
        .send({ password: user.password })
        .expect(204);

      await t.mail.waitFor(user.email, /account was deleted/);
      await t.http.get('/v1/users/me').auth(user.accessToken, bearer).expect(401);
      await t.http.post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
      await t.http
        .post('/v1/auth/login')
        .send({ email: user.email, password: user.password })
        .expect(401);
      const [row] = await db.query<
        { email: string; full_name: string | null; password_hash: string | null }[]
      >('SELECT email, full_name, password_hash FROM users WHERE id = $1', [user.userId]);
      expect(row).toEqual({
        email: expect.stringMatching(/@deleted\.invalid$/),
        full_name: null,
        password_hash: null,
      });
      const [org] = await db.query<{ deleted_at: Date | null }[]>(
        'SELECT deleted_at FROM organizations WHERE id = $1',
        [user.organizationId],
      );
      expect(org.deleted_at).not.toBeNull();
      await registerUser(t.http, { email: user.email });
    });
  });

  describe('platform administration', () => {
    let admin: RegisteredUser;

    beforeAll(async () => {
      admin = await registerAdmin(t.http, db);
    });

    it('GET /v1/users is for platform admins only', async () => {
      const user = await registerUser(t.http);
      const response = await t.http.get('/v1/users').auth(user.accessToken, bearer).expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
    });

    it('searches by email, username or name, filters by role and status, and pages', async () => {
      const marker = `zq${Date.now() % 1e9}`;
      const a = await registerUser(t.http, { fullName: `Alpha ${marker}` });
      await registerUser(t.http, { username: `${marker}_b` });
      const found = await t.http
        .get('/v1/users')
        .query({ search: marker })
        .auth(admin.accessToken, bearer)
        .expect(200);
      expect(found.body.meta.total).toBe(2);
      const paged = await t.http
        .get('/v1/users')
        .query({ search: marker, perPage: 1, page: 2 })
        .auth(admin.accessToken, bearer)
        .expect(200);
      expect(paged.body.data).toHaveLength(1);
      expect(paged.body.data[0].id).toBe(a.userId);
      const admins = await t.http
        .get('/v1/users')
        .query({ role: 'admin', perPage: 100 })
        .auth(admin.accessToken, bearer)
        .expect(200);
      expect((admins.body.data as { id: string }[]).map((u) => u.id)).toContain(admin.userId);
      expect((admins.body.data as { role: string }[]).every((u) => u.role === 'admin')).toBe(true);
      await t.http
        .get('/v1/users')
        .query({ status: 'gone' })
        .auth(admin.accessToken, bearer)
        .expect(400);
      const wildcard = await t.http
        .get('/v1/users')
        .query({ search: '%' })
        .auth(admin.accessToken, bearer)
        .expect(200);
      expect(wildcard.body.meta.total).toBe(0);
    });

    it('changes a role, audited with from/to and notified; not their own', async () => {
      const user = await registerUser(t.http);
      const response = await t.http
        .patch(`/v1/users/${user.userId}/role`)
        .auth(admin.accessToken, bearer)
        .send({ role: 'admin' })
        .expect(200);
      expect(response.body.role).toBe('admin');
      const [audit] = await db.query<{ changes: object; actor_id: string }[]>(
        `SELECT changes, actor_id FROM audit_logs WHERE entity_id = $1 AND action = 'UPDATE'`,
        [user.userId],
      );
      expect(audit).toEqual({
        changes: { role: { from: 'user', to: 'admin' } },
        actor_id: admin.userId,
      });
      await t.mail.waitFor(user.email, /role changed to admin/);
      const self = await t.http
        .patch(`/v1/users/${admin.userId}/role`)
        .auth(admin.accessToken, bearer)
        .send({ role: 'user' })
        .expect(403);
      expect(self.body.code).toBe('FORBIDDEN');
    });

    it('suspends with a reason, ending sessions at once, and reactivates', async () => {
      const user = await registerUser(t.http);
      const path = `/v1/users/${user.userId}/status`;
      const noReason = await t.http
        .patch(path)
        .auth(admin.accessToken, bearer)
        .send({ status: 'suspended' })
        .expect(400);
      expect(noReason.body.errors[0].field).toBe('reason');

      await t.http
        .patch(path)
        .auth(admin.accessToken, bearer)
        .send({ status: 'suspended', reason: 'Chargeback fraud' })
        .expect(200);
      const refused = await t.http.get('/v1/users/me').auth(user.accessToken, bearer).expect(403);
      expect(refused.body.code).toBe('ACCOUNT_SUSPENDED');
      const suspendedMail = await t.mail.waitFor(user.email, /suspended/);
      expect(suspendedMail.text).toContain('Chargeback fraud');
      await t.settled();
      const live = await db.query(
        'SELECT id FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL',
        [user.userId],
      );
      expect(live).toEqual([]);

      await t.http
        .patch(path)
        .auth(admin.accessToken, bearer)
        .send({ status: 'active' })
        .expect(200);
      await t.mail.waitFor(user.email, /active again/);
      await t.http
        .post('/v1/auth/login')
        .send({ email: user.email, password: user.password })
        .expect(200);
      const actions = await db.query<{ action: string }[]>(
        `SELECT action FROM audit_logs WHERE entity_id = $1 AND entity_type = 'USER' ORDER BY created_at`,
        [user.userId],
      );
      expect(actions.map((a) => a.action)).toEqual(['CREATE', 'SUSPEND', 'REACTIVATE']);
    });

    it('cannot suspend themself, and 404s for unknown users', async () => {
      await t.http
        .patch(`/v1/users/${admin.userId}/status`)
        .auth(admin.accessToken, bearer)
        .send({ status: 'suspended', reason: 'oops' })
        .expect(403);
      await t.http
        .patch('/v1/users/00000000-0000-4000-8000-000000000000/role')
        .auth(admin.accessToken, bearer)
        .send({ role: 'admin' })
        .expect(404);
      await t.http
        .patch('/v1/users/not-a-uuid/role')
        .auth(admin.accessToken, bearer)
        .send({ role: 'admin' })
        .expect(400);
    });
  });
});
