/**
 * Passwords: Argon2id (memory-hard; RFC 9106), with parameters at OWASP's recommended minimum for Argon2id
 * (19 MiB, 2 iterations, 1 lane). Strength follows NIST SP 800-63B §5.1.1.2: a minimum length and a check
 * against commonly used passwords, not composition rules.
 */
import { hash, verify, type Algorithm } from '@node-rs/argon2';

// 2 = Algorithm.Argon2id (a const enum, which isolated modules cannot read).
const OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;

const COMMON = new Set([
  '1234567890', '0123456789', '12345678910', '1111111111', '0000000000', '1234554321', '1q2w3e4r5t', 'qwertyuiop',
  'password123', 'password1234', 'passw0rd123', 'admin12345', 'administrator', 'iloveyou123', 'abc1234567',
  'abcdefghij', 'zaq12wsxcde', 'woaini1314', 'woaini520', '5201314520', 'qwerty12345', 'a123456789', 'aa123456789',
]);

/** Why a password is too weak, or undefined if it is acceptable. Pure. */
export function passwordWeakness(password: string, context: { username?: string } = {}): 'too_short' | 'common' | 'contains_username' | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too_short';
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) return 'common';
  if (context.username && context.username.length >= 3 && lower.includes(context.username.toLowerCase())) return 'contains_username';
  return undefined;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Verified against when the user does not exist, so that the answer takes as long either way.
let dummyHash: Promise<string> | undefined;
export function dummyVerify(password: string): Promise<boolean> {
  dummyHash ??= hash('not-a-real-password-0000', OPTIONS);
  return dummyHash.then((h) => verifyPassword(h, password)).then(() => false);
}
