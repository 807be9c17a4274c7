import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box.js';

const secret = 'a-signing-secret-of-at-least-32-characters';
const plain = new TextEncoder().encode('12345678901234567890');

describe('secret box', () => {
  it('opens what it sealed, and the sealed text does not contain the secret', () => {
    const box = createSecretBox(secret);
    const sealed = box.seal(plain, 'totp:7');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain(Buffer.from(plain).toString('base64url'));
    expect(box.open(sealed, 'totp:7')).toEqual(plain);
  });

  it('seals the same value differently each time (random nonce)', () => {
    const box = createSecretBox(secret);
    expect(box.seal(plain, 'totp:7')).not.toBe(box.seal(plain, 'totp:7'));
  });

  it.each([
    ['another context (a row copied to another user)', (s: string) => createSecretBox(secret).open(s, 'totp:8')],
    ['another signing secret', (s: string) => createSecretBox(`${secret}!`).open(s, 'totp:7')],
    ['a flipped byte', (s: string) => createSecretBox(secret).open(s.replace(/\.(.)/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`), 'totp:7')],
    ['a truncated value', (s: string) => createSecretBox(secret).open(s.split('.').slice(0, 3).join('.'), 'totp:7')],
    ['an unknown version', (s: string) => createSecretBox(secret).open(s.replace(/^v1/, 'v9'), 'totp:7')],
  ])('refuses to open under %s', (_name, open) => {
    expect(open(createSecretBox(secret).seal(plain, 'totp:7'))).toBeUndefined();
  });

  it('digests with a key: the same input and purpose give the same hash, anything else another', () => {
    const a = createSecretBox(secret);
    expect(a.digest('ABCDEFGHJK', 'recovery:7')).toBe(createSecretBox(secret).digest('ABCDEFGHJK', 'recovery:7'));
    expect(a.digest('ABCDEFGHJK', 'recovery:7')).not.toBe(a.digest('ABCDEFGHJK', 'recovery:8'));
    expect(a.digest('ABCDEFGHJK', 'recovery:7')).not.toBe(createSecretBox(`${secret}!`).digest('ABCDEFGHJK', 'recovery:7'));
  });
});
