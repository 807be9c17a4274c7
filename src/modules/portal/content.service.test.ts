import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/db.js';
import { FakeClock } from '../../kernel/clock.js';
import type { Initiator } from '../../kernel/initiator.js';
import type { PolicyActor } from '../access/index.js';
import { createAuditService, type AuditService } from '../audit/index.js';
import { createMemoryFileStore } from './file-store.js';
import type { LinkProbe } from './portal.js';
import { createPortalService, type PortalService } from './portal.service.js';

const actor = (userId: number, role: 'editor' | 'department_handler' = 'editor'): PolicyActor => ({ userId, posts: [{ role, unitPath: '/1/', townPath: null }], grants: [] });
const by = (userId: number): Initiator => ({ userId, label: `user${userId}`, ip: '127.0.0.1' });
const writer = { actor: actor(11), by: by(11) };
const reviewer = { actor: actor(12), by: by(12) };
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const HOUR = 3600_000;

describeEachEngine('portal content', (suite) => {
  let portal: PortalService;
  let audit: AuditService;
  let clock: FakeClock;
  const probed: string[] = [];
  const probe: LinkProbe = {
    external: true,
    async probe(url) {
      probed.push(url);
      return url.includes('gone') ? { ok: false, status: 404, error: null } : { ok: true, status: 200, error: null };
    },
  };
  let newsId = 0;

  beforeAll(async () => {
    clock = new FakeClock('2026-03-02T09:00:00+08:00');
    audit = createAuditService(suite.database, clock);
    portal = createPortalService({ database: suite.database, clock, audit, files: createMemoryFileStore(), probe });
    newsId = (await portal.site.furniture()).columns.find((c) => c.slug === 'news')!.id;
  });

  it('takes a draft through review to scheduled publication by the worker, with history and audit at every step', async () => {
    const doc = await portal.content.create(writer, { columnId: newsId, kind: 'article', title: '汉丰湖步道提质改造完工', bodyHtml: '<p>步道全长三公里，新增无障碍坡道。</p>' });
    expect(doc.state).toBe('draft');
    await portal.content.transition(writer, doc.id, 'submit');
    await expect(portal.content.transition(writer, doc.id, 'approve')).rejects.toMatchObject({ code: 'CONTENT.OWN_REVIEW' });
    await expect(portal.content.transition(reviewer, doc.id, 'reject')).rejects.toMatchObject({ code: 'CONTENT.NOTE_REQUIRED' });
    await portal.content.transition(reviewer, doc.id, 'approve');
    await portal.content.transition(writer, doc.id, 'schedule', { at: new Date(clock.now().getTime() + 2 * HOUR) });
    await expect(portal.content.getPublic(doc.id)).rejects.toMatchObject({ code: 'CONTENT.NOT_FOUND' });

    clock.advance(HOUR);
    expect(await portal.content.runDue()).toEqual({ published: 0, withdrawn: 0, failed: 0 });
    clock.advance(HOUR);
    const versionBefore = await portal.site.version();
    expect(await portal.content.runDue()).toEqual({ published: 1, withdrawn: 0, failed: 0 });
    expect(await portal.site.version()).toBeGreaterThan(versionBefore);
    const live = await portal.content.getPublic(doc.id);
    expect(live.revision.title).toBe('汉丰湖步道提质改造完工');
    expect(live.record.publishedAt).toEqual(clock.now());

    const staff = await portal.content.forStaff(reviewer.actor, doc.id);
    expect(staff.events.map((e) => e.action).reverse()).toEqual(['create', 'submit', 'approve', 'schedule', 'publish_due']);
    expect(staff.events[0]).toMatchObject({ actorLabel: 'system', fromState: 'scheduled', toState: 'published' });
    const trail = await audit.search({ targetType: 'document', targetId: String(doc.id) } as never, { limit: 20 });
    expect(trail.map((r) => r.action).sort()).toEqual(['content.approve', 'content.create', 'content.publish_due', 'content.schedule', 'content.submit'].sort());
  });

  it('keeps the live revision online while a new one is reviewed, and shows a readable difference', async () => {
    const doc = await portal.content.create(writer, { columnId: newsId, kind: 'article', title: '防汛演练', bodyHtml: '演练于周二举行。' });
    await portal.content.transition(writer, doc.id, 'submit');
    await portal.content.transition(reviewer, doc.id, 'approve');
    await portal.content.transition(reviewer, doc.id, 'publish');
    const { removed } = await portal.content.save(writer, doc.id, { columnId: newsId, kind: 'article', title: '防汛演练', bodyHtml: '演练于周三举行。<script>alert(1)</script>' });
    expect(removed).toEqual([{ kind: 'element', what: 'script', count: 1 }]);
    const live = await portal.content.getPublic(doc.id);
    expect(live.revision.number).toBe(1);
    expect(live.revision.bodyHtml).toContain('周二');
    const staff = await portal.content.forStaff(writer.actor, doc.id);
    expect(staff.record).toMatchObject({ state: 'draft', revisionNo: 2, liveRevisionNo: 1 });
    const { diff } = await portal.content.diff(writer.actor, doc.id, 1, 2);
    const changed = diff.body.find((b) => b.changed)!.parts;
    expect(changed.filter((p) => p.change !== 'same').map((p) => `${p.change}:${p.text}`)).toEqual(['removed:二', 'added:三']);
    // Saving the same thing again makes no new revision.
    await portal.content.save(writer, doc.id, { columnId: newsId, kind: 'article', title: '防汛演练', bodyHtml: '演练于周三举行。<script>alert(1)</script>' });
    expect((await portal.content.forStaff(writer.actor, doc.id)).record.revisionNo).toBe(2);
  });

  it('refuses publication of an image without alternative text and of a sensitive word', async () => {
    await expect(portal.content.addImage(writer, 1, { name: 'a.png', bytes: PNG }, ' ', '')).rejects.toMatchObject({ code: 'CHECK.IMAGE_ALT' });
    const doc = await portal.content.create(writer, { columnId: newsId, kind: 'article', title: '图片新闻', bodyHtml: `<p>正文</p><img src="/files/${'c'.repeat(64)}/x.png">` });
    await expect(portal.content.transition(writer, doc.id, 'submit')).rejects.toMatchObject({ code: 'CONTENT.CHECK_FAILED', details: { fields: [{ code: 'CHECK.IMAGE_ALT' }] } });
    await portal.site.addWord(reviewer, { kind: 'sensitive', word: '演示敏感词', suggestion: null, note: null });
    const other = await portal.content.create(writer, { columnId: newsId, kind: 'article', title: '含演示敏感词的稿件', bodyHtml: '<p>正文</p>' });
    await expect(portal.content.transition(writer, other.id, 'submit')).rejects.toMatchObject({ code: 'CONTENT.CHECK_FAILED' });
    await expect(portal.content.addImage(writer, doc.id, { name: 'not-an-image.png', bytes: new TextEncoder().encode('<svg/>') }, '图', '')).rejects.toMatchObject({ code: 'CONTENT.FILE_TYPE' });
  });

  it('adds an image with alt text and caption and an attachment, stored by content hash', async () => {
    const doc = await portal.content.create(writer, { columnId: newsId, kind: 'article', title: '步道照片', bodyHtml: '<p>正文</p>' });
    await portal.content.addImage(writer, doc.id, { name: '步道 1.png', bytes: PNG }, '新建的无障碍坡道', '汉丰湖东岸');
    await portal.content.addAttachment(writer, doc.id, { name: 'plan.pdf', bytes: new TextEncoder().encode('%PDF-1.7 test') }, '改造方案');
    const staff = await portal.content.forStaff(writer.actor, doc.id);
    expect(staff.revision.bodyHtml).toMatch(/<figure><img src="\/files\/[0-9a-f]{64}\/[^"]+" alt="新建的无障碍坡道" \/><figcaption>汉丰湖东岸<\/figcaption><\/figure>/);
    expect(staff.revision.attachments).toMatchObject([{ title: '改造方案', mime: 'application/pdf', name: 'plan.pdf' }]);
    expect(staff.findings).toEqual([]);
    const file = await portal.content.readFile(staff.revision.attachments[0]!.sha256);
    expect(file?.mime).toBe('application/pdf');
  });

  it('finds published documents in Chinese with column and date filters, and forgets withdrawn ones', async () => {
    const policies = (await portal.site.furniture()).columns.find((c) => c.slug === 'policies')!.id;
    const publish = async (columnId: number, title: string, body: string) => {
      const d = await portal.content.create(writer, { columnId, kind: 'article', title, bodyHtml: body });
      await portal.content.transition(writer, d.id, 'submit');
      await portal.content.transition(reviewer, d.id, 'approve');
      await portal.content.transition(reviewer, d.id, 'publish');
      return d.id;
    };
    const a = await publish(policies, '开州区城市更新实施办法', '<p>城市更新坚持居民自愿。</p>');
    const b = await publish(newsId, '温泉镇院坝会', '<p>村民议定村道维修方案，涉及城市更新的讨论。</p>');
    const all = await portal.content.search({ q: '城市更新', page: 1 }, (await portal.site.furniture()).columns);
    expect(all.hits.map((h) => h.id)).toEqual([a, b]);
    expect(all.words).toEqual(['城市更新']);
    const inPolicies = await portal.content.search({ q: '城市更新', columnId: policies, page: 1 }, (await portal.site.furniture()).columns);
    expect(inPolicies.hits.map((h) => h.id)).toEqual([a]);
    const future = await portal.content.search({ q: '城市更新', from: new Date(clock.now().getTime() + HOUR), page: 1 }, (await portal.site.furniture()).columns);
    expect(future.total).toBe(0);
    await portal.content.transition(reviewer, b, 'withdraw', { note: '信息有误' });
    expect((await portal.content.search({ q: '院坝会', page: 1 }, (await portal.site.furniture()).columns)).total).toBe(0);
    await expect(portal.content.search({ q: '长'.repeat(101), page: 1 }, [])).rejects.toMatchObject({ code: 'SEARCH.TOO_LONG' });
  });

  it('withdraws a document at its offline time', async () => {
    const d = await portal.content.create(writer, { columnId: newsId, kind: 'article', title: '征求意见公告', bodyHtml: '<p>征求意见 30 日。</p>' });
    await portal.content.transition(writer, d.id, 'submit');
    await portal.content.transition(reviewer, d.id, 'approve');
    await portal.content.transition(reviewer, d.id, 'publish');
    await portal.content.setWithdrawAt(reviewer, d.id, new Date(clock.now().getTime() + 30 * 24 * HOUR));
    clock.advance(30 * 24 * HOUR);
    expect(await portal.content.runDue()).toMatchObject({ withdrawn: 1 });
    expect((await portal.content.forStaff(reviewer.actor, d.id)).record).toMatchObject({ state: 'withdrawn', liveRevisionNo: null });
  });

  it('links a policy and its interpretation, and marks a repealed policy with its replacement', async () => {
    const policies = (await portal.site.furniture()).columns.find((c) => c.slug === 'policies')!;
    const interpretations = (await portal.site.furniture()).columns.find((c) => c.slug === 'interpretations')!;
    const old = await portal.content.importPublished({ columnId: policies.id, kind: 'policy', title: '旧办法', bodyHtml: '<p>旧</p>', publishedAt: clock.now(), isDemo: false }, by(11));
    const neu = await portal.content.importPublished({ columnId: policies.id, kind: 'policy', title: '新办法', bodyHtml: '<p>新</p>', publishedAt: clock.now(), isDemo: false }, by(11));
    const interp = await portal.content.importPublished({ columnId: interpretations.id, kind: 'interpretation', title: '一图读懂新办法', bodyHtml: '<p>解读</p>', interpretsId: neu, publishedAt: clock.now(), isDemo: false }, by(11));
    await expect(portal.content.setPolicyStatus(reviewer, old, 'repealed', '', neu)).rejects.toMatchObject({ code: 'CONTENT.NOTE_REQUIRED' });
    await portal.content.setPolicyStatus(reviewer, old, 'repealed', '被新办法废止', neu);
    const oldPage = await portal.content.getPublic(old);
    expect(oldPage.record.policyStatus).toBe('repealed');
    expect(oldPage.supersededBy?.title).toBe('新办法');
    expect((await portal.content.getPublic(neu)).related.map((r) => r.id)).toEqual([interp]);
    expect((await portal.content.getPublic(interp)).related.map((r) => r.id)).toEqual([neu]);
    await expect(portal.content.create(writer, { columnId: interpretations.id, kind: 'interpretation', title: '无对象的解读', bodyHtml: 'x' })).rejects.toMatchObject({ code: 'REQUEST.INVALID' });
  });

  it('refuses content changes to someone without the editor’s rights', async () => {
    const handler = { actor: actor(20, 'department_handler'), by: by(20) };
    await expect(portal.content.create(handler, { columnId: newsId, kind: 'article', title: 'x', bodyHtml: 'x' })).rejects.toMatchObject({ kind: 'Forbidden' });
    await expect(portal.site.addLink(handler, 1, { label: 'x', url: 'https://x.example/', sortOrder: 1 })).rejects.toMatchObject({ kind: 'Forbidden' });
  });

  it('edits the column tree and link directories, checks links and reports freshness', async () => {
    await expect(portal.site.createColumn(writer, { slug: 'news', parentId: null, name: '重复', kind: 'news' })).rejects.toMatchObject({ code: 'COLUMN.SLUG_TAKEN' });
    const col = await portal.site.createColumn(writer, { slug: 'special', parentId: newsId, name: '专题专栏', kind: 'news', freshnessDays: 30 });
    expect((await portal.site.furniture()).columns.some((c) => c.id === col.id && c.parentId === newsId)).toBe(true);
    await expect(portal.site.updateColumn(writer, newsId, { slug: 'news', parentId: col.id, name: '开州要闻', kind: 'news' })).rejects.toMatchObject({ code: 'COLUMN.CYCLE' });
    const media = (await portal.site.furniture()).linkGroups.find((g) => g.key === 'media')!;
    await expect(portal.site.addLink(writer, media.id, { label: '坏链接', url: 'javascript:alert(1)', sortOrder: 1 })).rejects.toMatchObject({ code: 'LINK.URL_INVALID' });
    await portal.site.addLink(writer, media.id, { label: '已停办的网站', url: 'https://gone.example/', sortOrder: 99 });
    const result = await portal.links.findDeadLinks();
    expect(result.dead).toBe(1);
    expect(probed).toContain('/towns');
    const dead = await portal.links.deadLinks();
    expect(dead).toMatchObject([{ url: 'https://gone.example/', status: 404, places: [{ where: '新闻媒体网站', href: '/workbench/links' }] }]);

    const report = await portal.freshness.run();
    expect(report.findings.find((f) => f.code === 'FRESH.LINK_DEAD')?.params.url).toBe('https://gone.example/');
    expect(report.findings.find((f) => f.check === 'home')?.code).toBe('FRESH.HOME_OK');
    expect(report.findings.some((f) => f.code === 'FRESH.COLUMN_EMPTY' && f.params.column === '专题专栏')).toBe(true);
    expect(report.findings.some((f) => f.code === 'FRESH.MESSAGES_NOT_CONNECTED')).toBe(true);
    expect((await portal.freshness.latest())?.findings).toEqual(JSON.parse(JSON.stringify(report.findings)));
    clock.advance(15 * 24 * HOUR);
    expect((await portal.freshness.run()).findings.find((f) => f.check === 'home')).toMatchObject({ level: 'fail', code: 'FRESH.HOME_STALE' });
  });

  it('asks a connected message channel for messages unanswered for three months', async () => {
    const withMessages = createPortalService({
      database: suite.database,
      clock,
      audit,
      files: createMemoryFileStore(),
      probe,
      messages: { unansweredSince: async (cutoff) => [{ title: '路灯不亮', receivedAt: new Date(cutoff.getTime() - 86_400_000) }] },
    });
    const report = await withMessages.freshness.run();
    expect(report.failed).toBe(true);
    expect(report.findings.find((f) => f.code === 'FRESH.MESSAGE_UNANSWERED')?.params.title).toBe('路灯不亮');
  });
});
