import { beforeAll, expect, it } from 'vitest';
import { servicesFor, type Services } from '../../../test/services.js';
import { describeEachEngine } from '../../../test/db.js';
import { FakeClock } from '../../kernel/clock.js';
import { SYSTEM } from '../../kernel/initiator.js';
import { SESSION_IDLE_MS, SESSION_LIFETIME_MS, type SignInOutcome } from './identity.service.js';

const PASSWORD = 'Hanfeng-lake-2026';
const MIN = 60_000;

describeEachEngine('identity service', (suite) => {
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  let s: Services;
  beforeAll(() => {
    s = servicesFor(suite.database, clock);
  });
  const meta = (ip: string | null = '10.0.0.1') => ({ ip, userAgent: 'test' });
  const signedIn = (o: SignInOutcome) => {
    if (o.kind !== 'signed_in') throw new Error('expected a session');
    return o;
  };
  const make = (username: string, unitCode = '500154001') =>
    s.identity.createUser({ username, displayName: username, password: PASSWORD, posts: [{ unitCode, role: 'town_dispatcher' }] }, SYSTEM);
  const auditCount = async (action: string, targetId: string) => (await s.audit.search({ action, targetId }, { limit: 1000 })).filter((r) => r.action === action && r.targetId === targetId).length;

  it('creates a staff account with a post in a town and signs it in, by any case of the name', async () => {
    const user = await s.identity.createUser({ username: 'zhang.wei', displayName: '张伟', password: PASSWORD, posts: [{ unitCode: '500154001', role: 'town_dispatcher' }] }, SYSTEM);
    expect(user.username).toBe('zhang.wei');
    expect(signedIn(await s.identity.signIn('ZHANG.WEI', PASSWORD, meta())).user.id).toBe(user.id);
    await expect(s.identity.signIn('zhang.wei', 'wrong-password-1', meta())).rejects.toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
    await expect(s.identity.signIn('nobody', PASSWORD, meta())).rejects.toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
  });

  it('refuses a weak password, a bad user name and an unknown unit, writing nothing', async () => {
    const err = await s.identity.createUser({ username: 'x', displayName: ' ', password: '123', posts: [] }, SYSTEM).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'Invalid' });
    expect((err as { details: { fields: { path: string }[] } }).details.fields.map((f) => f.path)).toEqual(['username', 'displayName', 'password']);
    await expect(
      s.identity.createUser({ username: 'li.na', displayName: '李娜', password: PASSWORD, posts: [{ unitCode: '999', role: 'grid_worker' }] }, SYSTEM),
    ).rejects.toMatchObject({ code: 'USER.UNIT_NOT_FOUND' });
    await expect(s.identity.signIn('li.na', PASSWORD, meta('10.9.9.9'))).rejects.toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
  });

  it('refuses a taken user name regardless of case', async () => {
    await s.identity.createUser({ username: 'wang.fang', displayName: '王芳', password: PASSWORD, posts: [] }, SYSTEM);
    await expect(s.identity.createUser({ username: 'Wang.Fang', displayName: '王芳', password: PASSWORD, posts: [] }, SYSTEM)).rejects.toMatchObject({
      kind: 'Conflict',
      code: 'USER.USERNAME_TAKEN',
    });
  });

  it('turns two simultaneous creations of one user name into one account and one conflict', async () => {
    const create = () => s.identity.createUser({ username: 'zhou.min', displayName: '周敏', password: PASSWORD, posts: [] }, SYSTEM);
    const results = await Promise.allSettled([create(), create()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ kind: 'Conflict', code: 'USER.USERNAME_TAKEN' });
  });

  it('creates a person without a password, who exists but cannot sign in', async () => {
    const volunteer = await s.identity.createUser({ username: 'vol-chen', displayName: '陈阿姨', posts: [] }, SYSTEM);
    expect(volunteer.id).toBeGreaterThan(0);
    await expect(s.identity.signIn('vol-chen', '', meta('10.9.9.8'))).rejects.toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
    await expect(s.identity.signIn('vol-chen', PASSWORD, meta('10.9.9.8'))).rejects.toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
  });

  it('resolves a session to its actor and posts, then ends it after 2 hours without a request', async () => {
    await s.identity.createUser({ username: 'chen.jing', displayName: '陈静', password: PASSWORD, posts: [{ unitCode: '500154002', role: 'grid_worker' }] }, SYSTEM);
    const { token } = signedIn(await s.identity.signIn('chen.jing', PASSWORD, meta()));
    const actor = await s.identity.resolveSession(token);
    expect(actor?.posts).toEqual([expect.objectContaining({ unitCode: '500154002', unitName: '文峰街道', role: 'grid_worker' })]);
    clock.advance(SESSION_IDLE_MS - 10 * MIN);
    expect((await s.identity.checkSession(token)).ok).toBe(true); // a request: last seen moves forward
    clock.advance(SESSION_IDLE_MS - MIN);
    expect((await s.identity.checkSession(token)).ok).toBe(true);
    clock.advance(SESSION_IDLE_MS);
    expect(await s.identity.checkSession(token)).toEqual({ ok: false, ended: 'idle' });
    // Ended sessions are deleted on sight: the same cookie again is simply unknown.
    expect(await s.identity.checkSession(token)).toEqual({ ok: false, ended: 'invalid' });
    expect(await s.identity.checkSession('forged-token')).toEqual({ ok: false, ended: 'invalid' });
  });

  it('ends an active session 12 hours after sign-in, however busy, and purges ended ones', async () => {
    await make('gao.yang');
    const { token } = signedIn(await s.identity.signIn('gao.yang', PASSWORD, meta()));
    const other = signedIn(await s.identity.signIn('gao.yang', PASSWORD, meta()));
    for (let elapsed = 0; elapsed < SESSION_LIFETIME_MS - 60 * MIN; elapsed += 60 * MIN) {
      clock.advance(60 * MIN);
      expect((await s.identity.checkSession(token)).ok).toBe(true);
    }
    clock.advance(60 * MIN);
    expect(await s.identity.checkSession(token)).toEqual({ ok: false, ended: 'expired' });
    expect(await s.identity.purgeExpiredSessions()).toBeGreaterThanOrEqual(1);
    expect(await s.identity.checkSession(other.token)).toEqual({ ok: false, ended: 'invalid' });
  });

  it('locks an account for 15 minutes after 5 wrong passwords, with the time to try again, even for the right password', async () => {
    await make('li.lei');
    clock.set('2026-03-05T10:00:00+08:00');
    for (let i = 0; i < 4; i++) await expect(s.identity.signIn('li.lei', `wrong-password-${i}`, meta(`10.1.0.${i}`))).rejects.toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
    const fifth = await s.identity.signIn('Li.Lei', 'wrong-password-5', meta('10.1.0.5')).catch((e: unknown) => e);
    expect(fifth).toMatchObject({ kind: 'TooManyRequests', code: 'AUTH.LOCKED', details: { params: { minutes: 15 } } });
    const locked = await s.identity.signIn('li.lei', PASSWORD, meta('10.1.0.6')).catch((e: unknown) => e);
    expect(locked).toMatchObject({ code: 'AUTH.LOCKED', details: { params: { minutes: 15, time: '10:15' } } });
    expect(await auditCount('auth.sign_in_failed', 'li.lei')).toBe(5);
    expect(await auditCount('auth.locked', 'li.lei')).toBe(1);
    clock.advance(14 * MIN);
    await expect(s.identity.signIn('li.lei', PASSWORD, meta())).rejects.toMatchObject({ code: 'AUTH.LOCKED', details: { params: { minutes: 1 } } });
    clock.advance(MIN);
    expect(signedIn(await s.identity.signIn('li.lei', PASSWORD, meta())).user.username).toBe('li.lei');
    // A success clears the count: four more failures do not lock.
    for (let i = 0; i < 4; i++) await expect(s.identity.signIn('li.lei', `wrong-password-${i}`, meta())).rejects.toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
  });

  it('answers an unknown name exactly as a real one, lock included (no account enumeration)', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push(((await s.identity.signIn('no.such.person', PASSWORD, meta(`10.2.0.${i}`)).catch((e: unknown) => e)) as { code: string }).code);
    expect(answers).toEqual(['AUTH.INVALID_CREDENTIALS', 'AUTH.INVALID_CREDENTIALS', 'AUTH.INVALID_CREDENTIALS', 'AUTH.INVALID_CREDENTIALS', 'AUTH.LOCKED', 'AUTH.LOCKED']);
  });

  it('locks a client address that sprays one password across 30 names, leaving other addresses alone', async () => {
    await make('spray.target');
    for (let i = 0; i < 29; i++) await expect(s.identity.signIn(`guess-${i}`, 'Spring2026!!', meta('10.66.0.1'))).rejects.toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
    await expect(s.identity.signIn('guess-29', 'Spring2026!!', meta('10.66.0.1'))).rejects.toMatchObject({ code: 'AUTH.LOCKED' });
    await expect(s.identity.signIn('spray.target', PASSWORD, meta('10.66.0.1'))).rejects.toMatchObject({ code: 'AUTH.LOCKED' });
    expect(signedIn(await s.identity.signIn('spray.target', PASSWORD, meta('10.66.0.2'))).user.username).toBe('spray.target');
    expect(await auditCount('auth.locked', '10.66.0.1')).toBe(1);
  });

  it('counts parallel failed sign-ins from two processes exactly: four refusals, then one lock', async () => {
    await make('he.ping');
    const other = servicesFor(suite.database, clock); // a second process's services over the same database
    const attempts = Array.from({ length: 8 }, (_, i) => (i % 2 ? s : other).identity.signIn('he.ping', `wrong-password-${i}`, meta(`10.3.0.${i}`)));
    const codes = (await Promise.allSettled(attempts)).map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'signed in'));
    // Whatever the interleaving, the first four counted failures answer "wrong password" and the fifth starts
    // the lock; a lost update (two attempts reading the same count) would let a fifth "wrong password" through.
    expect(codes.filter((c) => c === 'AUTH.INVALID_CREDENTIALS')).toHaveLength(4);
    expect(codes.filter((c) => c === 'AUTH.LOCKED')).toHaveLength(4);
    expect(await auditCount('auth.locked', 'he.ping')).toBe(1);
    // Attempts that found the lock already in force were refused before their password was checked.
    const failures = await auditCount('auth.sign_in_failed', 'he.ping');
    expect(failures).toBeGreaterThanOrEqual(5);
    expect(failures).toBeLessThanOrEqual(8);
    await expect(s.identity.signIn('he.ping', PASSWORD, meta())).rejects.toMatchObject({ code: 'AUTH.LOCKED' });
    expect((await s.audit.verify()).ok).toBe(true);
  });

  it('signs out everywhere: every session of the person ends, and it is audited', async () => {
    await make('sun.li');
    const a = signedIn(await s.identity.signIn('sun.li', PASSWORD, meta()));
    const b = signedIn(await s.identity.signIn('sun.li', PASSWORD, meta('10.4.0.2')));
    const actor = (await s.identity.resolveSession(a.token))!;
    expect((await s.identity.listSessions(actor.userId, a.token)).map((x) => x.current).sort()).toEqual([false, true]);
    expect(await s.identity.signOutEverywhere(actor, { userId: actor.userId, label: 'sun.li', ip: null })).toBe(2);
    expect((await s.identity.checkSession(a.token)).ok).toBe(false);
    expect((await s.identity.checkSession(b.token)).ok).toBe(false);
    expect(await auditCount('auth.sign_out_everywhere', 'sun.li')).toBe(1);
  });

  it('changes a password: the old one is checked and counted, the new one must be strong, every other session ends', async () => {
    await make('zhao.lin');
    const a = signedIn(await s.identity.signIn('zhao.lin', PASSWORD, meta()));
    const b = signedIn(await s.identity.signIn('zhao.lin', PASSWORD, meta('10.5.0.2')));
    const actor = (await s.identity.resolveSession(a.token))!;
    await expect(s.identity.changePassword(actor, { currentPassword: 'not-the-password', newPassword: 'Kaizhou-river-77' }, meta())).rejects.toMatchObject({
      code: 'AUTH.WRONG_PASSWORD',
      details: { fields: [{ path: 'currentPassword' }] },
    });
    expect(await auditCount('auth.sign_in_failed', 'zhao.lin')).toBe(1);
    await expect(s.identity.changePassword(actor, { currentPassword: PASSWORD, newPassword: 'short' }, meta())).rejects.toMatchObject({
      code: 'USER.WEAK_PASSWORD',
      details: { fields: [{ path: 'newPassword' }] },
    });
    await expect(s.identity.changePassword(actor, { currentPassword: PASSWORD, newPassword: PASSWORD }, meta())).rejects.toMatchObject({ code: 'USER.PASSWORD_UNCHANGED' });
    const changed = await s.identity.changePassword(actor, { currentPassword: PASSWORD, newPassword: 'Kaizhou-river-77' }, meta());
    expect((await s.identity.checkSession(a.token)).ok).toBe(false);
    expect((await s.identity.checkSession(b.token)).ok).toBe(false);
    expect((await s.identity.checkSession(changed.token)).ok).toBe(true);
    await expect(s.identity.signIn('zhao.lin', PASSWORD, meta())).rejects.toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
    expect(signedIn(await s.identity.signIn('zhao.lin', 'Kaizhou-river-77', meta())).user.username).toBe('zhao.lin');
    expect(await auditCount('user.password_change', 'zhao.lin')).toBe(1);
  });
});
