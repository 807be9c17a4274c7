import { describe, expect, it } from 'vitest';
import { hashPassword, passwordWeakness, verifyPassword } from './password.js';

describe('passwordWeakness', () => {
  it.each([
    ['short1', 'too_short'],
    ['1234567890', 'common'],
    ['aaaaaaaaaaaa', 'common'],
    ['Password123', 'common'],
    ['liwei-secret-2026', 'contains_username'],
    ['汉丰湖边的柳树很绿', 'too_short'],
    ['汉丰湖边的柳树很绿很绿', undefined],
    ['Kaizhou@2026', undefined],
  ] as const)('judges %s as %s', (password, expected) => {
    expect(passwordWeakness(password, { username: 'liwei' })).toBe(expected);
  });
});

describe('password hashing', () => {
  it('stores Argon2id hashes that verify only the right password', async () => {
    const h = await hashPassword('Kaizhou@2026');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, 'Kaizhou@2026')).toBe(true);
    expect(await verifyPassword(h, 'kaizhou@2026')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});
