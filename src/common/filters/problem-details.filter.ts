import { STATUS_CODES } from 'node:http';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../../database/database-unavailable.js';
import {
  DomainError,
  type DomainErrorExtras,
  type ErrorCode,
  type FieldError,
  codeOfStatus,
  statusOf,
} from '../errors/index.js';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId: string;
  errors?: FieldError[];
  mfaToken?: string;
}

interface Problem extends DomainErrorExtras {
  status: number;
  code: ErrorCode;
  detail: string;
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

const problemType = (code: ErrorCode): string =>
  `urn:subscription-service:problem:${code.toLowerCase().replaceAll('_', '-')}`;

/**
 * Renders every error as RFC 9457 problem+json with a stable `code`. Unexpected errors are
 * logged with their stack and answered as a bare 500: no message, stack or secret leaves.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(exception);
    if (problem.code === 'DEPENDENCY_UNAVAILABLE') {
      this.logger.warn({ err: exception, requestId: request.id }, 'A dependency is unavailable');
    } else if (problem.status >= 500) {
      this.logger.error({ err: exception, requestId: request.id }, 'Request failed');
    }
    sendProblem(reply, request.id, problem);
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof DomainError) {
      return {
        status: statusOf(exception.code),
        code: exception.code,
        detail: exception.detail,
        ...exception.extras,
      };
    }
    if (exception instanceof HttpException) {
      // Nest wraps Fastify's own errors (malformed JSON, body too large) and keeps them as the cause.
      const fromFastify = exception.cause ? fastifyProblem(exception.cause) : undefined;
      if (fromFastify) return fromFastify;
      const status = exception.getStatus();
      return { status, code: codeOfStatus(status), detail: httpExceptionDetail(exception, status) };
    }
    if (isDatabaseUnavailable(exception)) return databaseUnavailableProblem();
    return fastifyProblem(exception as FastifyLikeError) ?? internalProblem();
  }
}

function sendProblem(reply: FastifyReply, requestId: string, problem: Problem): void {
  const body: ProblemDetails = {
    type: problemType(problem.code),
    title: STATUS_CODES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    requestId,
    ...(problem.errors ? { errors: problem.errors } : {}),
    ...(problem.mfaToken ? { mfaToken: problem.mfaToken } : {}),
  };
  if (problem.retryAfterSeconds !== undefined) {
    void reply.header('Retry-After', String(Math.max(1, Math.ceil(problem.retryAfterSeconds))));
  }
  void reply.status(problem.status).header('Content-Type', 'application/problem+json').send(body);
}

function httpExceptionDetail(exception: HttpException, status: number): string {
  if (status === 404) return 'The requested resource does not exist';
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/**
 * Errors raised by Fastify itself while routing or reading the body, before any handler runs;
 * `status` only where Fastify's own is not one the contract uses.
 */
const FASTIFY_PROBLEMS: Record<string, Omit<Problem, 'status'> & { status?: number }> = {
  FST_ERR_BAD_URL: {
    code: 'VALIDATION_FAILED',
    detail: 'The URL is malformed (a % must start an escape such as %20)',
  },
  ERR_URL_NUL: { code: 'VALIDATION_FAILED', detail: 'The URL may not contain %00' },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 400,
    code: 'VALIDATION_FAILED',
    detail: 'A path parameter is longer than 100 characters',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'PAYLOAD_TOO_LARGE',
    detail: 'The request body is larger than 1 MiB',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'Send the body as application/json',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'INVALID_JSON',
    detail: 'The request body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'INVALID_JSON', detail: 'The JSON body is empty' },
  ERR_JSON_TOO_DEEP: {
    code: 'VALIDATION_FAILED',
    detail: 'The JSON body nests objects or arrays too deep',
  },
  ERR_JSON_NUL: {
    code: 'VALIDATION_FAILED',
    detail: 'Text in the body may not contain the NUL character (\\u0000)',
  },
};

/**
 * Fastify's `frameworkErrors` hook: what fails in routing (a bad URL, a path parameter too long)
 * never reaches Nest, so it is answered here, in the same shape.
 */
export function answerFrameworkError(
  error: FastifyLikeError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  // The onRequest hook that sets it never ran: routing failed first.
  void reply.header('X-Request-Id', request.id);
  sendProblem(reply, request.id, fastifyProblem(error) ?? internalProblem());
}

function fastifyProblem(error: FastifyLikeError): Problem | undefined {
  const status = error.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  const known = error.code ? FASTIFY_PROBLEMS[error.code] : undefined;
  if (known) return { status, ...known };
  return { status, code: codeOfStatus(status), detail: STATUS_CODES[status] ?? 'Bad request' };
}

/** The database down, hanging or out of connections: try again shortly, never a 500 or 401. */
const databaseUnavailableProblem = (): Problem => ({
  status: 503,
  code: 'DEPENDENCY_UNAVAILABLE',
  detail: 'The database is unavailable; try again shortly',
  retryAfterSeconds: 5,
});

const internalProblem = (): Problem => ({
  status: 500,
  code: 'INTERNAL',
  detail: 'An unexpected error occurred; quote the request id when reporting it',
});
