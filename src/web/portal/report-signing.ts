/**
 * Signed values of the public reporting forms, all HMACs under the server's signing secret:
 * - the submission key issued with each form (a retry carries it back; the incident service dedupes by it);
 * - the lookup code derived from that key, so a retry whose first answer was lost shows the same code again;
 * - references to photos already stored on an earlier try of the same submission;
 * - the short-lived cookie that unlocks one report's private page after its lookup code was entered.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { LOOKUP_ALPHABET } from '../../modules/incidents/index.js';

const mac = (secret: string, what: string, n = 22) => createHmac('sha256', secret).update(what).digest('base64url').slice(0, n);

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A fresh submission key: `pr-<uuid>.<mac>` (the prefix keeps it apart from other channels' keys). */
export function issueSubmissionKey(secret: string): string {
  const id = `pr-${randomUUID().replace(/-/g, '')}`;
  return `${id}.${mac(secret, `key:${id}`)}`;
}

export function validSubmissionKey(secret: string, key: string): boolean {
  const m = /^(pr-[0-9a-f]{32})\.([A-Za-z0-9_-]{22})$/.exec(key);
  return !!m && same(m[2]!, mac(secret, `key:${m[1]}`));
}

/** The lookup code of the incident a submission key creates (8 characters of the lookup alphabet). */
export function lookupCodeFor(secret: string, key: string): string {
  const bytes = createHmac('sha256', secret).update(`code:${key}`).digest();
  return [...bytes.subarray(0, 8)].map((b) => LOOKUP_ALPHABET[b % LOOKUP_ALPHABET.length]).join('');
}

export const photoRef = (secret: string, key: string, id: number) => `${id}.${mac(secret, `photo:${key}:${id}`, 16)}`;

/** The attachment id of a kept photo reference, if it was issued for this submission key. */
export function photoIdOf(secret: string, key: string, ref: string): number | undefined {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{16})$/.exec(ref);
  return m && same(m[2]!, mac(secret, `photo:${key}:${m[1]}`, 16)) ? Number(m[1]) : undefined;
}

/**
 * The address of a kept photo's thumbnail: its own signature, never the submission key (addresses reach logs, and
 * the key derives the lookup code).
 */
export const thumbRef = (secret: string, id: number) => `${id}.${mac(secret, `thumb:${id}`, 16)}`;

export function thumbIdOf(secret: string, ref: string): number | undefined {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{16})$/.exec(ref);
  return m && same(m[2]!, mac(secret, `thumb:${m[1]}`, 16)) ? Number(m[1]) : undefined;
}

export const LOOKUP_COOKIE = 'zz_lookup';
export const LOOKUP_MINUTES = 30;

/** The cookie value unlocking report `number` until `expires`. */
export function lookupCookie(secret: string, number: string, expires: Date): string {
  const exp = Math.floor(expires.getTime() / 1000);
  return `${number}.${exp}.${mac(secret, `lookup:${number}:${exp}`)}`;
}

/** Whether the cookie unlocks report `number` at `now`. */
export function cookieUnlocks(secret: string, value: string | undefined, number: string, now: Date): boolean {
  const m = value ? /^(KZ\d{14})\.(\d{10})\.([A-Za-z0-9_-]{22})$/.exec(value) : null;
  if (!m || m[1] !== number || Number(m[2]) * 1000 < now.getTime()) return false;
  return same(m[3]!, mac(secret, `lookup:${m[1]}:${m[2]}`));
}
