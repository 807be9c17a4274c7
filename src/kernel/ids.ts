import { randomBytes, randomUUID } from 'node:crypto';

/** A random identifier for requests, sessions and tokens. */
export const newId = (): string => randomUUID();

/** URL-safe random text with `bytes` bytes of entropy. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
