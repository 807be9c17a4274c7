import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/db.js';
import { gbk } from '../../../test/gbk.js';
import { actorOf, initiator, servicesFor, type Services } from '../../../test/services.js';
import { FakeClock } from '../../kernel/clock.js';
import { SYSTEM } from '../../kernel/initiator.js';
import type { Actor } from './user.js';
import { totp, base32Decode } from './totp.rules.js';

const PASSWORD = 'Hanfeng-lake-2026';
const HANFENG = '500154001';
const WENFENG = '500154002';

describeEachEngine('people service', (suite) => {
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  let s: Services;
  let admin: Actor;
  let supervisor: Actor;
  let dispatcher: Actor;
  let gridWorker: Actor;
  let outsiderId: number;
  const enc = (text: string) => new TextEncoder().encode(text);

  beforeAll(async () => {
    s = servicesFor(suite.database, clock);
    const make = (username: string, unitCode: string, role: Parameters<Services['identity']['createUser']>[0]['posts'][number]['role']) =>
      s.identity.createUser({ username, displayName: username, password: PASSWORD, posts: [{ unitCode, role }] }, SYSTEM);
    await make('p.admin', '500154', 'admin');
    await make('p.supervisor', '500154', 'district_supervisor');
    await make('p.dispatcher', HANFENG, 'town_dispatcher');
    await make('p.grid', HANFENG, 'grid_worker');
    outsiderId = (await make('p.outsider', WENFENG, 'grid_worker')).id;
    admin = (await actorOf(s, 'p.admin', PASSWORD)).actor;
    supervisor = (await actorOf(s, 'p.supervisor', PASSWORD)).actor;
    dispatcher = (await actorOf(s, 'p.dispatcher', PASSWORD)).actor;
    gridWorker = (await actorOf(s, 'p.grid', PASSWORD)).actor;
    const unitCtx = { actor: admin, by: initiator(admin) };
    await s.organization.create(unitCtx, { code: 'PV-1', name: '人员测试村', kind: 'village', parentCode: HANFENG, sortOrder: 0 });
    await s.organization.create(unitCtx, { code: 'PG-1', name: '人员测试网格', kind: 'grid', subtype: 'comprehensive', parentCode: 'PV-1', sortOrder: 0 });
  });
  const ctx = (actor: Actor = admin) => ({ actor, by: initiator(actor) });
  const names = (list: { username: string }[]) => list.map((p) => p.username).filter((u) => u.startsWith('p.'));

  it('shows a town dispatcher only the people with posts in their town, filtering inside the query', async () => {
    expect(names((await s.people.search(dispatcher, {})).people).sort()).toEqual(['p.dispatcher', 'p.grid']);
    expect(names((await s.people.search(supervisor, {})).people)).toEqual(expect.arrayContaining(['p.admin', 'p.outsider', 'p.grid']));
    expect(names((await s.people.search(dispatcher, { text: 'outsider' })).people)).toEqual([]);
    expect(names((await s.people.search(supervisor, { text: 'OUTSIDER' })).people)).toEqual(['p.outsider']);
    expect(names((await s.people.search(supervisor, { unitCode: WENFENG })).people)).toEqual(['p.outsider']);
    await expect(s.people.get(dispatcher, outsiderId)).rejects.toMatchObject({ kind: 'NotFound', code: 'USER.NOT_FOUND' });
    expect(await s.people.get(supervisor, outsiderId)).toMatchObject({ username: 'p.outsider', manageable: false });
    await expect(s.people.search(gridWorker, {})).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
  });

  it('creates a volunteer who cannot sign in, with a grid team place, and refuses a team place outside a grid', async () => {
    const volunteer = await s.people.create(ctx(), { username: 'p.vol1', displayName: '王阿姨', phone: '13800001111', posts: [{ unitCode: 'PG-1', role: '群众', teamRole: '志愿者' }] });
    const detail = await s.people.get(admin, volunteer.id);
    expect(detail).toMatchObject({ hasPassword: false, phone: '13800001111', posts: [{ unitCode: 'PG-1', role: 'citizen', teamRole: 'volunteer' }] });
    await expect(s.identity.signIn('p.vol1', '', { ip: null, userAgent: null })).rejects.toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
    await expect(s.people.create(ctx(), { username: 'p.vol2', displayName: '李叔', posts: [{ unitCode: 'PV-1', role: 'citizen', teamRole: 'volunteer' }] })).rejects.toMatchObject({
      code: 'USER.TEAM_ROLE_NOT_GRID',
    });
    await expect(s.people.create(ctx(), { username: 'p.vol3', displayName: '李叔', posts: [{ unitCode: 'PG-1', role: '校长' }] })).rejects.toMatchObject({
      details: { fields: [{ code: 'USER.ROLE_UNKNOWN' }] },
    });
    await expect(s.people.create(ctx(dispatcher), { username: 'p.vol4', displayName: '李叔', posts: [{ unitCode: 'PG-1', role: 'grid_worker' }] })).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
    const [entry] = await s.audit.search({ action: 'user.create', targetId: 'p.vol1' }, { limit: 1 });
    expect(entry!.details).toMatchObject({ canSignIn: false, posts: [{ unitCode: 'PG-1', role: 'citizen', teamRole: 'volunteer' }] });
    expect(JSON.stringify(entry!.details)).not.toContain('13800001111');
  });

  it('disables an account, ending its sessions at once, and enables it again; never one’s own', async () => {
    const person = await s.identity.createUser({ username: 'p.leaving', displayName: '离岗', password: PASSWORD, posts: [{ unitCode: HANFENG, role: 'grid_worker' }] }, SYSTEM);
    const { token } = await actorOf(s, 'p.leaving', PASSWORD);
    await s.people.setDisabled(ctx(), person.id, true);
    expect((await s.identity.checkSession(token)).ok).toBe(false);
    await expect(s.identity.signIn('p.leaving', PASSWORD, { ip: null, userAgent: null })).rejects.toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
    expect(names((await s.people.search(admin, { text: 'leaving' })).people)).toEqual([]);
    expect(names((await s.people.search(admin, { text: 'leaving', includeDisabled: true })).people)).toEqual(['p.leaving']);
    await s.people.setDisabled(ctx(), person.id, false);
    expect((await s.identity.signIn('p.leaving', PASSWORD, { ip: null, userAgent: null })).kind).toBe('signed_in');
    await expect(s.people.setDisabled(ctx(), admin.userId, true)).rejects.toMatchObject({ code: 'USER.SELF_DISABLE' });
    const trail = (await s.audit.search({ targetId: 'p.leaving' }, { limit: 10 })).map((e) => e.action);
    expect(trail).toEqual(expect.arrayContaining(['user.disable', 'user.enable']));
  });

  it('gives and ends posts, refusing a duplicate, and the change shows in the person’s next request', async () => {
    const person = await s.identity.createUser({ username: 'p.posts', displayName: '岗位', password: PASSWORD, posts: [] }, SYSTEM);
    const { token } = await actorOf(s, 'p.posts', PASSWORD);
    await s.people.addPost(ctx(), person.id, { unitCode: 'PG-1', role: 'grid_worker', teamRole: 'full_time' });
    await expect(s.people.addPost(ctx(), person.id, { unitCode: 'PG-1', role: '网格员', teamRole: '专职网格员' })).rejects.toMatchObject({ code: 'USER.POST_EXISTS' });
    const actor = (await s.identity.resolveSession(token))!;
    expect(actor.posts).toEqual([expect.objectContaining({ unitCode: 'PG-1', role: 'grid_worker', teamRole: 'full_time' })]);
    const postId = actor.posts[0]!.id;
    await s.people.endPost(ctx(), person.id, postId);
    expect((await s.identity.resolveSession(token))!.posts).toEqual([]);
    expect((await s.people.get(admin, person.id)).endedPosts).toEqual([expect.objectContaining({ unitCode: 'PG-1', endedAt: clock.now() })]);
    await expect(s.people.endPost(ctx(), person.id, postId)).rejects.toMatchObject({ code: 'USER.POST_NOT_FOUND' });
    expect((await s.audit.search({ targetId: 'p.posts' }, { limit: 10 })).map((e) => e.action)).toEqual(expect.arrayContaining(['user.post_add', 'user.post_end']));
  });

  it('grants and revokes an explicit permission, audited, and only an administrator may', async () => {
    const target = (await s.people.search(admin, { text: 'p.grid' })).people[0]!;
    await expect(s.people.grant(ctx(dispatcher), target.id, 'reporter.identity.read')).rejects.toMatchObject({ kind: 'Forbidden', code: 'USER.GRANT_NOT_ALLOWED' });
    await expect(s.people.grant(ctx(), target.id, 'unit.manage')).rejects.toMatchObject({ code: 'USER.PERMISSION_UNKNOWN' });
    await s.people.grant(ctx(), target.id, 'reporter.identity.read');
    await s.people.grant(ctx(), target.id, 'reporter.identity.read'); // twice is once
    expect((await actorOf(s, 'p.grid', PASSWORD)).actor.grants).toEqual(['reporter.identity.read']);
    expect((await s.people.get(admin, target.id)).grants).toEqual([expect.objectContaining({ permission: 'reporter.identity.read', grantedBy: 'p.admin' })]);
    await s.people.revoke(ctx(), target.id, 'reporter.identity.read');
    expect((await actorOf(s, 'p.grid', PASSWORD)).actor.grants).toEqual([]);
    const trail = (await s.audit.search({ targetId: 'p.grid' }, { limit: 20 })).filter((e) => e.action === 'user.grant' || e.action === 'user.revoke');
    expect(trail.map((e) => [e.action, e.details.permission, e.actorLabel])).toEqual([
      ['user.revoke', 'reporter.identity.read', 'p.admin'],
      ['user.grant', 'reporter.identity.read', 'p.admin'],
    ]);
  });

  it('sets a new password (ending every session), refuses a weak one, lifts a lock and resets a second factor', async () => {
    const person = await s.identity.createUser({ username: 'p.reset', displayName: '重置', password: PASSWORD, posts: [{ unitCode: HANFENG, role: 'grid_worker' }] }, SYSTEM);
    const { actor, token } = await actorOf(s, 'p.reset', PASSWORD);
    await expect(s.people.setPassword(ctx(), person.id, 'p.reset-2026')).rejects.toMatchObject({ code: 'USER.WEAK_PASSWORD', details: { fields: [{ code: 'USER.PASSWORD_CONTAINS_USERNAME' }] } });
    await s.people.setPassword(ctx(), person.id, 'Kaizhou-river-88');
    expect((await s.identity.checkSession(token)).ok).toBe(false);
    expect((await s.identity.signIn('p.reset', 'Kaizhou-river-88', { ip: null, userAgent: null })).kind).toBe('signed_in');

    for (let i = 0; i < 5; i++) await s.identity.signIn('p.reset', `wrong-password-${i}`, { ip: null, userAgent: null }).catch(() => undefined);
    expect((await s.people.get(admin, person.id)).lockedUntil).toEqual(new Date(clock.now().getTime() + 15 * 60_000));
    expect((await s.people.activeLocks(admin)).map((l) => l.key)).toContain('p.reset');
    expect(await s.people.unlock(ctx(), person.id)).toBe(true);
    expect((await s.identity.signIn('p.reset', 'Kaizhou-river-88', { ip: null, userAgent: null })).kind).toBe('signed_in');

    const fresh = (await actorOf(s, 'p.reset', 'Kaizhou-river-88')).actor;
    const enrollment = await s.secondFactor.startEnrollment(fresh, '开州智治');
    await s.secondFactor.confirmEnrollment(fresh, totp(base32Decode(enrollment.secretText), clock.now()), initiator(fresh), undefined);
    expect((await s.identity.signIn('p.reset', 'Kaizhou-river-88', { ip: null, userAgent: null })).kind).toBe('second_factor');
    await s.people.resetSecondFactor(ctx(), person.id);
    expect((await s.identity.signIn('p.reset', 'Kaizhou-river-88', { ip: null, userAgent: null })).kind).toBe('signed_in');
    expect(actor.userId).toBe(person.id);
    const trail = (await s.audit.search({ targetId: 'p.reset' }, { limit: 50 })).map((e) => e.action);
    expect(trail).toEqual(expect.arrayContaining(['user.password_reset', 'user.unlock', 'user.second_factor_reset']));
  });

  it('imports a staff list: every bad row named by line, field and reason, and nothing written', async () => {
    const csv = [
      'username,display_name,phone,unit_code,role,team_role,password',
      'imp.ok1,张一,13900000001,PG-1,网格员,专职网格员,Hanfeng-lake-2026',
      'imp.bad-unit,张二,,NOPE,网格员,,',
      'imp.bad-role,张三,,PG-1,校长,,',
      'imp.ok1,张四,,PG-1,网格员,,',
      'p.grid,张五,,PG-1,网格员,,',
      'imp.weak,张六,,PG-1,网格员,,123',
      'imp.team,张七,,PV-1,网格员,网格长,',
      'x,,abc,,,,',
    ].join('\r\n');
    const err = (await s.people.importCsv(ctx(), enc(csv)).catch((e: unknown) => e)) as { code: string; details: { fields: { params: Record<string, unknown>; code: string }[] } };
    expect(err.code).toBe('CSV.ROWS_INVALID');
    expect(err.details.fields.map((f) => `${f.params.line}:${f.params.field}:${f.code}`)).toEqual([
      '3:unit_code:USER.UNIT_NOT_FOUND',
      '4:role:USER.ROLE_UNKNOWN',
      '5:username:CSV.DUPLICATE_USERNAME',
      '6:username:USER.USERNAME_TAKEN',
      '7:password:USER.PASSWORD_TOO_SHORT',
      '8:team_role:USER.TEAM_ROLE_NOT_GRID',
      '9:username:USER.USERNAME_INVALID',
      '9:display_name:field.required',
      '9:phone:USER.PHONE_INVALID',
    ]);
    expect(names((await s.people.search(admin, { text: 'imp.' })).people)).toEqual([]);
  });

  it('imports a GBK file with Chinese headings and role names, all at once, audited', async () => {
    const csv = ['用户名,姓名,电话,单位代码,角色,网格职务,密码', 'imp.gbk1,李小红,13900000002,PG-1,网格员,兼职网格员,Hanfeng-lake-2026', 'imp.gbk2,赵志愿,,PG-1,志愿者,志愿者,', 'imp.gbk3,钱无岗,,,,,'].join('\r\n');
    expect(await s.people.importCsv(ctx(), gbk(csv))).toEqual({ created: 3, withPassword: 1, posts: 2 });
    const found = (await s.people.search(admin, { text: 'imp.gbk' })).people;
    expect(found.map((p) => [p.username, p.displayName, p.posts.map((x) => `${x.role}/${x.teamRole}`).join()]).sort()).toEqual([
      ['imp.gbk1', '李小红', 'grid_worker/part_time'],
      ['imp.gbk2', '赵志愿', 'citizen/volunteer'],
      ['imp.gbk3', '钱无岗', ''],
    ]);
    expect((await s.identity.signIn('imp.gbk1', PASSWORD, { ip: null, userAgent: null })).kind).toBe('signed_in');
    const [entry] = await s.audit.search({ action: 'user.import' }, { limit: 1 });
    expect(entry!.details).toMatchObject({ created: 3, withPassword: 1, posts: 2, usernames: ['imp.gbk1', 'imp.gbk2', 'imp.gbk3'] });
  });

  it('turns two imports of the same name at once into one import and one refusal', async () => {
    const csv = enc('username,display_name\nimp.race,赛跑\n');
    const results = await Promise.allSettled([s.people.importCsv(ctx(), csv), servicesFor(suite.database, clock).people.importCsv(ctx(), csv)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as { code: string };
    expect(['CSV.ROWS_INVALID', 'USER.USERNAMES_TAKEN_MEANWHILE']).toContain(refused.code);
  });

  it('refuses a file that is not a staff list', async () => {
    await expect(s.people.importCsv(ctx(), enc('name,phone\n张,1\n'))).rejects.toMatchObject({ code: 'CSV.MISSING_COLUMNS', details: { params: { columns: 'username, display_name' } } });
    await expect(s.people.importCsv(ctx(), enc('username,display_name\n'))).rejects.toMatchObject({ code: 'CSV.EMPTY' });
    await expect(s.people.importCsv(ctx(), enc('username,display_name\n"a,b\n'))).rejects.toMatchObject({ code: 'CSV.SYNTAX' });
    await expect(s.people.importCsv(ctx(dispatcher), enc('username,display_name\nimp.x,某\n'))).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
  });
});
