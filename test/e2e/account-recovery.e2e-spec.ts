import { DataSource } from 'typeorm';
import { MailOutboxProcessor } from '../../src/modules/mail/mail-outbox.processor.js';
import { registerUser, uniqueEmail } from '../factories/user.factory.js';
import { tokenFromLink } from '../support/smtp-capture.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('Email verification, password reset and the mail outbox (e2e)', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const outboxRows = (recipient: string) =>
    db.query<
      {
        template: string;
        status: string;
        attempts: number;
        last_error: string | null;
        html: string | null;
      }[]
    >(
      'SELECT template, status, attempts, last_error, html FROM mail_outbox WHERE recipient = $1 ORDER BY created_at',
      [recipient],
    );

  describe('email verification', () => {
    it('registration mails a link whose token verifies the address once, then a welcome mail', async () => {
      const user = await registerUser(t.http, { fullName: 'Grace Hopper' });
      const mail = await t.mail.waitFor(user.email, /Confirm your email/);
      expect(mail.text).toContain('Hi Grace Hopper');
      expect(mail.html).toContain('Confirm my email');
      const token = tokenFromLink(mail, '/verify-email');

      const verified = await t.http.post('/v1/auth/verify-email').send({ token }).expect(200);
      expect(verified.body.user).toMatchObject({ id: user.userId, emailVerified: true });
      await t.mail.waitFor(user.email, /Welcome aboard, Grace Hopper/);

      const again = await t.http.post('/v1/auth/verify-email').send({ token }).expect(400);
      expect(again.body.code).toBe('INVALID_TOKEN');
    });

    it('accepts one of several concurrent uses of a token', async () => {
      const user = await registerUser(t.http);
      const token = tokenFromLink(await t.mail.waitFor(user.email, /Confirm/), '/verify-email');
      const results = await Promise.all(
        Array.from({ length: 5 }, () => t.http.post('/v1/auth/verify-email').send({ token })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400]);
      await t.settled();
      expect(t.mail.to(user.email).filter((m) => /Welcome/.test(m.subject))).toHaveLength(1);
    });

    it('refuses an expired token', async () => {
      const user = await registerUser(t.http);
      const token = tokenFromLink(await t.mail.waitFor(user.email, /Confirm/), '/verify-email');
      await db.query(
        `UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
        [user.userId],
      );
      const response = await t.http.post('/v1/auth/verify-email').send({ token }).expect(400);
      expect(response.body.code).toBe('INVALID_TOKEN');
      const me = await t.http
        .get('/v1/auth/me')
        .auth(user.accessToken, { type: 'bearer' })
        .expect(200);
      expect(me.body.user.emailVerified).toBe(false);
    });

    it('stores tokens only as hashes', async () => {
      const user = await registerUser(t.http);
      const token = tokenFromLink(await t.mail.waitFor(user.email, /Confirm/), '/verify-email');
      const stored = await db.query<{ token_hash: string }[]>(
        'SELECT token_hash FROM user_tokens WHERE user_id = $1',
        [user.userId],
      );
      expect(stored).toHaveLength(1);
      expect(stored[0].token_hash).not.toContain(token);
      expect(stored[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('resend-verification answers 202 for an unknown email and sends nothing', async () => {
      const nobody = uniqueEmail('nobody');
      await t.http.post('/v1/auth/resend-verification').send({ email: nobody }).expect(202);
      await t.settled();
      expect(await outboxRows(nobody)).toEqual([]);
      expect(t.mail.to(nobody)).toEqual([]);
    });

    it('resend-verification mails a new link and retires the old one', async () => {
      const user = await registerUser(t.http);
      const first = tokenFromLink(await t.mail.waitFor(user.email, /Confirm/), '/verify-email');
      await t.http
        .post('/v1/auth/resend-verification')
        .send({ email: user.email.toUpperCase() })
        .expect(202);
      await t.settled();
      const mails = t.mail.to(user.email).filter((m) => /Confirm/.test(m.subject));
      expect(mails).toHaveLength(2);
      const second = tokenFromLink(mails[1], '/verify-email');
      await t.http.post('/v1/auth/verify-email').send({ token: first }).expect(400);
      await t.http.post('/v1/auth/verify-email').send({ token: second }).expect(200);
    });

    it('rejects a malformed body with 400 naming the field', async () => {
      const response = await t.http
        .post('/v1/auth/resend-verification')
        .send({ email: 'nope' })
        .expect(400);
      expect(response.body.errors[0].field).toBe('email');
    });
  });

  describe('password reset', () => {
    it('forgot-password answers 202 for an unknown email and sends nothing', async () => {
      const nobody = uniqueEmail('ghost');
      await t.http.post('/v1/auth/forgot-password').send({ email: nobody }).expect(202);
      await t.settled();
      expect(await outboxRows(nobody)).toEqual([]);
    });

    it('resets the password once, signs every session out and sends the notice', async () => {
      const user = await registerUser(t.http);
      await t.http.post('/v1/auth/forgot-password').send({ email: user.email }).expect(202);
      const mail = await t.mail.waitFor(user.email, /Reset your password/);
      const token = tokenFromLink(mail, '/reset-password');

      await t.http
        .post('/v1/auth/reset-password')
        .send({ token, password: 'a brand new passphrase' })
        .expect(204);
      await t.mail.waitFor(user.email, /password was changed/);

      const revoked = await t.http
        .post('/v1/auth/refresh')
        .send({ refreshToken: user.refreshToken })
        .expect(401);
      expect(revoked.body.code).toBe('UNAUTHENTICATED');
      await t.http
        .post('/v1/auth/login')
        .send({ email: user.email, password: user.password })
        .expect(401);
      await t.http
        .post('/v1/auth/login')
        .send({ email: user.email, password: 'a brand new passphrase' })
        .expect(200);

      const reuse = await t.http
        .post('/v1/auth/reset-password')
        .send({ token, password: 'yet another passphrase' })
        .expect(400);
      expect(reuse.body.code).toBe('INVALID_TOKEN');
    });

    it('refuses an expired reset token', async () => {
      const user = await registerUser(t.http);
      await t.http.post('/v1/auth/forgot-password').send({ email: user.email }).expect(202);
      const token = tokenFromLink(await t.mail.waitFor(user.email, /Reset/), '/reset-password');
      await db.query(
        `UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND purpose = 'reset_password'`,
        [user.userId],
      );
      const response = await t.http
        .post('/v1/auth/reset-password')
        .send({ token, password: 'fresh passphrase 1' })
        .expect(400);
      expect(response.body.code).toBe('INVALID_TOKEN');
    });

    it('refuses a commonly breached password without using the token', async () => {
      const user = await registerUser(t.http);
      await t.http.post('/v1/auth/forgot-password').send({ email: user.email }).expect(202);
      const token = tokenFromLink(await t.mail.waitFor(user.email, /Reset/), '/reset-password');
      const weak = await t.http
        .post('/v1/auth/reset-password')
        .send({ token, password: 'password123' })
        .expect(400);
      expect(weak.body.code).toBe('WEAK_PASSWORD');
      await t.http
        .post('/v1/auth/reset-password')
        .send({ token, password: 'a fine new passphrase' })
        .expect(204);
    });

    it('refuses commonly breached passwords at registration too', async () => {
      const email = uniqueEmail();
      const response = await t.http
        .post('/v1/auth/register')
        .send({ email, password: 'Qwertyuiop' })
        .expect(400);
      expect(response.body).toMatchObject({
        code: 'WEAK_PASSWORD',
        errors: [{ field: 'password' }],
      });
      expect(await db.query('SELECT id FROM users WHERE email = $1', [email])).toEqual([]);
    });
  });

  describe('login history', () => {
    it('records every attempt with its reason, ip and user agent, newest first, paged', async () => {
      const user = await registerUser(t.http);
      await t.http
        .post('/v1/auth/login')
        .set('User-Agent', 'history-test/1')
        .send({ email: user.email, password: 'wrong one!' })
        .expect(401);
      await t.http
        .post('/v1/auth/login')
        .set('User-Agent', 'history-test/2')
        .send({ email: user.email, password: user.password })
        .expect(200);

      const page = await t.http
        .get('/v1/users/me/login-history?perPage=1')
        .auth(user.accessToken, { type: 'bearer' })
        .expect(200);
      expect(page.body.meta).toEqual({ page: 1, perPage: 1, total: 2 });
      expect(page.body.data[0]).toMatchObject({
        success: true,
        reason: 'success',
        userAgent: 'history-test/2',
        method: 'password',
      });
      expect(page.body.data[0].ip).toMatch(/127\.0\.0\.1/);

      const second = await t.http
        .get('/v1/users/me/login-history?page=2&perPage=1')
        .auth(user.accessToken, { type: 'bearer' })
        .expect(200);
      expect(second.body.data[0]).toMatchObject({
        success: false,
        reason: 'invalid_credentials',
        userAgent: 'history-test/1',
      });
    });

    it('shows a user only their own history', async () => {
      const alice = await registerUser(t.http);
      const bob = await registerUser(t.http);
      await t.http
        .post('/v1/auth/login')
        .send({ email: bob.email, password: bob.password })
        .expect(200);
      const page = await t.http
        .get('/v1/users/me/login-history')
        .auth(alice.accessToken, { type: 'bearer' })
        .expect(200);
      expect(page.body.meta.total).toBe(0);
    });

    it.each([
      ['perPage=101', 'perPage'],
      ['page=0', 'page'],
      ['page=abc', 'page'],
      ['page=99999999999999999999', 'page'],
    ])('rejects %s naming %s', async (query, field) => {
      const user = await registerUser(t.http);
      const response = await t.http
        .get(`/v1/users/me/login-history?${query}`)
        .auth(user.accessToken, { type: 'bearer' })
        .expect(400);
      expect(response.body.errors[0].field).toBe(field);
    });
  });

  describe('the outbox', () => {
    it('keeps a message while the SMTP server is down and sends it once it is back', async () => {
      const user = await registerUser(t.http);
      await t.mail.waitFor(user.email, /Confirm/);
      await t.mail.stop();

      await t.http.post('/v1/auth/forgot-password').send({ email: user.email }).expect(202);
      await t.settled();
      const [, failed] = await outboxRows(user.email);
      expect(failed).toMatchObject({ template: 'password-reset', status: 'pending', attempts: 1 });
      expect(failed.last_error).toBeTruthy();

      await t.mail.start();
      // Make the retry due now instead of waiting out the backoff.
      await db.query(
        `UPDATE mail_outbox SET next_attempt_at = now() WHERE recipient = $1 AND status = 'pending'`,
        [user.email],
      );
      expect(await t.app.get(MailOutboxProcessor).sendDue()).toBeGreaterThanOrEqual(1);
      await t.mail.waitFor(user.email, /Reset your password/);
      const [, sent] = await outboxRows(user.email);
      expect(sent).toMatchObject({ status: 'sent', attempts: 2, html: null });
    });
  });
});
