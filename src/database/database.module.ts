import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseConfig } from '../config/database.config.js';
import { baseDataSourceOptions, embeddedDatabaseDir } from './data-source-options.js';
import { DatabaseNotifications } from './database-notifications.js';
import { EmbeddedDatabaseLock } from './embedded-database.lock.js';
import { loadMigrations } from './migrations-loader.js';
import { TransactionRunner } from './transaction.runner.js';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY, EmbeddedDatabaseLock],
      extraProviders: [EmbeddedDatabaseLock],
      useFactory: async (config: ConfigType<typeof databaseConfig>, lock: EmbeddedDatabaseLock) => {
        if (!config.url) await lock.acquire(embeddedDatabaseDir(config.dataDir));
        return {
          ...baseDataSourceOptions({ url: config.url, dataDir: config.dataDir }),
          autoLoadEntities: true,
          migrations: await loadMigrations(),
          migrationsRun: config.runMigrations,
          migrationsTransactionMode: 'each' as const,
          retryAttempts: config.url ? 3 : 0,
        };
      },
    }),
  ],
  providers: [TransactionRunner, DatabaseNotifications],
  exports: [TransactionRunner, DatabaseNotifications],
})
export class DatabaseModule {}
