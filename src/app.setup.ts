import type { IncomingMessage } from 'node:http';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import { Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ConfigType } from '@nestjs/config';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { answerFrameworkError } from './common/filters/problem-details.filter.js';
import { jsonBodyFault } from './common/http/json-body.js';
import { requestIdFor } from './common/http/request-id.js';
import { createValidationPipe } from './common/pipes/validation.pipe.js';
import { appConfig, trustedProxies } from './config/app.config.js';
import { MetricsService } from './metrics/metrics.service.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Builds the whole HTTP application; main.ts and the end-to-end tests boot the same thing.
 * `extraModules` lets a test mount a probe beside the real AppModule.
 */
export async function createApp(extraModules: Type[] = []): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // Read before Nest's config module exists: the adapter is made first.
    trustProxy: trustedProxies(),
    requestIdHeader: false,
    frameworkErrors: answerFrameworkError,
    genReqId: (request: IncomingMessage) => {
      const id = requestIdFor(request);
      // pino-http reads the raw request's id, so logs and responses carry the same one.
      (request as IncomingMessage & { id: string }).id = id;
      return id;
    },
  });
  const root = extraModules.length ? withModules(extraModules) : AppModule;
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    rawBody: true,
    bufferLogs: true,
    // Throw instead of exiting, so main.ts (and tests) decide what a failed boot means.
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  useCheckedJsonParser(app);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  await registerHttpPlumbing(app);
  setUpOpenApi(app);
  return app;
}

/** Fastify's own JSON parser (prototype-poisoning checks included) behind jsonBodyFault. */
function useCheckedJsonParser(app: NestFastifyApplication): void {
  const parse = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>(
    'application/json',
    { bodyLimit: BODY_LIMIT_BYTES },
    (request, body, done) => {
      const fault = jsonBodyFault(body);
      if (fault) {
        done(fault, undefined);
        return;
      }
      void parse(request, body.toString('utf8'), done);
    },
  );
}

async function registerHttpPlumbing(app: NestFastifyApplication): Promise<void> {
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(MetricsService);

  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('X-Request-Id', request.id);
    // PostgreSQL text cannot hold NUL: a %00 anywhere in a path or query fails in a query.
    if (request.url.includes('%00')) {
      answerFrameworkError({ statusCode: 400, code: 'ERR_URL_NUL' }, request, reply);
      return reply;
    }
  });
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpRequestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  // Parses Cookie and adds reply.setCookie; only the OAuth state binding uses cookies.
  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        imgSrc: [`'self'`, 'data:', 'validator.swagger.io'],
        // Swagger UI loads its scripts from /docs itself and runs none inline; its page does
        // carry inline <style> blocks, hence styleSrc's 'unsafe-inline' (styles cannot run code).
        scriptSrc: [`'self'`],
      },
    },
  });
  if (config.corsOrigins) {
    app.enableCors({
      origin: config.corsOrigins === '*' ? true : config.corsOrigins,
      exposedHeaders: ['X-Request-Id', 'Retry-After'],
      maxAge: 600,
    });
  }
}

function setUpOpenApi(app: NestFastifyApplication): void {
  const document = new DocumentBuilder()
    .setTitle('Subscription Service')
    .setDescription(
      'Accounts, organizations, Stripe billing, wallet and entitlements. Errors are RFC 9457 problem+json.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT or ssk_ API key' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'internal-api-key')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, document), {
    jsonDocumentUrl: 'docs-json',
  });
}

function withModules(extraModules: Type[]): Type {
  @Module({ imports: [AppModule, ...extraModules] })
  class RootModule {}
  return RootModule;
}
