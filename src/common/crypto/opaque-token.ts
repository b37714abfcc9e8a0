import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: refresh, reset, verification and invitation tokens. */
export const newOpaqueToken = (): string => randomBytes(32).toString('base64url');

/** Tokens are stored only as this hash; a database leak reveals no usable token. */
export const hashToken = (token: string): string =>
  createHash('sha256').update(token).digest('hex');
