import { describe, expect, it } from 'vitest';
import { cookieUnlocks, issueSubmissionKey, lookupCodeFor, lookupCookie, photoIdOf, photoRef, validSubmissionKey } from './report-signing.js';

const secret = 's'.repeat(40);
const other = 'o'.repeat(40);

describe('signed values of the public forms', () => {
  it('accepts its own submission keys and refuses forged or altered ones', () => {
    const key = issueSubmissionKey(secret);
    expect(validSubmissionKey(secret, key)).toBe(true);
    expect(validSubmissionKey(other, key)).toBe(false);
    expect(validSubmissionKey(secret, key.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).toBe(false);
    expect(validSubmissionKey(secret, 'pr-0000.x')).toBe(false);
    expect(issueSubmissionKey(secret)).not.toBe(key);
  });
  it('derives the same 8-character lookup code from the same key', () => {
    const key = issueSubmissionKey(secret);
    expect(lookupCodeFor(secret, key)).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(lookupCodeFor(secret, key)).toBe(lookupCodeFor(secret, key));
    expect(lookupCodeFor(secret, issueSubmissionKey(secret))).not.toBe(lookupCodeFor(secret, key));
  });
  it('honours a kept photo only for the submission it was issued to', () => {
    const key = issueSubmissionKey(secret);
    const ref = photoRef(secret, key, 42);
    expect(photoIdOf(secret, key, ref)).toBe(42);
    expect(photoIdOf(secret, issueSubmissionKey(secret), ref)).toBeUndefined();
    expect(photoIdOf(secret, key, ref.replace(/^42/, '43'))).toBeUndefined();
  });
  it('unlocks one report until the cookie expires', () => {
    const now = new Date('2026-03-02T01:00:00Z');
    const value = lookupCookie(secret, 'KZ20260302000001', new Date(now.getTime() + 30 * 60_000));
    expect(cookieUnlocks(secret, value, 'KZ20260302000001', now)).toBe(true);
    expect(cookieUnlocks(secret, value, 'KZ20260302000002', now)).toBe(false);
    expect(cookieUnlocks(secret, value, 'KZ20260302000001', new Date(now.getTime() + 31 * 60_000))).toBe(false);
    expect(cookieUnlocks(other, value, 'KZ20260302000001', now)).toBe(false);
    expect(cookieUnlocks(secret, value.replace('KZ20260302000001', 'KZ20260302000002'), 'KZ20260302000002', now)).toBe(false);
    expect(cookieUnlocks(secret, undefined, 'KZ20260302000001', now)).toBe(false);
  });
});
