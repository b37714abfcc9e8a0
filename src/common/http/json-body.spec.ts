import fc from 'fast-check';
import { nestsDeeperThan } from './json-body.js';

/** The nesting depth of a parsed value: scalars 0, each object or array one more. */
const depthOf = (value: unknown): number =>
  value !== null && typeof value === 'object'
    ? 1 + Math.max(0, ...Object.values(value).map(depthOf))
    : 0;

describe('nestsDeeperThan', () => {
  it('agrees with the depth of the parsed value, for any JSON and any limit', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 12 }),
        fc.integer({ min: 0, max: 12 }),
        (value, limit) => {
          const body = Buffer.from(JSON.stringify(value));
          expect(nestsDeeperThan(body, limit)).toBe(depthOf(value) > limit);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan(Buffer.from(JSON.stringify({ a: '[[[\\"{{{' })), 1)).toBe(false);
    expect(nestsDeeperThan(Buffer.from('[[["]"]]]'), 2)).toBe(true);
  });
});
