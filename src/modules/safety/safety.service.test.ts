import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/db.js';
import { TEST_REPORTER_KEY, createSafetyPlatform, type Services } from '../../../test/safety.js';
import type { FakeClock } from '../../kernel/clock.js';
import { SYSTEM } from '../../kernel/initiator.js';
import { silentLogger } from '../../kernel/logger.js';
import type { Actor } from '../identity/index.js';
import { createReporterCipher } from './reporter-cipher.js';
import { reporterKeySource } from './reporter-key.js';
import { createSafetyService } from './safety.service.js';
import type { SafetyReportInput } from './safety.js';

const DAY = 86_400_000;
const citizen = { userId: null, label: 'citizen', ip: '203.0.113.50' };
const by = (a: Actor, ip = '10.1.2.3') => ({ userId: a.user.id, label: a.user.username, ip });

describeEachEngine('12350 work-safety reports', (suite) => {
  let s: Services;
  let clock: FakeClock;
  let supervisor: Actor;
  let officer: Actor;
  let admin: Actor;
  const actor = async (username: string) => (await s.identity.actorByUsername(username))!;

  beforeAll(async () => {
    ({ services: s, clock } = await createSafetyPlatform(suite.database));
    supervisor = await actor('supervisor');
    admin = await actor('admin');
    await s.identity.createUser({ username: 'yjj.officer', displayName: '应急管理局举报受理员', password: 'Yjj-officer-2026', posts: [{ unitCode: 'D-YJJ', role: 'department_handler' }] }, SYSTEM);
    officer = await actor('yjj.officer');
  });

  /** The district center files the report and dispatches it to 应急管理局, the officer's department. */
  const toYjj = async (incidentId: number) => {
    const yjj = (await s.organization.getUnitByCode('D-YJJ')).id;
    await s.incidents.act(incidentId, { action: 'file' }, supervisor, by(supervisor));
    await s.incidents.act(incidentId, { action: 'dispatch', leadUnitId: yjj }, supervisor, by(supervisor));
  };

  let n = 0;
  const report = (over: Partial<SafetyReportInput> = {}) =>
    s.safety.submit(
      {
        occurredAt: '2026-03-01T22:10',
        address: '汉丰街道滨湖路 88 号后院仓库',
        businessName: '开州某某化工有限公司',
        businessCreditCode: '91500234MA5U4XXX0J',
        businessAddress: '汉丰街道滨湖路 88 号',
        hazardKind: 'major_hazard',
        circumstances: '仓库内违规存放大量危险化学品，消防通道被货物堵死，夜间有人在库内吸烟。',
        anonymous: false,
        reporter: { name: '王秀英', phone: '13987654321', idNumber: '11010519491231002X', contact: 'wxy@example.cn' },
        idempotencyKey: `safety-test-${n++}`,
        ...over,
      },
      citizen,
    );

  it('accepts a report at once, with a receipt, a lookup code and a 60-natural-day handling clock', async () => {
    const { incident, lookupCode } = await report();
    expect(incident).toMatchObject({ channel: 'hotline_12350', state: 'accepted', requestType: 'report', level: 'district', isAnonymous: false });
    expect(lookupCode).toMatch(/^[2-9A-Z]{8}$/);
    expect(incident.handleDueAt!.getTime()).toBe(clock.now().getTime() + 60 * DAY);
    expect(await s.incidents.checkLookupCode(incident.number, lookupCode!)).toMatchObject({ id: incident.id });
    // The district center hears of it at once.
    expect((await s.notifications.inbox(supervisor.userId)).find((x) => x.incidentId === incident.id)).toMatchObject({ kind: 'incident.reported' });
  });

  it('stores the identity only as ciphertext: no column of any table holds the name, phone or ID number', async () => {
    const { incident } = await report({ reporter: { name: '赵明远', phone: '13611112222', idNumber: '11010519491231002X', contact: '开州区某某小区 3 栋' } });
    const db = suite.database.db;
    const dump = async (q: ReturnType<typeof sql<Record<string, unknown>>>) => JSON.stringify((await q.execute(db)).rows);
    const safetyRow = await dump(sql`select * from safety_reports where incident_id = ${incident.id}`);
    const incidentRow = await dump(sql`select * from incidents where id = ${incident.id}`);
    const events = await dump(sql`select * from incident_events where incident_id = ${incident.id}`);
    const audit = await dump(sql`select * from audit_log`);
    const outbox = await dump(sql`select * from notifications`);
    for (const text of [safetyRow, incidentRow, events, audit, outbox]) {
      for (const secret of ['赵明远', '13611112222', '11010519491231002X', '某某小区']) expect(text).not.toContain(secret);
    }
    const row = (await sql<{ identity_sealed: string; identity_key_id: string }>`select identity_sealed, identity_key_id from safety_reports where incident_id = ${incident.id}`.execute(db)).rows[0]!;
    expect(row.identity_sealed).toMatch(/^v1\./);
    // The round trip: the configured key opens it; another key, or the same ciphertext on another report, does not.
    const cipher = createReporterCipher(Buffer.from(TEST_REPORTER_KEY, 'base64'));
    expect(row.identity_key_id).toBe(cipher.keyId);
    expect(cipher.open(row.identity_sealed, row.identity_key_id, incident.id)).toEqual({ name: '赵明远', phone: '13611112222', idNumber: '11010519491231002X', contact: '开州区某某小区 3 栋' });
    expect(cipher.open(row.identity_sealed, row.identity_key_id, incident.id + 1)).toBeUndefined();
    expect(createReporterCipher(Buffer.alloc(32, 1)).open(row.identity_sealed, row.identity_key_id, incident.id)).toBeUndefined();
    // Two sealings of one identity differ (random IV).
    expect(cipher.seal({ name: 'a', phone: 'b', idNumber: null, contact: null }, 1)).not.toBe(cipher.seal({ name: 'a', phone: 'b', idNumber: null, contact: null }, 1));
  });

  it('shows the identity only to holders of the grant, auditing every viewing and every refusal with who, when and where', async () => {
    const { incident } = await report();
    await expect(s.safety.revealIdentity(incident.id, supervisor, by(supervisor, '10.9.8.7'))).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN', kind: 'Forbidden' });
    await expect(s.safety.revealIdentity(incident.id, admin, by(admin))).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
    // Only a district-wide administrator may grant it.
    await expect(s.people.grant({ actor: officer, by: by(officer) }, officer.userId, 'reporter.identity.read')).rejects.toMatchObject({ code: 'USER.GRANT_NOT_ALLOWED' });
    await s.people.grant({ actor: admin, by: by(admin) }, officer.userId, 'reporter.identity.read');
    officer = await actor('yjj.officer');
    // The grant counts within the holder's scope: not before the report reaches the officer's department.
    await expect(s.safety.revealIdentity(incident.id, officer, by(officer, '10.20.30.41'))).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
    await toYjj(incident.id);
    clock.advance(60_000);
    const identity = await s.safety.revealIdentity(incident.id, officer, by(officer, '10.20.30.40'));
    expect(identity).toEqual({ name: '王秀英', phone: '13987654321', idNumber: '11010519491231002X', contact: 'wxy@example.cn' });
    const refused = await s.audit.search({ action: 'safety.identity_refused', targetId: incident.number }, { limit: 10 });
    expect(refused.map((r) => [r.actorLabel, r.ip])).toEqual(expect.arrayContaining([['supervisor', '10.9.8.7'], ['admin', '10.1.2.3']]));
    const read = await s.audit.search({ action: 'safety.identity_read', targetId: incident.number }, { limit: 10 });
    expect(read).toHaveLength(1);
    expect(read[0]).toMatchObject({ actorLabel: 'yjj.officer', ip: '10.20.30.40', targetType: 'incident', targetId: incident.number, at: clock.now() });
    // An anonymous report has no identity to show, and the look is still recorded.
    const anonymous = await report({ anonymous: true, reporter: null });
    await toYjj(anonymous.incident.id);
    expect(await s.safety.revealIdentity(anonymous.incident.id, officer, by(officer))).toBeNull();
    expect(await s.audit.search({ action: 'safety.identity_read', targetId: anonymous.incident.number }, { limit: 10 })).toHaveLength(1);
  });

  it('never publishes a 12350 report among the letters, even once answered', async () => {
    const { incident } = await report();
    await s.incidents.act(incident.id, { action: 'answer', reply: '已转应急管理局核查处理。' }, supervisor, by(supervisor));
    await expect(s.incidents.publishReply(incident.id, supervisor, by(supervisor))).rejects.toMatchObject({ kind: 'Conflict', code: 'INCIDENT.NOT_A_LETTER' });
  });

  it('says which key is missing when the identity was sealed under a key no longer configured', async () => {
    const { incident } = await report();
    await toYjj(incident.id);
    const granted = await actor('yjj.officer');
    const otherKey = createSafetyService({
      database: suite.database,
      clock,
      audit: s.audit,
      incidents: s.incidents,
      keys: reporterKeySource({ key: Buffer.alloc(32, 9).toString('base64'), logger: silentLogger }),
      categoryId: async () => null,
    });
    await expect(otherKey.revealIdentity(incident.id, granted, by(granted))).rejects.toMatchObject({ kind: 'Unavailable', code: 'SAFETY.KEY_UNAVAILABLE' });
  });

  it('never lets a 12350 reporter identity onto the incident row by another way in (the JSON API, staff intake)', async () => {
    await expect(
      s.incidents.report({ channel: 'hotline_12350', description: '某厂违规生产', reporter: { name: '钱七', phone: '13800001234' } }, citizen),
    ).rejects.toMatchObject({ kind: 'Invalid', details: { fields: [{ path: 'reporter', code: 'INCIDENT.IDENTITY_SEALED' }] } });
  });

  it('refuses clearly when no key is configured on PostgreSQL, storing nothing', async () => {
    const noKey = createSafetyService({ database: suite.database, clock, audit: s.audit, incidents: s.incidents, keys: reporterKeySource({ logger: silentLogger }), categoryId: async () => null });
    expect(await noKey.available()).toBe(false);
    const before = (await sql<{ n: number }>`select count(*)::int as n from incidents`.execute(suite.database.db)).rows[0]!.n;
    await expect(
      noKey.submit({ address: '某地', businessName: '某厂', hazardKind: 'other', circumstances: '某事', anonymous: true }, citizen),
    ).rejects.toMatchObject({ kind: 'Unavailable', code: 'SAFETY.NO_REPORTER_KEY' });
    expect((await sql<{ n: number }>`select count(*)::int as n from incidents`.execute(suite.database.db)).rows[0]!.n).toBe(before);
  });

  it('refuses bad input field by field and creates one report for a double submission', async () => {
    await expect(report({ businessCreditCode: '91500234MA5U4XXX0K', circumstances: '险'.repeat(4001) })).rejects.toMatchObject({
      kind: 'Invalid',
      details: { fields: [{ path: 'businessCreditCode', code: 'SAFETY.CREDIT_CODE_INVALID' }, { path: 'circumstances', code: 'field.tooLong' }] },
    });
    const [a, b] = await Promise.all([report({ idempotencyKey: 'double-1' }), report({ idempotencyKey: 'double-1' })]);
    expect(a.incident.id).toBe(b.incident.id);
    const rows = (await sql<{ n: number }>`select count(*)::int as n from safety_reports where incident_id = ${a.incident.id}`.execute(suite.database.db)).rows[0]!.n;
    expect(rows).toBe(1);
  });

  it('allows one extension of at most 30 days on the 60-day clock, and refuses a second', async () => {
    const { incident } = await report();
    const handler = await actor('handler');
    const cgj = (await s.organization.getUnitByCode('D-CGJ')).id;
    await s.incidents.act(incident.id, { action: 'file' }, supervisor, by(supervisor));
    await s.incidents.act(incident.id, { action: 'dispatch', leadUnitId: cgj }, supervisor, by(supervisor));
    const signed = await s.incidents.act(incident.id, { action: 'sign' }, handler, by(handler));
    expect(signed.handleDueAt).toEqual(incident.handleDueAt);
    await expect(s.incidents.act(incident.id, { action: 'request_extension', reason: '需第三方检测', extra: { amount: 31, unit: 'natural_days' } }, handler, by(handler))).rejects.toMatchObject({ code: 'INCIDENT.EXTENSION_TOO_LONG' });
    await s.incidents.act(incident.id, { action: 'request_extension', reason: '需第三方检测', extra: { amount: 30, unit: 'natural_days' } }, handler, by(handler));
    const extended = await s.incidents.act(incident.id, { action: 'approve_extension' }, supervisor, by(supervisor));
    expect(extended.handleDueAt!.getTime()).toBe(incident.handleDueAt!.getTime() + 30 * DAY);
    await expect(s.incidents.act(incident.id, { action: 'request_extension', reason: '仍需时间', extra: { amount: 1, unit: 'natural_days' } }, handler, by(handler))).rejects.toMatchObject({
      code: 'INCIDENT.EXTENSION_LIMIT_REACHED',
    });
  });

  it('keeps reward eligibility with the earliest real-name report through merges and rejections', async () => {
    const flag = async (id: number) => (await sql<{ reward_eligible: boolean; eligibility_reason: string }>`select reward_eligible, eligibility_reason from safety_reports where incident_id = ${id}`.execute(suite.database.db)).rows[0];
    const anonymous = await report({ anonymous: true, reporter: null });
    clock.advance(60_000);
    const first = await report();
    clock.advance(60_000);
    const second = await report({ reporter: { name: '陈刚', phone: '13700001111' } });
    expect(await flag(anonymous.incident.id)).toEqual({ reward_eligible: false, eligibility_reason: 'anonymous' });
    expect(await flag(first.incident.id)).toEqual({ reward_eligible: true, eligibility_reason: 'eligible' });
    expect(await flag(second.incident.id)).toEqual({ reward_eligible: true, eligibility_reason: 'eligible' });
    // The earlier report is merged into the later one: the earlier keeps eligibility, the survivor loses it.
    await s.incidents.act(first.incident.id, { action: 'merge', targetIncidentId: second.incident.id }, supervisor, by(supervisor));
    await s.incidents.act(anonymous.incident.id, { action: 'merge', targetIncidentId: second.incident.id }, supervisor, by(supervisor));
    expect(await flag(first.incident.id)).toEqual({ reward_eligible: true, eligibility_reason: 'eligible' });
    expect(await flag(second.incident.id)).toEqual({ reward_eligible: false, eligibility_reason: 'not_first' });
    expect(await flag(anonymous.incident.id)).toEqual({ reward_eligible: false, eligibility_reason: 'anonymous' });
    expect(await s.audit.search({ action: 'safety.eligibility', targetId: String(second.incident.id) }, { limit: 5 })).toHaveLength(1);
    // The surviving report is rejected: the matter has no valid report left.
    await s.incidents.act(second.incident.id, { action: 'reject', reason: '经核查不属实' }, supervisor, by(supervisor));
    expect(await flag(first.incident.id)).toEqual({ reward_eligible: false, eligibility_reason: 'invalid' });
    expect(await flag(second.incident.id)).toEqual({ reward_eligible: false, eligibility_reason: 'invalid' });
    // A lone real-name report that is rejected loses eligibility too.
    const lone = await report();
    await s.incidents.act(lone.incident.id, { action: 'reject', reason: '不属于安全生产举报范围' }, supervisor, by(supervisor));
    expect(await flag(lone.incident.id)).toEqual({ reward_eligible: false, eligibility_reason: 'invalid' });
  });
});
