import { Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { appConfig } from './app.config.js';
import { authConfig } from './auth.config.js';
import { billingConfig } from './billing.config.js';
import { databaseConfig } from './database.config.js';
import { mailConfig } from './mail.config.js';
import { oauthConfig } from './oauth.config.js';
import { operationsConfig } from './operations.config.js';
import { parseEnvironment } from './environment.js';

/**
 * Validates the environment against the contract and exposes it as typed namespaces.
 * `.env` is read by main.ts and the CLI data source before anything starts (load-environment.ts).
 */
@Module({
  imports: [
    NestConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      ignoreEnvFile: true,
      load: [
        appConfig,
        authConfig,
        billingConfig,
        databaseConfig,
        mailConfig,
        oauthConfig,
        operationsConfig,
      ],
      validate: (raw) => {
        parseEnvironment(raw);
        return raw;
      },
    }),
  ],
})
export class ConfigModule {}
