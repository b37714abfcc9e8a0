import type { IncomingMessage } from 'node:http';
import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import { appConfig } from '../../config/app.config.js';

/** Paths pino blanks out: credentials in headers, and secrets wherever they appear in a log object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["stripe-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.refreshToken',
  '*.accessToken',
  '*.token',
  '*.secret',
  '*.key',
];

/** Query parameters that carry a credential (OAuth callbacks, mailed links): never logged. */
const SECRET_QUERY_PARAMS = ['code', 'state', 'token', 'access_token', 'refresh_token'];

/** The request URL as logged: the values of secret query parameters replaced by `REDACTED`. */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return url;
  const query = new URLSearchParams(url.slice(queryAt + 1));
  for (const name of SECRET_QUERY_PARAMS) if (query.has(name)) query.set(name, 'REDACTED');
  return `${url.slice(0, queryAt)}?${query.toString()}`;
}

@Module({
  imports: [
    PinoLoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: ConfigType<typeof appConfig>) => ({
        pinoHttp: {
          level: config.logLevel,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          // Fastify assigned the id (echoing X-Request-Id); log lines carry the same one.
          genReqId: (request: IncomingMessage) => (request as IncomingMessage & { id: string }).id,
          customProps: (request: IncomingMessage) => ({
            requestId: (request as IncomingMessage & { id: string }).id,
          }),
          autoLogging: { ignore: (request: IncomingMessage) => request.url === '/health/live' },
          quietReqLogger: true,
          serializers: {
            req: (request: { url: string; query?: unknown }) => ({
              ...request,
              url: redactUrl(request.url),
              query: undefined,
            }),
            res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
          },
        },
      }),
    }),
  ],
})
export class LoggerModule {}
