/** Deeper than this, a JSON body is refused before it is parsed; no DTO nests half as deep. */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether `body` nests objects and arrays deeper than `limit`, found in one pass over the bytes
 * (brackets inside strings do not count). Parsing and validating a body a few thousand levels
 * deep recurses through JSON.parse, class-transformer and class-validator until the stack
 * gives out; this answers before any of them runs. UTF-8 continuation bytes are never ASCII,
 * so a byte-wise scan is exact.
 */
export function nestsDeeperThan(body: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
  }
  return false;
}

/** What the JSON parser hands Fastify for a body nested too deep; the filter maps its code. */
export const tooDeepError = (): Error =>
  Object.assign(new Error(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`), {
    statusCode: 400,
    code: 'ERR_JSON_TOO_DEEP',
  });
