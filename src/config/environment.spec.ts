import { InvalidEnvironmentError, parseEnvironment } from './environment.js';

describe('parseEnvironment', () => {
  it('applies the contract defaults to an empty environment', () => {
    const sut = parseEnvironment({});
    expect(sut).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      APP_URL: 'http://localhost:3000',
      DATA_DIR: './data',
      RUN_MIGRATIONS: true,
      JWT_ACCESS_TTL: 900,
      JWT_REFRESH_TTL: 2592000,
      ADMIN_MAINTENANCE_MODE: false,
      STRIPE_API_BASE: 'https://api.stripe.com',
      GRACE_PERIOD_DAYS: 7,
      INTENT_TTL_MINUTES: 60,
      ENTITLEMENT_CACHE_TTL_SECONDS: 600,
      AUTH_RATE_LIMIT_PER_MINUTE: 30,
      LOGIN_MAX_FAILURES: 5,
      JOBS_ENABLED: true,
      LOG_LEVEL: 'info',
    });
    expect(sut.DATABASE_URL).toBeUndefined();
  });

  it('converts numbers and booleans from their string form', () => {
    const sut = parseEnvironment({ PORT: '8080', RUN_MIGRATIONS: 'false', JOBS_ENABLED: '0' });
    expect(sut).toMatchObject({ PORT: 8080, RUN_MIGRATIONS: false, JOBS_ENABLED: false });
  });

  it('treats empty values as unset', () => {
    expect(parseEnvironment({ PORT: '', DATABASE_URL: '' })).toMatchObject({
      PORT: 3000,
      DATABASE_URL: undefined,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['RUN_MIGRATIONS', 'maybe'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['INTENT_TTL_MINUTES', '0'],
    ['LOG_LEVEL', 'loud'],
    ['APP_URL', 'not a url'],
    ['JWT_PRIVATE_KEY', 'not a pem'],
  ])('rejects %s=%s with a line that names the variable', (name, value) => {
    const attempt = () => parseEnvironment({ [name]: value });
    expect(attempt).toThrow(InvalidEnvironmentError);
    expect(attempt).toThrow(new RegExp(`^Invalid configuration: ${name} `));
  });

  it('reports every bad variable, one line each, without echoing values', () => {
    try {
      parseEnvironment({ PORT: 'abc', LOG_LEVEL: 'loud', INTERNAL_API_KEY: 'short' });
      throw new Error('expected a failure');
    } catch (error) {
      const lines = (error as Error).message.split('\n');
      expect(lines).toHaveLength(3);
      expect(lines.map((line) => line.split(' ')[2]).sort()).toEqual([
        'INTERNAL_API_KEY',
        'LOG_LEVEL',
        'PORT',
      ]);
      expect((error as Error).message).not.toContain('short');
    }
  });
});
