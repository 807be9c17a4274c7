import { beforeAll, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../test/app.js';
import { describeEachEngine } from '../../../test/db.js';
import { DEMO_PASSWORD } from '../../modules/demo/index.js';

describeEachEngine('portal pages', (suite) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(suite.database);
  });
  const get = (path: string, headers?: Record<string, string>) => t.app.request(path, { headers });

  it('shows the front page with news, notices, policies, interaction, services and the towns', async () => {
    const html = await (await get('/')).text();
    for (const heading of ['开州要闻', '通知公告', '政策文件', '政策解读', '互动交流', '办事服务', '镇乡街道']) expect(html).toContain(heading);
    expect(html).toContain('全区网格化治理工作推进会召开');
    expect(html).toMatch(/<span class="mark mark-pinned">置顶<\/span><a href="\/articles\/\d+">全区网格化/);
    expect(html).toContain('扫一扫在手机打开当前页');
    expect(html).toContain('href="https://service.weibo.com/share/share.php?url=');
    expect(html).toContain('<link rel="canonical" href="http://127.0.0.1:3000/"/>');
    expect(html).toContain('<meta property="og:title"');
  });

  it('shows an article with its breadcrumb, policy mark, interpretation and print view', async () => {
    const { items } = await t.runtime.services!.portal.content.listPublic([(await t.runtime.services!.portal.site.furniture()).columns.find((c) => c.slug === 'policies')!.id], { limit: 10, offset: 0 });
    const repealed = items.find((d) => d.policyStatus === 'repealed')!;
    const current = items.find((d) => d.title.startsWith('开州区城市更新实施办法'))!;
    const page = await (await get(`/articles/${repealed.id}`)).text();
    expect(page).toContain('您当前的位置');
    expect(page).toMatch(/<a href="\/columns\/policies">政策文件<\/a><\/li><li aria-current="page">正文<\/li>/);
    expect(page).toContain('本文件已废止，不再执行。');
    expect(page).toContain(`<a href="/articles/${current.id}">开州区城市更新实施办法（演示）</a>`);
    const policy = await (await get(`/articles/${current.id}`)).text();
    expect(policy).toContain('一图读懂《开州区城市更新实施办法（演示）》');
    expect(policy).toContain(`href="/articles/${current.id}/print"`);
    const print = await (await get(`/articles/${current.id}/print`)).text();
    expect(print).toContain('本文地址：http://127.0.0.1:3000/articles/');
    expect(print).not.toContain('main-nav');
    expect((await get('/articles/999999')).status).toBe(404);
  });

  it('searches in Chinese with highlighted matches, and refuses a huge term or address cleanly', async () => {
    const res = await get(`/search?q=${encodeURIComponent('城市更新')}`);
    const html = await res.text();
    expect(html).toMatch(/找到 \d+ 条与“城市更新”相关的结果/);
    expect(html).toContain('<mark>城市更新</mark>');
    expect(await (await get(`/search?q=${encodeURIComponent('没有这种词语组合嘛')}`)).text()).toContain('没有找到');
    const long = await get(`/search?q=${encodeURIComponent('长'.repeat(150))}`);
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('搜索词太长了');
    const huge = await get(`/search?q=${'a'.repeat(5000)}`);
    expect(huge.status).toBe(400);
    expect(await huge.text()).toContain('网址太长');
  });

  it('answers an unknown page with a helpful 404 that offers search and the columns', async () => {
    const res = await get('/no/such/page');
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('action="/search"');
    expect(html).toContain('<a href="/columns/news">开州要闻</a>');
  });

  it('serves RSS per column, sitemap.xml, robots.txt and the QR code of a page', async () => {
    const rss = await get('/columns/news/feed.xml');
    expect(rss.headers.get('content-type')).toContain('application/rss+xml');
    const xml = await rss.text();
    expect(xml).toContain('<title>开州要闻 - 开州智治</title>');
    expect(xml.match(/<item>/g)!.length).toBeGreaterThanOrEqual(4);
    const sitemap = await (await get('/sitemap.xml')).text();
    expect(sitemap).toContain('<loc>http://127.0.0.1:3000/towns/500154001</loc>');
    expect(sitemap).toMatch(/<loc>http:\/\/127\.0\.0\.1:3000\/articles\/\d+<\/loc><lastmod>/);
    for (const path of ['/report', '/interaction/safety', '/track', '/reports', '/interaction/letters']) expect(sitemap).toContain(`<loc>http://127.0.0.1:3000${path}</loc>`);
    expect(await (await get('/robots.txt')).text()).toContain('Sitemap: http://127.0.0.1:3000/sitemap.xml');
    const qr = await get('/qr.svg?path=%2Farticles%2F1');
    expect(qr.headers.get('content-type')).toBe('image/svg+xml');
    expect(await qr.text()).toMatch(/^<svg/);
    expect((await get('/qr.svg?path=https%3A%2F%2Fevil.example%2F')).status).toBe(422);
  });

  it('shows a town’s page with its profile, leaders and contact, and a department’s page', async () => {
    const town = await (await get('/towns/500154001')).text();
    expect(town).toContain('负责人');
    expect(town).toContain('（演示）');
    expect(town).toContain('汉丰街道开展“敲门行动”');
    expect(town).toContain('<a href="/towns">部门街镇</a>');
    expect((await get('/departments/D-CGJ')).status).toBe(200);
    expect((await get('/departments/500154001')).status).toBe(404);
  });

  it('keeps the accessibility choice in a cookie that the server applies on first paint, without JavaScript', async () => {
    const client = new Client(t.app);
    const set = await client.get('/accessibility/set?size=up&back=%2Fcolumns%2Fnews');
    expect(set.status).toBe(303);
    expect(set.headers.get('location')).toBe('/columns/news');
    await client.get('/accessibility/set?contrast=high&back=%2F');
    await client.get('/accessibility/set?size=200&back=%2F');
    const page = await (await client.get('/')).text();
    expect(page).toContain('<html lang="zh-CN" class="a11y-s200 a11y-high">');
    expect(page).toMatch(/<section id="a11y-toolbar" class="a11y-bar" aria-label="无障碍工具栏">/);
    await client.get('/accessibility/set?toggle=elder&back=%2F');
    expect(await (await client.get('/')).text()).toContain('class="a11y-s200 a11y-high a11y-spacing elder"');
    await client.get('/accessibility/set?reset=1&back=%2F');
    expect(await (await client.get('/')).text()).toContain('<html lang="zh-CN">');
    expect((await client.get('/accessibility/set?size=up&back=%2F%2Fevil.example')).headers.get('location')).toBe('/');
  });

  it('serves cached pages to visitors and fresh ones to staff, and drops the cache when something is published', async () => {
    const first = await (await get('/columns/notices')).text();
    expect(await (await get('/columns/notices')).text()).toBe(first);
    const editor = new Client(t.app);
    await editor.submit('/login', '/login', { username: 'editor', password: DEMO_PASSWORD });
    const portal = t.runtime.services!.portal;
    const notices = (await portal.site.furniture()).columns.find((c) => c.slug === 'notices')!.id;
    await portal.content.importPublished({ columnId: notices, kind: 'article', title: '缓存测试公告', bodyHtml: '<p>x</p>', publishedAt: new Date(), isDemo: false }, { userId: null, label: 'test', ip: null });
    expect(await (await get('/columns/notices')).text()).toContain('缓存测试公告');
  });
});
