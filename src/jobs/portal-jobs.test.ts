import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/db.js';
import { FakeClock } from '../kernel/clock.js';
import { silentLogger } from '../kernel/logger.js';
import { createMetrics } from '../kernel/metrics.js';
import { loadConfig } from '../config.js';
import { createServices, type Services } from '../services.js';
import { allJobs } from './index.js';
import { createScheduler } from './scheduler.js';

describeEachEngine('portal jobs', (suite) => {
  let services: Services;
  let clock: FakeClock;
  beforeAll(async () => {
    clock = new FakeClock('2026-03-02T09:00:00+08:00');
    services = createServices({ database: suite.database, clock, config: loadConfig({ DEMO: 'false' }), logger: silentLogger });
  });

  it('publishes a scheduled document when the worker’s publish-scheduled job comes round after its time', async () => {
    const news = (await services.portal.site.furniture()).columns.find((c) => c.slug === 'news')!.id;
    const editor = (userId: number) => ({ actor: { userId, posts: [{ role: 'editor' as const, unitPath: '/1/', townPath: null }], grants: [] }, by: { userId, label: `u${userId}`, ip: null } });
    const doc = await services.portal.content.create(editor(1), { columnId: news, kind: 'article', title: '定时稿', bodyHtml: '<p>正文</p>' });
    await services.portal.content.transition(editor(1), doc.id, 'submit');
    await services.portal.content.transition(editor(2), doc.id, 'approve');
    await services.portal.content.transition(editor(1), doc.id, 'schedule', { at: new Date(clock.now().getTime() + 30 * 60_000) });

    const jobs = allJobs(services);
    expect(jobs.map((j) => j.name)).toEqual(expect.arrayContaining(['publish-scheduled', 'find-dead-links', 'check-freshness']));
    const scheduler = createScheduler(jobs.filter((j) => j.name === 'publish-scheduled'), { database: suite.database, clock, logger: silentLogger, metrics: createMetrics({ defaultMetrics: false }), pollMs: 1000 });
    await scheduler.register();
    expect(await scheduler.tick()).toBe(1);
    await expect(services.portal.content.getPublic(doc.id)).rejects.toMatchObject({ code: 'CONTENT.NOT_FOUND' });
    clock.advance(31 * 60_000);
    expect(await scheduler.tick()).toBe(1);
    expect((await services.portal.content.getPublic(doc.id)).revision.title).toBe('定时稿');
  });
});
