import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/db.js';
import { actorOf, initiator, servicesFor, type Services } from '../../../test/services.js';
import { FakeClock } from '../../kernel/clock.js';
import { SYSTEM } from '../../kernel/initiator.js';
import { PENDING_SIGN_IN_MS } from './identity.service.js';
import { base32Decode, totp } from './totp.rules.js';

const PASSWORD = 'Hanfeng-lake-2026';
const ISSUER = '开州智治';

describeEachEngine('second factor (TOTP)', (suite) => {
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  let s: Services;
  beforeAll(() => {
    s = servicesFor(suite.database, clock);
  });
  const meta = { ip: '10.0.0.7', userAgent: 'test' };
  const keyOf = (uri: string) => base32Decode(new URL(uri).searchParams.get('secret')!);

  /** A person with a confirmed second factor; returns the secret and recovery codes. */
  async function enrolled(username: string) {
    await s.identity.createUser({ username, displayName: username, password: PASSWORD, posts: [{ unitCode: '500154001', role: 'town_dispatcher' }] }, SYSTEM);
    const { actor, token } = await actorOf(s, username, PASSWORD);
    const enrollment = await s.secondFactor.startEnrollment(actor, ISSUER);
    const key = keyOf(enrollment.uri);
    const codes = await s.secondFactor.confirmEnrollment(actor, totp(key, clock.now()), initiator(actor), token);
    clock.advance(30_000); // the confirming code is used; sign-ins below need the next one
    return { actor, token, key, codes };
  }

  async function pending(username: string) {
    const out = await s.identity.signIn(username, PASSWORD, meta);
    expect(out.kind).toBe('second_factor');
    return out.kind === 'second_factor' ? out.pendingToken : '';
  }

  it('enrols with a QR-code URI and the secret as text, in force only after a code confirms it', async () => {
    await s.identity.createUser({ username: 'tian.yu', displayName: '田雨', password: PASSWORD, posts: [] }, SYSTEM);
    const { actor, token } = await actorOf(s, 'tian.yu', PASSWORD);
    const other = await actorOf(s, 'tian.yu', PASSWORD);
    const enrollment = await s.secondFactor.startEnrollment(actor, ISSUER);
    expect(enrollment.uri).toMatch(/^otpauth:\/\/totp\/%E5%BC%80%E5%B7%9E%E6%99%BA%E6%B2%BB:tian\.yu\?secret=[A-Z2-7]{32}&issuer=.+&algorithm=SHA1&digits=6&period=30$/);
    expect(enrollment.secretText.replace(/ /g, '')).toBe(new URL(enrollment.uri).searchParams.get('secret'));
    expect(await s.secondFactor.pendingEnrollment(actor, ISSUER)).toEqual(enrollment);
    // Not yet in force: sign-in still needs only the password.
    expect((await s.identity.signIn('tian.yu', PASSWORD, meta)).kind).toBe('signed_in');
    await expect(s.secondFactor.confirmEnrollment(actor, '000000', initiator(actor), token)).rejects.toMatchObject({ code: 'AUTH.CONFIRM_CODE_INVALID' });
    const codes = await s.secondFactor.confirmEnrollment(actor, totp(keyOf(enrollment.uri), clock.now()), initiator(actor), token);
    expect(codes).toHaveLength(10);
    expect(codes.every((c) => /^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/.test(c))).toBe(true);
    expect(await s.secondFactor.status(actor.userId)).toMatchObject({ enrolled: true, recoveryCodesLeft: 10 });
    // Enrolling is a change of credentials: the other session ended, this one did not.
    expect((await s.identity.checkSession(token)).ok).toBe(true);
    expect((await s.identity.checkSession(other.token)).ok).toBe(false);
    await expect(s.secondFactor.startEnrollment(actor, ISSUER)).rejects.toMatchObject({ code: 'AUTH.SECOND_FACTOR_ACTIVE' });
  });

  it('keeps the secret encrypted at rest and the recovery codes only as hashes', async () => {
    const { actor, key, codes } = await enrolled('enc.check');
    const { rows } = await sql<{ secret_ciphertext: string }>`select secret_ciphertext from user_totp where user_id = ${actor.userId}`.execute(suite.database.db);
    const stored = rows[0]!.secret_ciphertext;
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toContain(Buffer.from(key).toString('base64url'));
    const hashes = await sql<{ code_hash: string }>`select code_hash from user_recovery_codes where user_id = ${actor.userId}`.execute(suite.database.db);
    expect(hashes.rows).toHaveLength(10);
    for (const code of codes) expect(hashes.rows.some((r) => r.code_hash.includes(code.replace('-', '')))).toBe(false);
  });

  it('asks for the code in a second step, refuses a wrong one and a replayed one, and accepts the next', async () => {
    const { key } = await enrolled('wu.hao');
    const first = await pending('wu.hao');
    await expect(s.identity.completeSignIn(first, '123456', meta)).rejects.toMatchObject({ code: 'AUTH.CODE_INVALID', details: { params: { attemptsLeft: 4 } } });
    const code = totp(key, clock.now());
    const done = await s.identity.completeSignIn(first, code, meta);
    expect(done).toMatchObject({ method: 'totp', user: { username: 'wu.hao' } });
    expect((await s.identity.checkSession(done.token)).ok).toBe(true);
    // The pending sign-in is used up, and the same code cannot open a second sign-in within its window.
    await expect(s.identity.completeSignIn(first, code, meta)).rejects.toMatchObject({ code: 'AUTH.SECOND_FACTOR_EXPIRED' });
    const second = await pending('wu.hao');
    await expect(s.identity.completeSignIn(second, code, meta)).rejects.toMatchObject({ code: 'AUTH.CODE_REPLAYED' });
    clock.advance(30_000);
    expect((await s.identity.completeSignIn(second, totp(key, clock.now()), meta)).method).toBe('totp');
    const entries = await s.audit.search({ action: 'auth.sign_in', targetId: 'wu.hao' }, { limit: 10 });
    expect(entries.filter((e) => e.details.method === 'totp')).toHaveLength(2);
  });

  it('lets one code through once when two requests race with it', async () => {
    const { key } = await enrolled('race.one');
    const [a, b] = [await pending('race.one'), await pending('race.one')];
    const code = totp(key, clock.now());
    const other = servicesFor(suite.database, clock);
    const results = await Promise.allSettled([s.identity.completeSignIn(a, code, meta), other.identity.completeSignIn(b, code, meta)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'AUTH.CODE_REPLAYED' });
  });

  it('accepts each recovery code once, in any case and spacing', async () => {
    const { codes } = await enrolled('ma.li');
    const first = await pending('ma.li');
    expect((await s.identity.completeSignIn(first, ` ${codes[0]!.toLowerCase().replace('-', ' ')} `, meta)).method).toBe('recovery_code');
    const again = await pending('ma.li');
    await expect(s.identity.completeSignIn(again, codes[0]!, meta)).rejects.toMatchObject({ code: 'AUTH.CODE_INVALID' });
    expect((await s.identity.completeSignIn(again, codes[1]!, meta)).method).toBe('recovery_code');
  });

  it('lets the second step lapse after 5 minutes and after 5 wrong codes', async () => {
    const { key } = await enrolled('lapse.one');
    const first = await pending('lapse.one');
    clock.advance(PENDING_SIGN_IN_MS);
    expect(await s.identity.pendingSignInOpen(first)).toBe(false);
    await expect(s.identity.completeSignIn(first, totp(key, clock.now()), meta)).rejects.toMatchObject({ code: 'AUTH.SECOND_FACTOR_EXPIRED' });
    // Wrong codes count towards the account's lock as wrong passwords do.
    const second = await pending('lapse.one');
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(((await s.identity.completeSignIn(second, '000000', meta).catch((e: unknown) => e)) as { code: string }).code);
    expect(answers).toEqual(['AUTH.CODE_INVALID', 'AUTH.CODE_INVALID', 'AUTH.CODE_INVALID', 'AUTH.CODE_INVALID', 'AUTH.LOCKED']);
    await expect(s.identity.signIn('lapse.one', PASSWORD, meta)).rejects.toMatchObject({ code: 'AUTH.LOCKED' });
  });

  it('cannot read a secret sealed under another signing secret, and says so (an administrator must reset the factor)', async () => {
    const { codes } = await enrolled('key.change');
    const rekeyed = servicesFor(suite.database, clock, { SECRET_KEY: 'another-deployment-secret-of-32-characters-or-more' });
    const out = await rekeyed.identity.signIn('key.change', PASSWORD, meta);
    const token = out.kind === 'second_factor' ? out.pendingToken : '';
    await expect(rekeyed.identity.completeSignIn(token, '123456', meta)).rejects.toMatchObject({ code: 'AUTH.SECOND_FACTOR_UNREADABLE' });
    // Recovery codes are keyed hashes under the same secret, so they are lost with it too: an administrator resets.
    await expect(rekeyed.identity.completeSignIn(token, codes[0]!, meta)).rejects.toMatchObject({ code: 'AUTH.CODE_INVALID' });
  });

  it('turns the factor off and renews recovery codes only with the right password', async () => {
    const { actor, codes } = await enrolled('off.one');
    await expect(s.secondFactor.disable(actor, 'wrong-password', meta)).rejects.toMatchObject({ code: 'AUTH.WRONG_PASSWORD' });
    const renewed = await s.secondFactor.renewRecoveryCodes(actor, PASSWORD, meta);
    expect(renewed).toHaveLength(10);
    expect(renewed).not.toContain(codes[0]);
    await s.secondFactor.disable(actor, PASSWORD, meta);
    expect((await s.identity.signIn('off.one', PASSWORD, meta)).kind).toBe('signed_in');
    const trail = (await s.audit.search({ targetId: 'off.one' }, { limit: 20 })).map((e) => e.action);
    expect(trail).toEqual(expect.arrayContaining(['user.second_factor_enable', 'user.recovery_codes_renew', 'user.second_factor_disable']));
  });
});
