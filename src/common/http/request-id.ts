import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const ACCEPTABLE = /^[\w.:@/+=-]{1,128}$/;

/** Echoes a client's X-Request-Id when it is a sane token, else makes a new one. */
export function requestIdFor(request: IncomingMessage): string {
  const sent = request.headers['x-request-id'];
  const candidate = Array.isArray(sent) ? sent[0] : sent;
  return candidate && ACCEPTABLE.test(candidate) ? candidate : randomUUID();
}
