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
