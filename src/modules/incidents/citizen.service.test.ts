import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/db.js';
import { by, createCaseFlow, type CaseFlow } from '../../../test/incidents.js';
import type { Actor } from '../identity/index.js';

const DAY = 86_400_000;
const citizen = { userId: null, label: 'citizen', ip: '203.0.113.9' };

describeEachEngine('citizen use cases', (suite) => {
  let f: CaseFlow;
  let dispatcher: Actor;
  let hanfeng: number;
  beforeAll(async () => {
    f = await createCaseFlow(suite.database);
    dispatcher = await f.actor('dispatcher');
    hanfeng = (await f.services.organization.getUnitByCode('500154001')).id;
  });

  const report = async (over: Partial<Parameters<CaseFlow['incidents']['report']>[0]> = {}) =>
    f.incidents.report(
      {
        channel: 'web',
        requestType: 'complaint',
        categoryId: (await f.services.catalog.getByCode('SJ0401')).id,
        description: '滨湖路88号门前有流动摊贩占道经营，我是王小明，电话13912345678。',
        areaUnitId: hanfeng,
        reporter: { name: '王小明', phone: '13912345678' },
        ...over,
      },
      citizen,
    );
  /** Accepts and answers (closes) a report, as the town's dispatcher would. */
  const answer = async (id: number, reply = '已联系城管中队劝离，王小明您好，如有问题请拨打 023-52281234。') => {
    await f.incidents.act(id, { action: 'accept' }, dispatcher, by(dispatcher));
    return f.incidents.act(id, { action: 'answer', reply }, dispatcher, by(dispatcher));
  };
  const events = (id: number) => sql<{ action: string; actor_label: string; details: Record<string, unknown> }>`select action, actor_label, details from incident_events where incident_id = ${id} order by id`.execute(suite.database.db).then((r) => r.rows);
  const audits = (number: string) => sql<{ action: string }>`select action from audit_log where target_id = ${number} order by seq`.execute(suite.database.db).then((r) => r.rows.map((x) => x.action));

  it('counts one support per submission key, with a history entry and an audit entry', async () => {
    const { incident } = await report();
    const first = await f.incidents.support(incident.id, 'form-support-1', citizen);
    expect(first).toMatchObject({ counted: true, incident: { supporters: 1 } });
    const retry = await f.incidents.support(incident.id, 'form-support-1', citizen);
    expect(retry).toMatchObject({ counted: false, incident: { supporters: 1 } });
    const other = await f.incidents.support(incident.id, 'form-support-2', citizen);
    expect(other.incident.supporters).toBe(2);
    expect((await events(incident.id)).filter((e) => e.action === 'support')).toHaveLength(2);
    expect((await audits(incident.number)).filter((a) => a === 'incident.support')).toHaveLength(2);
  });

  it('refuses a support of a closed report', async () => {
    const { incident } = await report();
    await answer(incident.id);
    await expect(f.incidents.support(incident.id, 'form-support-closed', citizen)).rejects.toMatchObject({ code: 'INCIDENT.NOT_OPEN' });
  });

  it('lets the reporter rate once after closure, audited as a citizen action', async () => {
    const { incident } = await report();
    await expect(f.incidents.citizenAct(incident.id, { action: 'rate', rating: 'satisfied' }, citizen)).rejects.toMatchObject({ code: 'INCIDENT.NOT_CLOSED' });
    await answer(incident.id);
    const rated = await f.incidents.citizenAct(incident.id, { action: 'rate', rating: 'basically_satisfied', ratingComment: '还可以' }, citizen);
    expect(rated).toMatchObject({ state: 'closed', rating: 'basically_satisfied', ratingComment: '还可以' });
    await expect(f.incidents.citizenAct(incident.id, { action: 'rate', rating: 'unsatisfied' }, citizen)).rejects.toMatchObject({ code: 'INCIDENT.ALREADY_RATED' });
    const rate = (await events(incident.id)).find((e) => e.action === 'rate');
    expect(rate).toMatchObject({ actor_label: 'citizen', details: { by: 'citizen', rating: 'basically_satisfied' } });
    expect(await audits(incident.number)).toContain('incident.citizen_rate');
  });

  it('requires a rating to rate', async () => {
    const { incident } = await report();
    await answer(incident.id);
    await expect(f.incidents.citizenAct(incident.id, { action: 'rate' }, citizen)).rejects.toMatchObject({ code: 'INCIDENT.FIELD_REQUIRED' });
  });

  it('lets the reporter reopen within 7 days with a reason, and not after', async () => {
    const a = (await report()).incident;
    const b = (await report()).incident;
    await answer(a.id);
    await answer(b.id);
    await expect(f.incidents.citizenAct(a.id, { action: 'reopen' }, citizen)).rejects.toMatchObject({ code: 'INCIDENT.FIELD_REQUIRED' });
    f.clock.advance(6 * DAY);
    const reopened = await f.incidents.citizenAct(a.id, { action: 'reopen', reason: '摊贩又回来了' }, citizen);
    expect(reopened).toMatchObject({ state: 'filed', reopenCount: 1, closedAt: null });
    expect(await audits(a.number)).toContain('incident.citizen_reopen');
    f.clock.advance(2 * DAY);
    await expect(f.incidents.citizenAct(b.id, { action: 'reopen', reason: '没解决' }, citizen)).rejects.toMatchObject({ code: 'INCIDENT.REOPEN_EXPIRED' });
    expect((await f.incidents.get(b.id)).state).toBe('closed');
  });

  it('shows the public view without names, staff notes or the reporter photos, and hides non-public categories without the code', async () => {
    const { incident } = await report();
    await f.incidents.act(incident.id, { action: 'accept' }, dispatcher, by(dispatcher));
    await f.incidents.act(incident.id, { action: 'note', reason: '内部：联系了王小明', publicNote: '已安排人员核实' }, dispatcher, by(dispatcher));
    const view = await f.incidents.publicView(incident.number, false);
    expect(view.timeline.map((s) => s.action)).toEqual(['report', 'accept', 'note']);
    expect(JSON.stringify(view.timeline)).not.toContain('王小明');
    expect(view.timeline[2]!.note).toBe('已安排人员核实');
    expect(view.privatePhotos).toEqual([]);
    // A category that the catalogue keeps private, and the leader's mailbox: nothing without the code.
    const hidden = (await report({ channel: 'leader', requestType: 'suggestion' })).incident;
    await expect(f.incidents.publicView(hidden.number, false)).rejects.toMatchObject({ code: 'INCIDENT.NOT_FOUND' });
    expect((await f.incidents.publicView(hidden.number, true)).incident.id).toBe(hidden.id);
    const uncategorised = (await report({ categoryId: null })).incident;
    await expect(f.incidents.publicView(uncategorised.number, false)).rejects.toMatchObject({ code: 'INCIDENT.NOT_FOUND' });
  });

  it('publishes a letter and its reply with personal data removed, and withdraws it', async () => {
    const { incident } = await report({ channel: 'web', requestType: 'suggestion' });
    await expect(f.incidents.publishReply(incident.id, dispatcher, by(dispatcher))).rejects.toMatchObject({ code: 'INCIDENT.NO_REPLY' });
    await answer(incident.id);
    const p = await f.incidents.publishReply(incident.id, dispatcher, by(dispatcher));
    expect(p.letter).not.toContain('王小明');
    expect(p.letter).not.toContain('13912345678');
    expect(p.letter).not.toContain('88号');
    expect(p.letter).toContain('王某');
    expect(p.reply).not.toContain('52281234');
    expect(p.reply).toContain('王某您好');
    const list = await f.incidents.publications({ limit: 10, offset: 0 });
    expect(list.items.map((x) => x.incidentId)).toContain(incident.id);
    expect(await audits(incident.number)).toContain('incident.publish_reply');
    await f.incidents.unpublishReply(incident.id, dispatcher, by(dispatcher));
    expect(await f.incidents.publication(incident.id)).toBeUndefined();
  });

  it('refuses to publish for someone outside the coordinating scope', async () => {
    const { incident } = await report();
    await answer(incident.id);
    const handler = await f.actor('handler');
    await expect(f.incidents.publishReply(incident.id, handler, by(handler))).rejects.toMatchObject({ kind: 'Forbidden' });
  });
});
