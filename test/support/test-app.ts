import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import passport from 'passport';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../../src/app.setup.js';
import { BackgroundWork } from '../../src/common/background-work.js';
import { MailOutboxProcessor } from '../../src/modules/mail/mail-outbox.processor.js';
import { SmtpCapture } from './smtp-capture.js';
import { createTestDatabase } from './test-database.js';

interface PassportInternals {
  _strategies: Record<string, unknown>;
}

export interface TestApp {
  app: NestFastifyApplication;
  /** supertest against the app's real HTTP server. */
  http: TestAgent;
  /** The environment that points an app at this app's database (see `replicaOf`). */
  databaseEnv: Record<string, string>;
  /** Every mail the app sends, received by a real SMTP listener. */
  mail: SmtpCapture;
  /** Resolves once background work and the mail sender have nothing left in progress. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Boots the real AppModule over HTTP on a database of its own, or, given `replicaOf`, as a
 * second replica on that app's database (PostgreSQL only: the embedded one admits one process).
 * `env` overrides configuration for this app (set before the app reads it); everything is
 * restored on close. `databaseVia` sends the app's PostgreSQL connections through a local port
 * (a TcpProxy) instead.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  extraModules: Type[] = [],
  options: { replicaOf?: TestApp; databaseVia?: { port: number } } = {},
): Promise<TestApp> {
  // Passport keeps strategies process-wide: a second app's replace the first's, and would
  // answer for it with a closed database once the second app is gone. Real replicas are
  // separate processes; here the first app's strategies are put back on close.
  const strategies = { ...(passport as unknown as PassportInternals)._strategies };
  const database = options.replicaOf
    ? { env: options.replicaOf.databaseEnv, drop: () => Promise.resolve() }
    : await createTestDatabase();
  const mail = await new SmtpCapture().start();
  const saved = { ...process.env };
  Object.assign(process.env, database.env, { SMTP_URL: mail.url }, env);
  if (options.databaseVia && process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.host = `127.0.0.1:${options.databaseVia.port}`;
    process.env.DATABASE_URL = url.toString();
  }
  const app = await createApp(extraModules);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    http: request(app.getHttpServer()),
    databaseEnv: database.env,
    mail,
    settled: async () => {
      await app.get(BackgroundWork).drained();
      await app.get(MailOutboxProcessor).idle();
    },
    close: async () => {
      await app.close();
      if (options.replicaOf)
        Object.assign((passport as unknown as PassportInternals)._strategies, strategies);
      await mail.stop();
      process.env = saved;
      await database.drop();
    },
  };
}
