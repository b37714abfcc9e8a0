import { isDatabaseUnavailable } from './database-unavailable.js';

describe('isDatabaseUnavailable', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }],
    [{ code: '08006' }],
    [{ code: '57P01' }],
    [{ code: '57014' }],
    [new Error('Connection terminated unexpectedly')],
    [new Error('timeout exceeded when trying to connect')],
    [{ message: 'Query failed', driverError: { code: 'ECONNRESET' } }],
  ])('%o: the database, not the statement, failed', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    [{ code: '23505' }],
    [{ code: '22021' }],
    [new Error('relation "x" does not exist')],
    [null],
    ['ECONNREFUSED'],
  ])('%o: not a dependency fault', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
