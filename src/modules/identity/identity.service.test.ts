import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/db.js';
import { FakeClock } from '../../kernel/clock.js';
import { SYSTEM } from '../../kernel/initiator.js';
import { createAuditService } from '../audit/index.js';
import { createIdentityService, SESSION_LIFETIME_MS } from './identity.service.js';

describeEachEngine('identity service', (suite) => {
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  const identity = () => createIdentityService(suite.database, clock, createAuditService(suite.database, clock));
  const meta = { ip: '10.0.0.1', userAgent: 'test' };

  it('creates a staff account with a post in a town and signs it in', async () => {
    const user = await identity().createUser({
      username: 'zhang.wei',
      displayName: '张伟',
      password: 'Hanfeng-lake-2026',
      posts: [{ unitCode: '500154001', role: 'town_dispatcher' }],
    }, SYSTEM);
    expect(user.username).toBe('zhang.wei');
    expect((await identity().authenticate('ZHANG.WEI', 'Hanfeng-lake-2026')).id).toBe(user.id);
    await expect(identity().authenticate('zhang.wei', 'wrong-password-1')).rejects.toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
    await expect(identity().authenticate('nobody', 'Hanfeng-lake-2026')).rejects.toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
  });

  it('refuses a weak password, a bad user name and an unknown unit, writing nothing', async () => {
    const err = await identity()
      .createUser({ username: 'x', displayName: ' ', password: '123', posts: [] }, SYSTEM)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'Invalid' });
    expect((err as { details: { fields: { path: string }[] } }).details.fields.map((f) => f.path)).toEqual(['username', 'displayName', 'password']);
    await expect(
      identity().createUser({ username: 'li.na', displayName: '李娜', password: 'Hanfeng-lake-2026', posts: [{ unitCode: '999', role: 'grid_worker' }] }, SYSTEM),
    ).rejects.toMatchObject({ code: 'USER.UNIT_NOT_FOUND' });
    await expect(identity().authenticate('li.na', 'Hanfeng-lake-2026')).rejects.toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
  });

  it('refuses a taken user name regardless of case', async () => {
    await identity().createUser({ username: 'wang.fang', displayName: '王芳', password: 'Hanfeng-lake-2026', posts: [] }, SYSTEM);
    await expect(identity().createUser({ username: 'Wang.Fang', displayName: '王芳', password: 'Hanfeng-lake-2026', posts: [] }, SYSTEM)).rejects.toMatchObject({
      kind: 'Conflict',
      code: 'USER.USERNAME_TAKEN',
    });
  });

  it('turns two simultaneous creations of one user name into one account and one conflict', async () => {
    const make = () => identity().createUser({ username: 'zhou.min', displayName: '周敏', password: 'Hanfeng-lake-2026', posts: [] }, SYSTEM);
    const results = await Promise.allSettled([make(), make()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ kind: 'Conflict', code: 'USER.USERNAME_TAKEN' });
  });

  it('resolves a session to its actor and posts until it expires, then purges it', async () => {
    const user = await identity().createUser({
      username: 'chen.jing',
      displayName: '陈静',
      password: 'Hanfeng-lake-2026',
      posts: [{ unitCode: '500154002', role: 'grid_worker' }],
    }, SYSTEM);
    const { token } = await identity().signIn('chen.jing', 'Hanfeng-lake-2026', meta);
    const actor = await identity().resolveSession(token);
    expect(actor?.user.id).toBe(user.id);
    expect(actor?.posts).toEqual([expect.objectContaining({ unitCode: '500154002', unitName: '文峰街道', role: 'grid_worker' })]);
    expect(await identity().resolveSession('forged-token')).toBeUndefined();
    clock.advance(SESSION_LIFETIME_MS + 1000);
    expect(await identity().resolveSession(token)).toBeUndefined();
    expect(await identity().purgeExpiredSessions()).toBeGreaterThanOrEqual(1);
  });
});
