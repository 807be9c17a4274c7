import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  formatRecoveryCode,
  groupSecret,
  hotp,
  normalizeRecoveryCode,
  otpauthUri,
  timeStep,
  totp,
  verifyTotp,
} from './totp.rules.js';

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const RFC_KEY = new TextEncoder().encode('12345678901234567890');

describe('TOTP against the RFC 6238 test vectors (SHA-1)', () => {
  it.each([
    [59, '1970-01-01T00:00:59Z', 0x1, '94287082'],
    [1111111109, '2005-03-18T01:58:29Z', 0x23523ec, '07081804'],
    [1111111111, '2005-03-18T01:58:31Z', 0x23523ed, '14050471'],
    [1234567890, '2009-02-13T23:31:30Z', 0x273ef07, '89005924'],
    [2000000000, '2033-05-18T03:33:20Z', 0x3f940aa, '69279037'],
    [20000000000, '2603-10-11T11:33:20Z', 0x27bc86aa, '65353130'],
  ])('at %i s (%s) step %i gives %s, and its last 6 digits with 6 digits', (seconds, iso, step, code) => {
    const at = new Date(seconds * 1000);
    expect(at.toISOString().replace('.000', '')).toBe(iso);
    expect(timeStep(at)).toBe(step);
    expect(totp(RFC_KEY, at, 8)).toBe(code);
    expect(totp(RFC_KEY, at)).toBe(code.slice(2));
  });
});

describe('HOTP against the RFC 4226 Appendix D values', () => {
  it.each([
    [0, '755224'],
    [1, '287082'],
    [2, '359152'],
    [3, '969429'],
    [4, '338314'],
    [5, '254676'],
    [6, '287922'],
    [7, '162583'],
    [8, '399871'],
    [9, '520489'],
  ])('counter %i gives %s', (counter, code) => {
    expect(hotp(RFC_KEY, counter)).toBe(code);
  });
});

describe('verifyTotp', () => {
  const at = new Date(1111111111 * 1000); // step 0x23523ed
  const step = timeStep(at);
  const codeAt = (s: number) => hotp(RFC_KEY, s);
  it.each([
    ['the current step', codeAt(step), null, { ok: true, step }],
    ['one step early (clock drift)', codeAt(step - 1), null, { ok: true, step: step - 1 }],
    ['one step late', codeAt(step + 1), null, { ok: true, step: step + 1 }],
    ['two steps away', codeAt(step - 2), null, { ok: false, reason: 'mismatch' }],
    ['typed with a space', `${codeAt(step).slice(0, 3)} ${codeAt(step).slice(3)}`, null, { ok: true, step }],
    ['letters', 'abcdef', null, { ok: false, reason: 'format' }],
    ['five digits', '12345', null, { ok: false, reason: 'format' }],
    ['the code already used', codeAt(step), step, { ok: false, reason: 'replayed' }],
    ['an earlier code after a later one was used', codeAt(step - 1), step, { ok: false, reason: 'replayed' }],
    ['the next step after the current one was used', codeAt(step + 1), step, { ok: true, step: step + 1 }],
  ] as const)('%s', (_name, input, lastUsed, expected) => {
    expect(verifyTotp(RFC_KEY, input, at, lastUsed)).toEqual(expected);
  });
});

describe('base32 and the key URI', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('encodes %j as %s (RFC 4648 §10) and back', (text, encoded) => {
    const bytes = new TextEncoder().encode(text);
    expect(base32Encode(bytes)).toBe(encoded);
    expect(new TextDecoder().decode(base32Decode(encoded.toLowerCase()))).toBe(text);
  });

  it('refuses characters outside the alphabet', () => {
    expect(() => base32Decode('MZ1W')).toThrow(/not base32/);
  });

  it('builds the otpauth URI an authenticator app reads, with the issuer in the label and the query', () => {
    const uri = otpauthUri('开州智治', 'li.ming', RFC_KEY);
    expect(uri).toBe(
      'otpauth://totp/%E5%BC%80%E5%B7%9E%E6%99%BA%E6%B2%BB:li.ming?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=%E5%BC%80%E5%B7%9E%E6%99%BA%E6%B2%BB&algorithm=SHA1&digits=6&period=30',
    );
    expect(groupSecret(RFC_KEY)).toBe('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
  });
});

describe('recovery codes', () => {
  it('formats ten random bytes as two groups of five unambiguous characters', () => {
    expect(formatRecoveryCode(Uint8Array.from([0, 1, 2, 31, 32, 33, 255, 100, 200, 7]))).toBe('234Z2-3Z6A9');
  });

  it.each([
    ['abcde-fghjk', 'ABCDEFGHJK'],
    [' ABCDE FGHJK ', 'ABCDEFGHJK'],
    ['ABCDE-FGHJ', undefined],
    ['ABCDE-FGHJ0', undefined],
    ['ABCDE-FGHJI', undefined],
  ])('reads %j as %s', (input, expected) => {
    expect(normalizeRecoveryCode(input)).toBe(expected);
  });
});
