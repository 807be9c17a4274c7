import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/db.js';
import { by, createCaseFlow, type CaseFlow } from '../../../test/incidents.js';
import { SYSTEM } from '../../kernel/initiator.js';
import type { Actor } from '../identity/index.js';

const HOUR = 3600_000;

describeEachEngine('case flow service', (suite) => {
  let f: CaseFlow;
  let dispatcher: Actor;
  let handler: Actor;
  let supervisor: Actor;
  let otherTown: Actor;
  let hanfeng: number;
  let cgj: number;
  beforeAll(async () => {
    f = await createCaseFlow(suite.database);
    dispatcher = await f.actor('dispatcher');
    handler = await f.actor('handler');
    supervisor = await f.actor('supervisor');
    await f.services.identity.createUser({ username: 'dade.dispatch', displayName: '大德镇调度员', password: 'Dade-dispatch-2026', posts: [{ unitCode: '500154100', role: 'town_dispatcher' }] }, SYSTEM);
    otherTown = await f.actor('dade.dispatch');
    hanfeng = (await f.services.organization.getUnitByCode('500154001')).id;
    cgj = (await f.services.organization.getUnitByCode('D-CGJ')).id;
  });

  const category = async (code: string) => (await f.services.catalog.getByCode(code)).id;
  const citizenReport = async (over: Partial<Parameters<CaseFlow['incidents']['report']>[0]> = {}) =>
    f.incidents.report(
      { channel: 'web', requestType: 'complaint', categoryId: await category('SJ0401'), description: '滨湖路有流动摊贩占道经营，影响通行。', areaUnitId: hanfeng, reporter: { name: '张先生', phone: '13800000000' }, ...over },
      { userId: null, label: 'citizen', ip: '203.0.113.7' },
    );

  it('takes a citizen report with a number, a private lookup code and the accept clock running', async () => {
    const { incident, lookupCode, duplicate } = await citizenReport();
    expect(duplicate).toBe(false);
    expect(incident.number).toMatch(/^KZ20260302\d{6}$/);
    expect(lookupCode).toMatch(/^[2-9A-Z]{8}$/);
    expect(incident).toMatchObject({ state: 'reported', level: 'town', stage: 'accept', sla: 'green', urgency: 'normal' });
    expect(incident.dueAt!.getTime() - f.clock.now().getTime()).toBe(2 * HOUR);
    const center = await f.services.organization.getUnitByCode('500154001-ZX');
    expect(incident.coordinatorUnitId).toBe(center.id);
    expect(await f.incidents.checkLookupCode(incident.number, lookupCode!.toLowerCase())).toMatchObject({ id: incident.id });
    expect(await f.incidents.checkLookupCode(incident.number, 'WRONGCOD')).toBeUndefined();
    const inbox = await f.services.notifications.inbox(dispatcher.userId);
    expect(inbox.find((n) => n.incidentId === incident.id)).toMatchObject({ kind: 'incident.reported' });
  });

  it('tells the people of the lead unit once about an incident dispatched at intake, with its number, title and link', async () => {
    // A second post in the same unit must not bring a second notice; a disabled account gets none.
    await f.services.identity.createUser({ username: 'cgj.two', displayName: '城管局办理员二', password: 'Cgj-two-2026!', posts: [{ unitCode: 'D-CGJ', role: 'department_handler' }, { unitCode: 'D-CGJ', role: 'board_handler' }] }, SYSTEM);
    await f.services.identity.createUser({ username: 'cgj.gone', displayName: '已停用', password: 'Cgj-gone-2026!', posts: [{ unitCode: 'D-CGJ', role: 'department_handler' }] }, SYSTEM);
    await sql`update users set disabled_at = now() where username = 'cgj.gone'`.execute(suite.database.db);
    const { incident } = await citizenReport({ channel: 'hotline_12345', then: { dispatchTo: { leadUnitId: cgj } } });
    expect(incident).toMatchObject({ state: 'dispatched', leadUnitId: cgj });
    const { rows } = await sql<{ username: string; kind: string; params: { number: string; title: string; action: string }; link: string }>`
      select u.username, n.kind, n.params, n.link from notifications n join users u on u.id = n.user_id where n.incident_id = ${incident.id}`.execute(suite.database.db);
    const dispatched = rows.filter((r) => r.kind === 'incident.dispatched');
    expect(dispatched.map((r) => r.username).sort()).toEqual(['cgj.two', 'handler']);
    expect(dispatched[0]).toMatchObject({ params: { number: incident.number, title: incident.title, action: 'dispatch' }, link: `/workbench/incidents/${incident.id}` });
    // The intake statement also wrote the audit entries, chained: report, file, dispatch; the chains verify.
    const entries = await f.services.audit.search({ targetType: 'incident', targetId: incident.number }, { limit: 10 });
    expect(entries.map((e) => e.action).sort()).toEqual(['incident.dispatch', 'incident.file', 'incident.report']);
    expect(await f.services.audit.verify()).toMatchObject({ ok: true });
  });

  it('creates one incident when the same submission arrives twice, even at the same moment', async () => {
    const key = 'form-7f3a1c';
    const [a, b] = await Promise.all([citizenReport({ idempotencyKey: key }), citizenReport({ idempotencyKey: key })]);
    expect(a.incident.id).toBe(b.incident.id);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    const again = await citizenReport({ idempotencyKey: key });
    expect(again).toMatchObject({ duplicate: true, incident: { id: a.incident.id } });
  });

  it('refuses a report with a missing or too long description, writing nothing', async () => {
    await expect(citizenReport({ description: '   ' })).rejects.toMatchObject({ kind: 'Invalid', details: { fields: [{ path: 'description', code: 'field.required' }] } });
    await expect(citizenReport({ description: '长'.repeat(4001) })).rejects.toMatchObject({ details: { fields: [{ path: 'description', code: 'field.tooLong' }] } });
  });

  it('walks an incident through every stage to closure and rating, with history and audit', async () => {
    const { incident } = await citizenReport();
    const id = incident.id;
    await f.incidents.act(id, { action: 'accept' }, dispatcher, by(dispatcher));
    await f.incidents.act(id, { action: 'file' }, dispatcher, by(dispatcher));
    f.clock.advance(10 * 60_000);
    const dispatched = await f.incidents.act(id, { action: 'dispatch', leadUnitId: cgj }, dispatcher, by(dispatcher));
    expect(dispatched).toMatchObject({ state: 'dispatched', stage: 'sign', leadUnitId: cgj });
    expect(dispatched.handleDueAt!.getTime() - f.clock.now().getTime()).toBe(4 * HOUR); // 占道经营: 4 working hours
    expect((await f.services.notifications.inbox(handler.userId)).some((n) => n.incidentId === id && n.kind === 'incident.dispatched')).toBe(true);
    await f.incidents.act(id, { action: 'sign' }, handler, by(handler));
    await f.incidents.act(id, { action: 'note', reason: '已到现场，正在劝离' }, handler, by(handler));
    await f.incidents.act(id, { action: 'report_back', result: '摊贩已劝离，道路恢复通行', publicNote: '已处理完毕' }, handler, by(handler));
    await f.incidents.act(id, { action: 'verify_pass' }, dispatcher, by(dispatcher));
    const closed = await f.incidents.act(id, { action: 'close' }, dispatcher, by(dispatcher));
    expect(closed).toMatchObject({ state: 'closed', closedOnTime: true, stage: null });
    await f.incidents.act(id, { action: 'rate', rating: 'satisfied', ratingComment: '处理很快' }, dispatcher, by(dispatcher));
    const view = await f.incidents.view(id, supervisor);
    expect(view.events.map((e) => e.action)).toEqual(['report', 'accept', 'file', 'dispatch', 'sign', 'note', 'report_back', 'verify_pass', 'close', 'rate']);
    expect(view.events.find((e) => e.action === 'sign')).toMatchObject({ actor_label: 'handler', actor_unit_id: cgj });
    const trail = await f.services.audit.search({ targetId: incident.number }, { limit: 20 });
    expect(trail.map((r) => r.action).reverse()).toEqual(view.events.map((e) => `incident.${e.action}`));
    expect((await f.services.audit.verify()).ok).toBe(true);
  });

  it('lets only the right people act, each within their scope', async () => {
    const { incident } = await citizenReport();
    await expect(f.incidents.act(incident.id, { action: 'accept' }, otherTown, by(otherTown))).rejects.toMatchObject({ kind: 'Forbidden' });
    await expect(f.incidents.act(incident.id, { action: 'accept' }, handler, by(handler))).rejects.toMatchObject({ kind: 'Forbidden' });
    await expect(f.incidents.view(incident.id, otherTown)).rejects.toMatchObject({ kind: 'Forbidden' });
    await f.incidents.act(incident.id, { action: 'file' }, dispatcher, by(dispatcher));
    await f.incidents.act(incident.id, { action: 'dispatch', leadUnitId: cgj }, supervisor, by(supervisor));
    // The town's dispatcher cannot sign for the department; the department can.
    await expect(f.incidents.act(incident.id, { action: 'sign' }, dispatcher, by(dispatcher))).rejects.toMatchObject({ kind: 'Forbidden' });
    await f.incidents.act(incident.id, { action: 'sign' }, handler, by(handler));
    expect(await f.incidents.allowedActions(await f.incidents.get(incident.id), handler)).toEqual(['note', 'report_back', 'request_return', 'request_extension']);
  });

  it('shows each person only the incidents of their scope, counted in the query', async () => {
    const dade = (await f.services.organization.getUnitByCode('500154100')).id;
    const elsewhere = await citizenReport({ areaUnitId: dade });
    const mine = await f.incidents.list(dispatcher, 'to_accept', {}, { limit: 200, offset: 0 });
    expect(mine.items.every((i) => i.townUnitId === hanfeng)).toBe(true);
    expect(mine.items.map((i) => i.id)).not.toContain(elsewhere.incident.id);
    expect(mine.total).toBe(mine.items.length);
    const theirs = await f.incidents.list(otherTown, 'to_accept', {}, { limit: 200, offset: 0 });
    expect(theirs.items.map((i) => i.id)).toEqual([elsewhere.incident.id]);
    const counts = await f.incidents.counts(handler);
    expect(Object.keys(counts)).not.toContain('to_accept');
  });

  it('lets one of two dispatchers win a race on the same version; the other gets a conflict', async () => {
    const { incident } = await citizenReport();
    await f.incidents.act(incident.id, { action: 'file' }, dispatcher, by(dispatcher));
    const version = (await f.incidents.get(incident.id)).version;
    const results = await Promise.allSettled([
      f.incidents.act(incident.id, { action: 'dispatch', leadUnitId: cgj, expectedVersion: version }, dispatcher, by(dispatcher)),
      f.incidents.act(incident.id, { action: 'dispatch', leadUnitId: cgj, expectedVersion: version }, supervisor, by(supervisor)),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ kind: 'Conflict' });
    expect((await f.incidents.view(incident.id, supervisor)).events.filter((e) => e.action === 'dispatch')).toHaveLength(1);
  });

  it('dispatches by the routing table: the town board in streets, the department elsewhere, and says when nobody is set', async () => {
    const inStreet = (await citizenReport()).incident;
    await f.incidents.act(inStreet.id, { action: 'file' }, dispatcher, by(dispatcher));
    const routed = await f.incidents.act(inStreet.id, { action: 'dispatch' }, dispatcher, by(dispatcher));
    expect(routed.leadUnitId).toBe((await f.services.organization.getUnitByCode('500154001-PA')).id);
    const dade = (await f.services.organization.getUnitByCode('500154100')).id;
    const inTown = (await citizenReport({ areaUnitId: dade })).incident;
    await f.incidents.act(inTown.id, { action: 'file' }, otherTown, by(otherTown));
    expect((await f.incidents.act(inTown.id, { action: 'dispatch' }, otherTown, by(otherTown))).leadUnitId).toBe(cgj);
    const uncovered = await f.services.catalog.create(
      { actor: await f.actor('admin'), by: SYSTEM },
      { code: 'ZZ01', class: 'event', sortOrder: 99, name: '无人负责的类别', limits: { handle: { amount: 1, unit: 'days' } } },
    );
    const orphan = (await citizenReport({ categoryId: uncovered.id })).incident;
    await f.incidents.act(orphan.id, { action: 'file' }, dispatcher, by(dispatcher));
    await expect(f.incidents.act(orphan.id, { action: 'dispatch' }, dispatcher, by(dispatcher))).rejects.toMatchObject({ code: 'ROUTING.NO_UNIT' });
    expect((await f.incidents.get(orphan.id)).state).toBe('filed');
  });

  it('keeps the catalogue version an incident was filed under when the catalogue changes', async () => {
    const code = await category('SJ0102'); // 道路不洁: 2 working hours
    const before = (await citizenReport({ categoryId: code })).incident;
    await f.services.catalog.revise({ actor: await f.actor('admin'), by: SYSTEM }, code, { name: '道路不洁', limits: { handle: { amount: 8, unit: 'hours' } } });
    const after = (await citizenReport({ categoryId: code })).incident;
    for (const i of [before, after]) await f.incidents.act(i.id, { action: 'file' }, dispatcher, by(dispatcher));
    const d1 = await f.incidents.act(before.id, { action: 'dispatch', leadUnitId: cgj }, dispatcher, by(dispatcher));
    const d2 = await f.incidents.act(after.id, { action: 'dispatch', leadUnitId: cgj }, dispatcher, by(dispatcher));
    expect(d1.handleDueAt!.getTime() - f.clock.now().getTime()).toBe(2 * HOUR);
    expect(d2.handleDueAt!.getTime() - f.clock.now().getTime()).toBe(8 * HOUR);
  });

  it('handles a return request: the unit asks, the dispatcher approves, the incident waits for a new unit', async () => {
    const { incident } = await citizenReport();
    await f.incidents.act(incident.id, { action: 'file' }, dispatcher, by(dispatcher));
    await f.incidents.act(incident.id, { action: 'dispatch', leadUnitId: cgj }, dispatcher, by(dispatcher));
    await f.incidents.act(incident.id, { action: 'request_return', reason: '不属于本部门职责' }, handler, by(handler));
    await expect(f.incidents.act(incident.id, { action: 'sign' }, handler, by(handler))).rejects.toMatchObject({ code: 'INCIDENT.REQUEST_PENDING' });
    expect((await f.incidents.list(dispatcher, 'requests', {}, { limit: 50, offset: 0 })).items.map((i) => i.id)).toContain(incident.id);
    const back = await f.incidents.act(incident.id, { action: 'approve_return' }, dispatcher, by(dispatcher));
    expect(back).toMatchObject({ state: 'filed', leadUnitId: null, returnCount: 1, pendingRequest: null });
  });

  it('extends the handling deadline when the dispatcher approves an extension', async () => {
    const { incident } = await citizenReport();
    await f.incidents.act(incident.id, { action: 'file' }, dispatcher, by(dispatcher));
    const d = await f.incidents.act(incident.id, { action: 'dispatch', leadUnitId: cgj }, dispatcher, by(dispatcher));
    await f.incidents.act(incident.id, { action: 'sign' }, handler, by(handler));
    await f.incidents.act(incident.id, { action: 'request_extension', reason: '需协调产权单位', extra: { amount: 2, unit: 'days' } }, handler, by(handler));
    const extended = await f.incidents.act(incident.id, { action: 'approve_extension' }, dispatcher, by(dispatcher));
    expect(extended.handleDueAt!.getTime() - d.handleDueAt!.getTime()).toBe(48 * HOUR);
    expect(extended.dueAt).toEqual(extended.handleDueAt);
  });

  it('merges a duplicate into the original and counts its supporter', async () => {
    const original = (await citizenReport()).incident;
    const copy = (await citizenReport()).incident;
    await f.incidents.act(copy.id, { action: 'merge', targetIncidentId: original.id }, dispatcher, by(dispatcher));
    expect(await f.incidents.get(copy.id)).toMatchObject({ state: 'merged', mergedIntoId: original.id });
    expect((await f.incidents.get(original.id)).supporters).toBe(1);
  });

  it('warns before the deadline, marks it overdue after, and escalates an untouched report up the ladder', async () => {
    const { incident } = await citizenReport();
    f.clock.advance(1.5 * HOUR + 1000); // past 75 % of the 2-hour accept limit
    expect((await f.incidents.fireDueTimers()).fired).toBeGreaterThanOrEqual(1);
    expect(await f.incidents.get(incident.id)).toMatchObject({ sla: 'yellow' });
    f.clock.advance(0.5 * HOUR);
    await f.incidents.fireDueTimers();
    expect(await f.incidents.get(incident.id)).toMatchObject({ sla: 'red', overdueStages: 1 });
    expect(await f.incidents.escalateOverdue()).toBeGreaterThanOrEqual(1);
    const escalated = await f.incidents.get(incident.id);
    expect(escalated).toMatchObject({ level: 'district', state: 'filed', sla: 'green', escalationCount: 1 });
    expect(escalated.coordinatorUnitId).toBe((await f.services.organization.getUnitByCode('500154-OPS')).id);
    // Nothing fires twice.
    expect((await f.incidents.fireDueTimers()).fired).toBe(0);
  });

  it('issues a red supervision notice to the handling unit when handling runs over', async () => {
    const { incident } = await citizenReport();
    await f.incidents.act(incident.id, { action: 'file' }, dispatcher, by(dispatcher));
    await f.incidents.act(incident.id, { action: 'dispatch', leadUnitId: cgj }, dispatcher, by(dispatcher));
    await f.incidents.act(incident.id, { action: 'sign' }, handler, by(handler));
    f.clock.advance(5 * HOUR);
    await f.incidents.fireDueTimers();
    const view = await f.incidents.view(incident.id, supervisor);
    expect(view.incident).toMatchObject({ sla: 'red', supervision: 'red' });
    expect(view.supervisions.map((s) => s.level)).toContain('red');
    expect((await f.services.notifications.inbox(handler.userId)).some((n) => n.incidentId === incident.id && n.kind === 'incident.overdue')).toBe(true);
  });

  it('fires every due timer exactly once when several workers sweep at the same time', async () => {
    const reports = await Promise.all(Array.from({ length: 12 }, () => citizenReport()));
    f.clock.advance(3 * HOUR);
    const sweeps = await Promise.all([f.incidents.fireDueTimers(5), f.incidents.fireDueTimers(5), f.incidents.fireDueTimers(5), f.incidents.fireDueTimers(5)]);
    let more = await f.incidents.fireDueTimers();
    while (more.fired + more.stale > 0) more = await f.incidents.fireDueTimers();
    void sweeps;
    const ids = reports.map((r) => r.incident.id);
    const { rows } = await sql<{ incident_id: number; n: number }>`
      select incident_id, count(*)::int as n from incident_events where action = 'overdue' and incident_id = any(${`{${ids.join(',')}}`}::bigint[]) group by incident_id`.execute(suite.database.db);
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });

  it('computes the evaluation of a unit and its town exactly as counted by hand', async () => {
    f.clock.set('2026-06-01T09:00:00+08:00');
    const from = f.clock.now();
    const slj = (await f.services.organization.getUnitByCode('D-SLJ')).id;
    const nanya = (await f.services.organization.getUnitByCode('500154120')).id;
    const admin = await f.actor('admin');
    await f.services.identity.createUser({ username: 'slj.handler', displayName: '水利局办理员', password: 'Shuili-handler-2026', posts: [{ unitCode: 'D-SLJ', role: 'department_handler' }] }, SYSTEM);
    const slj1 = await f.actor('slj.handler');
    const make = async () => {
      const { incident } = await citizenReport({ areaUnitId: nanya, categoryId: await category('BJ0103') }); // 供水设施损坏: 24 h
      await f.incidents.act(incident.id, { action: 'file' }, supervisor, by(supervisor));
      await f.incidents.act(incident.id, { action: 'dispatch', leadUnitId: slj }, supervisor, by(supervisor));
      await f.incidents.act(incident.id, { action: 'sign' }, slj1, by(slj1));
      return incident.id;
    };
    const finish = async (id: number, afterHours: number, rating: 'satisfied' | 'unsatisfied', rework = false) => {
      f.clock.advance(afterHours * HOUR);
      await f.incidents.act(id, { action: 'report_back', result: '已修复' }, slj1, by(slj1));
      if (rework) {
        await f.incidents.act(id, { action: 'verify_fail', reason: '仍有渗漏' }, supervisor, by(supervisor));
        f.clock.advance(2 * HOUR);
        await f.incidents.act(id, { action: 'report_back', result: '已彻底修复' }, slj1, by(slj1));
      }
      await f.incidents.act(id, { action: 'verify_pass' }, supervisor, by(supervisor));
      await f.incidents.act(id, { action: 'close' }, supervisor, by(supervisor));
      await f.incidents.act(id, { action: 'rate', rating }, supervisor, by(supervisor));
    };
    const [a, b, c] = [await make(), await make(), await make()];
    await finish(a, 1, 'satisfied'); // handled in 1 h
    await finish(b, 0, 'unsatisfied', true); // failed verification once, reported back again 2 h after dispatch … plus the 1 h above
    f.clock.advance(30 * HOUR); // c is still in hand and now overdue
    for (let r = await f.incidents.fireDueTimers(); r.fired + r.stale > 0; r = await f.incidents.fireDueTimers());
    void c;
    const to = new Date(f.clock.now().getTime() + HOUR);
    const byUnit = await f.incidents.evaluate(admin, { by: 'lead', from, to });
    const row = byUnit.find((r) => r.unitId === slj)!;
    expect(row).toMatchObject({ received: 3, receivedClosed: 2, closed: 2, closedOnTime: 2, openOverdue: 1, reworked: 1, dispatched: 3, returned: 0, rated: 2, satisfied: 1 });
    expect(row.onTimeRate).toBeCloseTo(2 / 3);
    expect(row.closureRate).toBeCloseTo(2 / 3);
    expect(row.reworkRate).toBeCloseTo(1 / 2);
    expect(row.returnRate).toBe(0);
    expect(row.satisfactionRate).toBeCloseTo(1 / 2);
    // a: dispatch → report back 1 h; b: dispatch → final report back 3 h; median 2 h.
    expect(row.medianHandleSeconds).toBe(2 * 3600);
    const byTown = await f.incidents.evaluate(admin, { by: 'town', from, to });
    expect(byTown.find((r) => r.unitId === nanya)).toMatchObject({ received: 3, closed: 2, openOverdue: 1, unitName: '南雅镇' });
    // A town's dispatcher sees only their own town's figures.
    const mine = await f.incidents.evaluate(dispatcher, { by: 'town', from, to });
    expect(mine.every((r) => r.unitId === hanfeng)).toBe(true);
  });
});