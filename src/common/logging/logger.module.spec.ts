import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACTED_PATHS, redactUrl } from './logger.module.js';

describe('REDACTED_PATHS', () => {
  const capture = () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    return {
      lines,
      logger: pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream),
    };
  };

  it('blanks credentials in request headers', () => {
    const { lines, logger } = capture();
    logger.info({
      req: {
        headers: {
          authorization: 'Bearer eyJ.secret',
          'x-api-key': 'internal-secret',
          'stripe-signature': 't=1,v1=abc',
          cookie: 'session=1',
          'user-agent': 'curl',
        },
      },
    });
    const line = lines.join('');
    expect(line).not.toMatch(/eyJ\.secret|internal-secret|v1=abc|session=1/);
    expect(line).toContain('curl');
  });

  it('blanks passwords and tokens wherever they are logged', () => {
    const { lines, logger } = capture();
    logger.info({
      body: { email: 'a@b.co', password: 'hunter2hunter2', refreshToken: 'rt-secret' },
    });
    const line = lines.join('');
    expect(line).not.toMatch(/hunter2|rt-secret/);
    expect(line).toContain('a@b.co');
  });
});

describe('redactUrl', () => {
  it('blanks OAuth codes, states and mailed tokens in a logged URL and keeps the rest', () => {
    const logged = redactUrl(
      '/v1/auth/oauth/google/callback?code=4%2F0Secret&state=st-secret&scope=email&authuser=0',
    );
    expect(logged).not.toMatch(/Secret|st-secret/);
    expect(logged).toBe(
      '/v1/auth/oauth/google/callback?code=REDACTED&state=REDACTED&scope=email&authuser=0',
    );
    expect(redactUrl('/v1/auth/verify-email?token=abc')).toBe(
      '/v1/auth/verify-email?token=REDACTED',
    );
    expect(redactUrl('/health')).toBe('/health');
  });
});
