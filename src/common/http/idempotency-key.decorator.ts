import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../errors/index.js';

const PRINTABLE = /^[\x21-\x7e]{1,255}$/;

/**
 * The `Idempotency-Key` header: 1 to 255 printable ASCII characters (400 otherwise);
 * undefined when absent. Pass `{ required: true }` where a route insists on one.
 */
export const IdempotencyKey = createParamDecorator(
  (options: { required?: boolean } | undefined, context: ExecutionContext): string | undefined => {
    const value = context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
    const key = Array.isArray(value) ? value[0] : value;
    if (key === undefined && !options?.required) return undefined;
    if (key === undefined || !PRINTABLE.test(key)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'Idempotency-Key must be 1 to 255 printable characters',
        {
          errors: [
            { field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
          ],
        },
      );
    }
    return key;
  },
);
