import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../../test/app.js';
import { describeEachEngine } from '../../../../test/db.js';
import { FakeClock } from '../../../kernel/clock.js';
import { DEMO_PASSWORD } from '../../../modules/demo/index.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9, 9]);

describeEachEngine('editors’ pages', (suite) => {
  let t: TestApp;
  let clock: FakeClock;
  beforeAll(async () => {
    clock = new FakeClock(new Date());
    t = await createTestApp(suite.database, { clock, env: { UPLOAD_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'zz-uploads-')) } });
  });
  const signIn = async (username: string) => {
    const client = new Client(t.app);
    expect((await client.submit('/login', '/login', { username, password: DEMO_PASSWORD })).status).toBe(303);
    return client;
  };
  const tokenOf = async (client: Client, page: string) => /name="_csrf" value="([^"]+)"/.exec(await (await client.get(page)).text())![1]!;
  const newsId = async () => (await t.runtime.services!.portal.site.furniture()).columns.find((c) => c.slug === 'news')!.id;

  it('lets an editor draft, a second editor review, and the editor schedule; the worker publishes it', async () => {
    const editor = await signIn('editor');
    const reviewer = await signIn('reviewer');
    const created = await editor.submit('/workbench/content/new', '/workbench/content', {
      columnId: String(await newsId()),
      kind: 'article',
      title: '页面起草的要闻',
      source: '演示编辑部',
      bodyHtml: '<p onclick="x()">第一段。</p><script>alert(1)</script><p><a href="javascript:alert(2)">链接</a></p>',
    });
    expect(created.status).toBe(303);
    const page = created.headers.get('location')!;
    const id = page.split('/').pop()!.split('?')[0]!;
    const draft = await (await editor.get(page)).text();
    expect(draft).toContain('正文中的以下内容已被自动去除');
    expect(draft).toContain('&lt;script&gt; 标签 1 处');
    expect(draft).toContain('on* 属性 1 处');
    expect(draft).toContain('不安全或站外的地址（javascript:）1 处');

    expect((await editor.submit(`/workbench/content/${id}`, `/workbench/content/${id}/transition`, { action: 'submit' })).status).toBe(303);
    // The author sees no approve button, and approving by hand is refused.
    expect(await (await editor.get(`/workbench/content/${id}`)).text()).not.toContain('value="approve"');
    expect((await editor.submit(`/workbench/content/${id}`, `/workbench/content/${id}/transition`, { action: 'approve' })).status).toBe(403);
    const queue = await (await reviewer.get('/workbench/content')).text();
    expect(queue).toMatch(/待审核（\d+ 篇）/);
    expect(await (await reviewer.get(`/workbench/content/${id}`)).text()).toContain('value="approve"');
    expect((await reviewer.submit(`/workbench/content/${id}`, `/workbench/content/${id}/transition`, { action: 'approve' })).status).toBe(303);

    const inTwoHours = new Date(clock.now().getTime() + 2 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 16);
    const scheduled = await editor.submit(`/workbench/content/${id}`, `/workbench/content/${id}/transition`, { action: 'schedule', at: inTwoHours });
    expect(scheduled.status).toBe(303);
    expect(await (await editor.get(scheduled.headers.get('location')!)).text()).toContain('已设置定时发布');
    expect((await t.app.request(`/articles/${id}`)).status).toBe(404);

    clock.advance(2 * 3600_000 + 60_000);
    expect(await t.runtime.services!.portal.content.runDue()).toMatchObject({ published: 1 });
    const article = await t.app.request(`/articles/${id}`);
    expect(article.status).toBe(200);
    const html = await article.text();
    expect(html).toContain('页面起草的要闻');
    expect(html).not.toMatch(/onclick|javascript:|<script>alert/);
  });

  it('refuses an image without alt text, accepts one with it, and serves the file by its hash', async () => {
    const editor = await signIn('editor');
    const created = await editor.submit('/workbench/content/new', '/workbench/content', { columnId: String(await newsId()), kind: 'article', title: '图片稿', bodyHtml: '正文' });
    const id = created.headers.get('location')!.split('/').pop()!.split('?')[0]!;
    const upload = async (alt: string) => {
      const form = new FormData();
      form.set('_csrf', await tokenOf(editor, `/workbench/content/${id}`));
      form.set('file', new File([PNG], '湖边.png', { type: 'image/png' }));
      form.set('alt', alt);
      form.set('caption', '汉丰湖东岸');
      return editor.request(`/workbench/content/${id}/images`, { method: 'POST', body: form });
    };
    const refused = await upload('');
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('缺少替代文字');
    expect((await upload('湖边的新步道')).status).toBe(303);
    const page = await (await editor.get(`/workbench/content/${id}`)).text();
    const src = /<img src="(\/files\/[0-9a-f]{64}\/[^"]+)" alt="湖边的新步道"/.exec(page)![1]!;
    const file = await t.app.request(src);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('cache-control')).toContain('immutable');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG);
  });

  it('shows the difference between two revisions', async () => {
    const editor = await signIn('editor');
    const created = await editor.submit('/workbench/content/new', '/workbench/content', { columnId: String(await newsId()), kind: 'article', title: '比较稿', bodyHtml: '会议于周二召开。' });
    const id = created.headers.get('location')!.split('/').pop()!.split('?')[0]!;
    await editor.submit(`/workbench/content/${id}`, `/workbench/content/${id}/save`, { columnId: String(await newsId()), kind: 'article', title: '比较稿', bodyHtml: '会议于周三召开。', note: '改日期' });
    const diff = await (await editor.get(`/workbench/content/${id}/diff?from=1&to=2`)).text();
    expect(diff).toContain('<del>二</del>');
    expect(diff).toContain('<ins>三</ins>');
  });

  it('lets editors maintain columns, footer links, word lists and town pages, and shows the freshness monitor', async () => {
    const editor = await signIn('editor');
    expect((await editor.submit('/workbench/columns', '/workbench/columns', { name: '专题专栏', slug: 'zhuanti', kind: 'news', sortOrder: '70', freshnessDays: '30' })).status).toBe(303);
    expect(await (await t.app.request('/')).text()).toContain('<a href="/columns/zhuanti">专题专栏</a>');
    const group = (await t.runtime.services!.portal.site.furniture()).linkGroups.find((g) => g.key === 'media')!;
    const bad = await editor.submit('/workbench/links', `/workbench/link-groups/${group.id}/links`, { label: '坏', url: 'javascript:alert(1)', sortOrder: '1' });
    expect(bad.status).toBe(422);
    expect((await editor.submit('/workbench/links', `/workbench/link-groups/${group.id}/links`, { label: '开州日报（演示）', url: 'https://news.example.cn/', sortOrder: '5' })).status).toBe(303);
    expect(await (await t.app.request('/')).text()).toContain('开州日报（演示）');
    expect((await editor.submit('/workbench/words', '/workbench/words', { kind: 'typo', word: '帐户', suggestion: '账户' })).status).toBe(303);
    expect(await (await editor.get('/workbench/words')).text()).toContain('帐户');
    expect((await editor.submit('/workbench/profiles/500154104', '/workbench/profiles/500154104', { intro: '温泉镇介绍（测试）', leaders: '李四 | 镇长 | 主持政府工作', officeHours: '工作日' })).status).toBe(303);
    const town = await (await t.app.request('/towns/500154104')).text();
    expect(town).toContain('温泉镇介绍（测试）');
    expect(town).toContain('李四');
    const fresh = await editor.submit('/workbench/freshness', '/workbench/freshness', {});
    expect(fresh.status).toBe(200);
    const html = await fresh.text();
    expect(html).toContain('首页');
    expect(html).toContain('栏目“专题专栏”没有已发布的内容');
  });

  it('keeps content pages from people without editor rights', async () => {
    const handler = await signIn('handler');
    expect((await handler.get('/workbench/content')).status).toBe(403);
    expect((await handler.get('/workbench/columns')).status).toBe(403);
    const visitor = new Client(t.app);
    expect((await visitor.get('/workbench/content')).status).toBe(303);
  });
});
