import { registerAs } from '@nestjs/config';
import { parseEnvironment } from './environment.js';

export const appConfig = registerAs('app', () => {
  const env = parseEnvironment(process.env);
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    appUrl: env.APP_URL.replace(/\/+$/, ''),
    logLevel: env.LOG_LEVEL,
    corsOrigins: parseOrigins(env.CORS_ORIGINS),
    dataDir: env.DATA_DIR,
  };
});

function parseOrigins(value: string | undefined): string[] | '*' | false {
  if (!value?.trim()) return false;
  if (value.trim() === '*') return '*';
  return value
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}

/**
 * TRUST_PROXY as Fastify takes it: false, the proxies' addresses/CIDRs, or a hop count (the
 * `n` nearest hops are proxies, as Fastify's own numeric setting, which its types omit).
 */
export function trustedProxies(): boolean | string[] | ((address: string, hop: number) => boolean) {
  const value = parseEnvironment(process.env).TRUST_PROXY;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value.split(',').map((address) => address.trim());
}
