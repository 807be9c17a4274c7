import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../test/app.js';
import { describeEachEngine } from '../../../test/db.js';
import { TEST_REPORTER_KEY } from '../../../test/safety.js';
import { DEMO_PASSWORD } from '../../modules/demo/index.js';

const PNG_1x1 = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describeEachEngine('the 12350 form and the reporter identity in the workbench', (suite) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(suite.database, { env: { REPORTER_KEY: TEST_REPORTER_KEY } });
  });

  const count = async (table: 'incidents' | 'safety_reports') => (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(suite.database.db)).rows[0]!.n;
  const fieldsOf = (html: string) => ({ csrf: /name="_csrf" value="([^"]+)"/.exec(html)![1]!, submission: /name="submission" value="([^"]+)"/.exec(html)![1]! });
  const good: Record<string, string> = {
    hazardKind: 'illegal_operation',
    occurredAt: '2026-03-01T21:00',
    address: '汉丰街道安康路 12 号',
    businessName: '开州区某某烟花爆竹经营部',
    businessCreditCode: '91500234MA5U4XXX0J',
    circumstances: '无证储存烟花爆竹，仓库紧邻居民楼。',
    mode: 'real',
    reporterName: '刘建国',
    reporterPhone: '13512345678',
  };
  const post = async (client: Client, fields: Record<string, string>, files: File[] = [], reuse?: { csrf: string; submission: string }) => {
    const page = reuse ?? fieldsOf(await (await client.get('/interaction/safety')).text());
    const form = new FormData();
    form.set('_csrf', page.csrf);
    form.set('submission', page.submission);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    for (const f of files) form.append('evidence', f);
    return { res: await client.request('/interaction/safety', { method: 'POST', body: form }), page };
  };

  it('is linked from the 互动交流 column and shows the form in Chinese, with a honeypot and a submission key', async () => {
    const client = new Client(t.app);
    expect(await (await client.get('/columns/interaction')).text()).toContain('href="/interaction/safety"');
    const res = await client.get('/interaction/safety');
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const text of ['安全生产举报（12350）', '非法违法生产经营', '重大事故隐患', '瞒报谎报事故', '实名举报', '匿名举报', 'enctype="multipart/form-data"', 'name="website"']) expect(html).toContain(text);
    expect(fieldsOf(html).submission).toMatch(/^pr-[0-9a-f]{32}\.[A-Za-z0-9_-]{22}$/);
  });

  it('takes a real-name report with a photo and a PDF and shows the receipt at once; a double submission makes one report', async () => {
    const client = new Client(t.app);
    const before = await count('incidents');
    const { res, page } = await post(client, good, [new File([PNG_1x1], 'scene.png', { type: 'image/png' }), new File([PDF], 'permit.pdf', { type: 'application/pdf' })]);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('举报已受理');
    const number = /class="receipt-number">(KZ\d+)</.exec(html)![1]!;
    const code = /class="receipt-code">([2-9A-Z]{8})</.exec(html)![1]!;
    const incident = (await t.runtime.services!.incidents.checkLookupCode(number, code))!;
    expect(incident).toMatchObject({ channel: 'hotline_12350', state: 'accepted' });
    const names = (await sql<{ original_name: string }>`select a.original_name from incident_attachments ia join attachments a on a.id = ia.attachment_id where ia.incident_id = ${incident.id} order by a.id`.execute(suite.database.db)).rows;
    expect(names.map((r) => r.original_name)).toEqual(['evidence-1.png', 'evidence-2.pdf']);
    // The same form sent again (a double click, a retry after a timeout): the same report, no second one.
    const again = await post(client, good, [], page);
    expect(again.res.status).toBe(200);
    const second = await again.res.text();
    expect(second).toContain(number);
    expect(second).toContain('没有重复受理');
    expect(second).toContain(`>${code}<`); // the same lookup code again: a reporter whose first answer was lost still gets it
    expect(await count('incidents')).toBe(before + 1);
  });

  it('re-renders the form with each bad field marked and the input kept, storing nothing', async () => {
    const client = new Client(t.app);
    const before = [await count('incidents'), await count('safety_reports')];
    const { res } = await post(client, { ...good, businessName: '', businessCreditCode: '91500234MA5U4XXX0K', circumstances: '险'.repeat(4001), reporterPhone: '110', lon: '120.0', lat: '' });
    expect(res.status).toBe(422);
    const html = await res.text();
    for (const id of ['sf-businessName', 'sf-businessCreditCode', 'sf-circumstances', 'sf-reporterPhone']) expect(html).toMatch(new RegExp(`id="${id}"[^>]*aria-invalid="true"`));
    expect(html).toContain('统一社会信用代码不正确');
    expect(html).toContain('不能超过 4000 个字符');
    expect(html).toContain('请填写正确的手机号或固定电话');
    expect(html).toContain('value="刘建国"');
    expect(html).toContain('value="91500234MA5U4XXX0K"');
    expect([await count('incidents'), await count('safety_reports')]).toEqual(before);
  });

  it('asks for name and phone with a real-name report but not with an anonymous one', async () => {
    const client = new Client(t.app);
    const named = await post(client, { ...good, reporterName: '', reporterPhone: '' });
    expect(named.res.status).toBe(422);
    expect(await named.res.text()).toMatch(/id="sf-reporterName"[^>]*aria-invalid="true"/);
    const anonymous = await post(client, { ...good, mode: 'anonymous', reporterName: '', reporterPhone: '' });
    expect(anonymous.res.status).toBe(200);
    expect(await anonymous.res.text()).toContain('您选择了匿名举报');
  });

  it('refuses a file that is not a photo or a PDF, a place outside the district, and a filled honeypot', async () => {
    const client = new Client(t.app);
    const before = await count('incidents');
    const fake = await post(client, good, [new File([new TextEncoder().encode('MZ not an image')], 'photo.jpg', { type: 'image/jpeg' })]);
    expect(fake.res.status).toBe(422);
    const fakeHtml = await fake.res.text();
    expect(fakeHtml).toContain('证据材料只接受照片');
    expect(fakeHtml).toMatch(/id="sf-evidence"[^>]*aria-invalid="true"/);
    const outside = await post(client, { ...good, lon: '116.397', lat: '39.909' });
    expect(outside.res.status).toBe(422);
    expect(await outside.res.text()).toContain('该位置不在开州区范围内');
    const bot = await post(client, { ...good, website: 'http://spam.example' });
    expect(bot.res.status).toBe(422);
    expect(await bot.res.text()).toContain('提交未通过校验');
    expect(await count('incidents')).toBe(before);
  });

  it('throttles one address after 10 reports an hour, keeping what was typed; other addresses go on', async () => {
    const proxied = await createTestApp(suite.database, { env: { REPORTER_KEY: TEST_REPORTER_KEY, TRUST_PROXY: 'true' }, demo: false });
    const from = (ip: string) => {
      const client = new Client(proxied.app);
      const request = client.request.bind(client);
      client.request = (p, init = {}) => {
        const headers = new Headers(init.headers);
        headers.set('x-forwarded-for', ip);
        return request(p, { ...init, headers });
      };
      return client;
    };
    const busy = from('198.51.100.7');
    for (let i = 0; i < 10; i++) expect((await post(busy, { ...good, mode: 'anonymous' })).res.status).toBe(200);
    const before = await count('incidents');
    const { res } = await post(busy, { ...good, circumstances: '第十一份举报的内容' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const html = await res.text();
    expect(html).toContain('同一网络地址提交的举报过多');
    expect(html).toContain('第十一份举报的内容');
    expect(await count('incidents')).toBe(before);
    expect((await post(from('198.51.100.8'), good)).res.status).toBe(200);
  });

  it('refuses a post without the form token', async () => {
    const client = new Client(t.app);
    const res = await client.post('/interaction/safety', good);
    expect(res.status).toBe(403);
  });

  it('shows staff the report and its reward flag; the identity only on a POST by a holder of the grant, audited', async () => {
    const citizen = new Client(t.app);
    const { res } = await post(citizen, { ...good, reporterName: '孙丽华', reporterPhone: '13300001234' });
    const number = /class="receipt-number">(KZ\d+)</.exec(await res.text())![1]!;
    const incident = (await t.runtime.services!.incidents.findByNumber(number))!;
    const signIn = async (username: string, password = DEMO_PASSWORD) => {
      const client = new Client(t.app);
      expect((await client.submit('/login', '/login', { username, password })).status).toBe(303);
      return client;
    };
    const supervisor = await signIn('supervisor');
    const page = await (await supervisor.get(`/workbench/incidents/${incident.id}`)).text();
    expect(page).toContain('12350 安全生产举报');
    expect(page).toContain('开州区某某烟花爆竹经营部');
    expect(page).toContain('data-eligibility="eligible"');
    expect(page).not.toContain('孙丽华');
    expect(page).not.toContain('13300001234');
    expect(page).not.toContain('reporter-identity');
    // Without the grant, a forged POST is refused and recorded.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const refused = await supervisor.post(`/workbench/incidents/${incident.id}/reporter-identity`, { _csrf: csrf });
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('孙丽华');
    // The administrator grants it on the people page; the supervisor then sees the button and the identity.
    const admin = await signIn('admin');
    const supervisorId = (await t.runtime.services!.identity.actorByUsername('supervisor'))!.userId;
    const personPage = await (await admin.get(`/workbench/people/${supervisorId}`)).text();
    expect(personPage).toContain('value="reporter.identity.read"');
    expect((await admin.post(`/workbench/people/${supervisorId}/grant`, { _csrf: /name="_csrf" value="([^"]+)"/.exec(personPage)![1]!, permission: 'reporter.identity.read' })).status).toBe(303);
    const granted = await signIn('supervisor');
    const withButton = await (await granted.get(`/workbench/incidents/${incident.id}`)).text();
    expect(withButton).toContain(`action="/workbench/incidents/${incident.id}/reporter-identity"`);
    expect((await granted.get(`/workbench/incidents/${incident.id}/reporter-identity`)).status).toBe(404);
    const shown = await granted.post(`/workbench/incidents/${incident.id}/reporter-identity`, { _csrf: /name="_csrf" value="([^"]+)"/.exec(withButton)![1]! });
    expect(shown.status).toBe(200);
    expect(shown.headers.get('cache-control')).toBe('no-store');
    const html = await shown.text();
    expect(html).toContain('孙丽华');
    expect(html).toContain('13300001234');
    const audit = t.runtime.services!.audit;
    expect(await audit.search({ action: 'safety.identity_refused', targetId: number }, { limit: 5 })).toHaveLength(1);
    expect(await audit.search({ action: 'safety.identity_read', targetId: number }, { limit: 5 })).toEqual([expect.objectContaining({ actorLabel: 'supervisor' })]);
  });
});

describeEachEngine('the 12350 form without a reporter key on PostgreSQL', (suite) => {
  it('refuses clearly instead of storing identities in plain text', async () => {
    // DATABASE_URL in the configuration means "PostgreSQL": no key is generated. The test database serves either way.
    const t = await createTestApp(suite.database, { env: { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, demo: false });
    const client = new Client(t.app);
    const res = await client.get('/interaction/safety');
    expect(res.status).toBe(503);
    const html = await res.text();
    expect(html).toContain('系统尚未配置举报人信息加密密钥');
    expect(html).not.toContain('name="submission"');
  });
});
