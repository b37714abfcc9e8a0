import { existsSync } from 'node:fs';
import { type Environment, InvalidEnvironmentError, parseEnvironment } from './environment.js';

/**
 * Reads `.env` from the working directory when there is one (variables already set win), then
 * validates. On a bad value it prints one line per variable and exits: a process that cannot
 * be configured correctly must not start half-configured.
 */
export function loadEnvironmentOrExit(): Environment {
  if (existsSync('.env') && process.env.NODE_ENV !== 'test') process.loadEnvFile('.env');
  try {
    return parseEnvironment(process.env);
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
