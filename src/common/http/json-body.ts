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

/**
 * Whether a string in `body` holds the escape `\u0000`. PostgreSQL text cannot store a NUL
 * character, so such a value would fail in the database (a 500) wherever it is kept.
 */
export function holdsNulEscape(body: Buffer): boolean {
  for (let at = body.indexOf('\\u0000'); at !== -1; at = body.indexOf('\\u0000', at + 1)) {
    // An even run of backslashes before it is escaped backslashes, so the text is literal.
    let backslashes = 0;
    while (at - backslashes - 1 >= 0 && body[at - backslashes - 1] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return true;
  }
  return false;
}

const badBody = (code: string, message: string): Error =>
  Object.assign(new Error(message), { statusCode: 400, code });

/**
 * What is wrong with a JSON body before it is parsed, as the error the parser hands Fastify
 * (the problem filter maps its code), or undefined when nothing is.
 */
export function jsonBodyFault(body: Buffer): Error | undefined {
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
    return badBody('ERR_JSON_TOO_DEEP', `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  if (holdsNulEscape(body)) return badBody('ERR_JSON_NUL', 'Text may not contain NUL (\\u0000)');
  return undefined;
}
