import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { createSerializedPGliteDriver } from './pglite-serialized-pool.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export interface DatabaseTarget {
  /** PostgreSQL server; unset means the embedded PGlite database under `dataDir`. */
  url?: string;
  dataDir: string;
}

export const embeddedDatabaseDir = (dataDir: string): string => join(dataDir, 'pglite');

/** The options shared by the Nest app and the TypeORM CLI; one schema, two engines. */
export function baseDataSourceOptions(target: DatabaseTarget): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
  };
  if (target.url) {
    return { ...common, url: target.url, poolSize: 10, applicationName: 'subscription-service' };
  }
  return { ...common, driver: createSerializedPGliteDriver(embeddedDatabaseDir(target.dataDir)) };
}
