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
            res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
          },
        },
      }),
    }),
  ],
})
export class LoggerModule {}
