/**
 * The TypeORM CLI's data source (npm run migration:*). It runs on the compiled output, so the
 * entity and migration globs point at `dist/`; the options are the app's own.
 */
import 'reflect-metadata';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { loadEnvironmentOrExit } from '../config/load-environment.js';
import { baseDataSourceOptions, embeddedDatabaseDir } from './data-source-options.js';
import { lockDataDir } from './data-dir-lock.js';
import { migrationsDirectory } from './migrations-loader.js';

const here = dirname(fileURLToPath(import.meta.url));
const env = loadEnvironmentOrExit();
// The CLI must not open embedded data that a running app holds.
if (!env.DATABASE_URL) await lockDataDir(embeddedDatabaseDir(env.DATA_DIR));

export default new DataSource({
  ...baseDataSourceOptions({ url: env.DATABASE_URL, dataDir: env.DATA_DIR }),
  entities: [
    join(here, '..', 'modules', '*', 'entities', '*.entity.js'),
    join(here, '..', 'common', '*', '*.entity.js'),
  ],
  migrations: [join(migrationsDirectory, '*.js')],
});
