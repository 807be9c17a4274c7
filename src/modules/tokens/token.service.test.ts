import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/db.js';
import { actorOf, initiator, servicesFor, type Services } from '../../../test/services.js';
import { FakeClock } from '../../kernel/clock.js';
import { SYSTEM } from '../../kernel/initiator.js';
import { can } from '../access/index.js';
import type { Actor } from '../identity/index.js';

const PASSWORD = 'Hanfeng-lake-2026';

describeEachEngine('token service', (suite) => {
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  let s: Services;
  let admin: Actor;
  let dispatcher: Actor;
  beforeAll(async () => {
    s = servicesFor(suite.database, clock);
    await s.identity.createUser({ username: 'tok.admin', displayName: '管理员', password: PASSWORD, posts: [{ unitCode: '500154', role: 'admin' }] }, SYSTEM);
    await s.identity.createUser({ username: 'tok.dispatcher', displayName: '调度员', password: PASSWORD, posts: [{ unitCode: '500154001', role: 'town_dispatcher' }] }, SYSTEM);
    admin = (await actorOf(s, 'tok.admin', PASSWORD)).actor;
    dispatcher = (await actorOf(s, 'tok.dispatcher', PASSWORD)).actor;
  });
  const ctx = () => ({ actor: admin, by: initiator(admin) });

  it('stores only the SHA-256 of a secret that starts with zz_, and gives the machine exactly its actions and scope', async () => {
    const { token, secret } = await s.tokens.issue(ctx(), { name: '汉丰事件只读', actions: ['incident.read'], scopeUnitCode: '500154001' });
    expect(secret).toMatch(/^zz_[A-Za-z0-9_-]{43}$/);
    const { rows } = await sql<{ token_hash: string }>`select token_hash from api_tokens where id = ${token.id}`.execute(suite.database.db);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.token_hash).not.toContain(secret.slice(3, 20));
    const machine = await s.tokens.authenticate(secret);
    const town = await s.organization.getUnitByCode('500154001');
    const other = await s.organization.getUnitByCode('500154002');
    expect(machine.machine).toEqual({ actions: ['incident.read'], scopePath: town.path });
    expect(can(machine, 'incident.read', { areaPath: `${town.path}99/` })).toBe(true);
    expect(can(machine, 'incident.read', { areaPath: other.path })).toBe(false);
    expect(can(machine, 'incident.handle', { areaPath: town.path })).toBe(false);
  });

  it('lets only those who manage tokens issue them', async () => {
    await expect(s.tokens.issue({ actor: dispatcher, by: initiator(dispatcher) }, { name: '调度员的令牌', actions: ['incident.read'], scopeUnitCode: '500154001' })).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
    await expect(s.tokens.list(dispatcher)).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
  });

  it('keeps live names unique, and frees a name when its token is revoked', async () => {
    const first = await s.tokens.issue(ctx(), { name: 'Open311 客户端', actions: ['open311.submit'] });
    await expect(s.tokens.issue(ctx(), { name: 'open311 客户端', actions: ['open311.submit'] })).rejects.toMatchObject({ kind: 'Conflict', code: 'TOKEN.NAME_TAKEN' });
    await s.tokens.revoke(ctx(), first.token.id);
    await s.tokens.revoke(ctx(), first.token.id); // twice is once
    expect((await s.audit.search({ action: 'token.revoke', targetId: String(first.token.id) }, { limit: 5 })).length).toBe(1);
    await expect(s.tokens.authenticate(first.secret)).rejects.toMatchObject({ kind: 'Unauthenticated', code: 'TOKEN.REVOKED' });
    expect((await s.tokens.issue(ctx(), { name: 'Open311 客户端', actions: ['open311.submit'] })).token.name).toBe('Open311 客户端');
    expect((await s.tokens.list(admin)).some((t) => t.id === first.token.id)).toBe(false);
    expect((await s.tokens.list(admin, { includeRevoked: true })).find((t) => t.id === first.token.id)).toMatchObject({ revokedBy: 'tok.admin' });
  });

  it('validates days to expiry and expires the token then', async () => {
    await expect(s.tokens.issue(ctx(), { name: '坏期限', actions: ['incident.read'], expiresInDays: 0 })).rejects.toMatchObject({ details: { fields: [{ code: 'TOKEN.EXPIRY_INVALID' }] } });
    const { secret } = await s.tokens.issue(ctx(), { name: '七天', actions: ['incident.read'], expiresInDays: 7 });
    clock.advance(7 * 86_400_000 - 1000);
    await expect(s.tokens.authenticate(secret)).resolves.toBeDefined();
    clock.advance(1000);
    await expect(s.tokens.authenticate(secret)).rejects.toMatchObject({ code: 'TOKEN.EXPIRED' });
  });

  it('records when a token was last used, at most once a minute', async () => {
    const { token, secret } = await s.tokens.issue(ctx(), { name: '网关', actions: ['telemetry.ingest'], scopeUnitCode: '500154001' });
    const lastUsed = async () => (await s.tokens.list(admin)).find((t) => t.id === token.id)!.lastUsedAt?.getTime();
    await s.tokens.authenticate(secret);
    const first = await lastUsed();
    expect(first).toBe(clock.now().getTime());
    clock.advance(30_000);
    await s.tokens.authenticate(secret);
    expect(await lastUsed()).toBe(first);
    clock.advance(30_000);
    await s.tokens.authenticate(secret);
    expect(await lastUsed()).toBe(clock.now().getTime());
  });

  it('follows its unit when the unit moves: the scope is the unit, not a copied path', async () => {
    const org = s.organization;
    const unitCtx = { actor: admin, by: initiator(admin) };
    const village = await org.create(unitCtx, { code: 'TOK-V1', name: '令牌村', kind: 'village', parentCode: '500154001', sortOrder: 0 });
    const { secret } = await s.tokens.issue(ctx(), { name: '村网关', actions: ['telemetry.ingest'], scopeUnitCode: 'TOK-V1' });
    await org.move(unitCtx, village.id, (await org.getUnitByCode('500154002')).id);
    const moved = await org.getUnitByCode('TOK-V1');
    expect((await s.tokens.authenticate(secret)).machine.scopePath).toBe(moved.path);
  });

  it('seeds the demo Open311 key once, audited, and keeps it revoked when an administrator revoked it', async () => {
    expect(await s.tokens.seedDemoToken()).toBe(true);
    expect(await s.tokens.seedDemoToken()).toBe(false);
    const demo = (await s.tokens.list(admin)).find((t) => t.isDemo)!;
    expect(demo).toMatchObject({ displayPrefix: 'demo-key', actions: ['open311.submit'], scopeUnit: null, issuedBy: null });
    await s.tokens.revoke(ctx(), demo.id);
    expect(await s.tokens.seedDemoToken()).toBe(false);
    await expect(s.tokens.authenticate('demo-key')).rejects.toMatchObject({ code: 'TOKEN.REVOKED' });
  });
});
