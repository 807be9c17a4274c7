/**
 * One-time codes for the optional second factor: HOTP (RFC 4226) and TOTP (RFC 6238) with SHA-1, a 30-second
 * step and 6 digits — what every authenticator app (Google Authenticator, Microsoft Authenticator, 微信小程序
 * 腾讯身份验证器, FreeOTP) reads from an `otpauth://` URI. Pure: the time is passed in, nothing is stored.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one, for clock drift and typing time (RFC 6238 §5.2). */
export const TOTP_WINDOW = 1;
/** RFC 4226 §4 asks for at least 128 bits of shared secret and recommends 160. */
export const TOTP_SECRET_BYTES = 20;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding, as authenticator apps expect the secret. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** Decodes base32, ignoring case, spaces, hyphens and padding; throws on any other character. */
export function base32Decode(text: string): Uint8Array {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of clean) {
    const v = BASE32.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    buffer = ((buffer << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

/** HOTP (RFC 4226 §5.3): HMAC-SHA-1 over the 8-byte big-endian counter, dynamically truncated. */
export function hotp(key: Uint8Array, counter: number, digits = TOTP_DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The TOTP time step that contains `at` (RFC 6238 §4: T = floor((now - T0) / X), T0 = 0). */
export function timeStep(at: Date, periodSeconds = TOTP_PERIOD_SECONDS): number {
  return Math.floor(at.getTime() / 1000 / periodSeconds);
}

/** The code for the step containing `at`. */
export function totp(key: Uint8Array, at: Date, digits = TOTP_DIGITS): string {
  return hotp(key, timeStep(at), digits);
}

export type TotpCheck =
  | { readonly ok: true; readonly step: number }
  | { readonly ok: false; readonly reason: 'format' | 'mismatch' | 'replayed' };

/** Normalises what a person typed: digits only, spaces removed (apps show "123 456"). */
export function normalizeCode(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/**
 * Checks a typed code against the steps around `at`. A code is accepted once: a step at or before
 * `lastUsedStep` is refused as a replay, even inside the window (RFC 6238 §5.2: "the verifier MUST NOT accept
 * the second attempt of the OTP after the successful validation has been issued for the first OTP").
 */
export function verifyTotp(key: Uint8Array, input: string, at: Date, lastUsedStep: number | null): TotpCheck {
  const code = normalizeCode(input);
  if (!new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code)) return { ok: false, reason: 'format' };
  const current = timeStep(at);
  let replayed = false;
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    if (!timingSafeEqual(Buffer.from(hotp(key, step)), Buffer.from(code))) continue;
    if (lastUsedStep !== null && step <= lastUsedStep) {
      replayed = true;
      continue;
    }
    return { ok: true, step };
  }
  return { ok: false, reason: replayed ? 'replayed' : 'mismatch' };
}

/**
 * The key URI an authenticator app scans (github.com/google/google-authenticator/wiki/Key-Uri-Format):
 * `otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`.
 */
export function otpauthUri(issuer: string, account: string, key: Uint8Array): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = [
    `secret=${base32Encode(key)}`,
    `issuer=${encodeURIComponent(issuer)}`,
    'algorithm=SHA1',
    `digits=${TOTP_DIGITS}`,
    `period=${TOTP_PERIOD_SECONDS}`,
  ].join('&');
  return `otpauth://totp/${label}?${query}`;
}

/** The secret grouped in fours, for typing it into an app by hand. */
export function groupSecret(key: Uint8Array): string {
  return base32Encode(key).replace(/(.{4})(?=.)/g, '$1 ');
}

// Recovery codes: 10 characters of 32 (50 bits), without 0/O and 1/I, shown as XXXXX-XXXXX.
const RECOVERY_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const RECOVERY_CODE_COUNT = 10;
export const RECOVERY_CODE_BYTES = 10;

/** A recovery code from 10 random bytes (256 is a multiple of 32, so every character is equally likely). */
export function formatRecoveryCode(randomBytes: Uint8Array): string {
  const chars = [...randomBytes.slice(0, RECOVERY_CODE_BYTES)].map((b) => RECOVERY_ALPHABET[b % 32]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** What a typed recovery code is compared as: upper case, no separators; undefined if it cannot be one. */
export function normalizeRecoveryCode(input: string): string | undefined {
  const clean = input.toUpperCase().replace(/[\s-]/g, '');
  return clean.length === RECOVERY_CODE_BYTES && [...clean].every((c) => RECOVERY_ALPHABET.includes(c)) ? clean : undefined;
}
