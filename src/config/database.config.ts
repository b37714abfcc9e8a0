import { registerAs } from '@nestjs/config';
import { parseEnvironment } from './environment.js';

export const databaseConfig = registerAs('database', () => {
  const env = parseEnvironment(process.env);
  return {
    url: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    runMigrations: env.RUN_MIGRATIONS,
  };
});
