import { registerAs } from '@nestjs/config';
import { parseEnvironment } from './environment.js';

export const authConfig = registerAs('auth', () => {
  const env = parseEnvironment(process.env);
  return {
    issuer: env.APP_URL.replace(/\/+$/, ''),
    audience: 'subscription-service',
    privateKeyPem: env.JWT_PRIVATE_KEY,
    publicKeyPem: env.JWT_PUBLIC_KEY,
    keyDir: `${env.DATA_DIR}/keys`,
    dataEncryptionKeys: env.DATA_ENCRYPTION_KEY?.split(','),
    accessTtlSeconds: env.JWT_ACCESS_TTL,
    refreshTtlSeconds: env.JWT_REFRESH_TTL,
    rateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
    rateLimitRedisUrl: env.RATE_LIMIT_REDIS_URL,
    loginMaxFailures: env.LOGIN_MAX_FAILURES,
  };
});
