import fc from 'fast-check';
import { holdsNulEscape, nestsDeeperThan } from './json-body.js';

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

describe('holdsNulEscape', () => {
  it('is true exactly when a decoded string holds NUL, whatever backslashes surround it', () => {
    const text = fc.string({ unit: fc.constantFrom('\\', 'u', '0', '\u0000', 'a', '"') });
    fc.assert(
      fc.property(fc.dictionary(text, text, { maxKeys: 3 }), (value) => {
        const decoded = [...Object.keys(value), ...Object.values(value)];
        expect(holdsNulEscape(Buffer.from(JSON.stringify(value)))).toBe(
          decoded.some((part) => part.includes('\u0000')),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
