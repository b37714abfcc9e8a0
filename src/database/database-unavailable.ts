/** Socket failures: the server is gone, unreachable or cut the connection. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/**
 * SQLSTATEs that say the server, not the statement, failed: class 08 (connection exception),
 * 57P01-57P03 (shut down, crashed, starting), 53300 (too many connections), 57014 (cancelled:
 * statement_timeout).
 */
const SERVER_STATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

/** node-postgres says these in words only. */
const MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error',
];

interface MaybeDriverError {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
}

/**
 * Whether an error means the database could not be reached or did not answer in time (503, try
 * again), as opposed to a statement it refused (a bug or a constraint: not a dependency fault).
 * TypeORM wraps the driver's error as `driverError`; both are looked at.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message, driverError } = error as MaybeDriverError;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || SERVER_STATES.has(code) || /^08/.test(code)) return true;
  }
  if (typeof message === 'string' && MESSAGES.some((words) => message.includes(words))) return true;
  return driverError !== undefined && driverError !== error && isDatabaseUnavailable(driverError);
}
