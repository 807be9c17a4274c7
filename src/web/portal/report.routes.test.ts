import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../test/app.js';
import { describeEachEngine } from '../../../test/db.js';
import { DEMO_PASSWORD } from '../../modules/demo/index.js';

const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const keyOf = (html: string) => /name="idempotencyKey" value="([^"]+)"/.exec(html)![1]!;
const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'");

describeEachEngine('public reporting pages', (suite) => {
  let t: TestApp;
  let manhole: string;
  let photo: Uint8Array;
  beforeAll(async () => {
    t = await createTestApp(suite.database, { env: { CITIZEN_REOPEN_DAYS: '7', TRUST_PROXY: 'true' } });
    manhole = String((await t.runtime.services!.catalog.getByCode('BJ0101')).id);
    photo = new Uint8Array(await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 90, g: 90, b: 80 } } }).jpeg().withMetadata({ exif: { IFD0: { Artist: 'Secret Person' } } }).toBuffer());
  });

  /** Loads a form and posts it as multipart, as a browser without JavaScript does. */
  async function send(client: Client, path: string, fields: Record<string, string>, files: { name: string; type: string; bytes: Uint8Array }[] = [], page?: string): Promise<{ res: Response; html: string; key: string }> {
    const form = page ?? (await (await client.get(path)).text());
    const key = fields.idempotencyKey ?? keyOf(form);
    const body = new FormData();
    body.set('_csrf', tokenOf(form));
    body.set('idempotencyKey', key);
    for (const [k, v] of Object.entries(fields)) if (k !== 'idempotencyKey') body.append(k, v);
    for (const f of files) body.append('photos', new File([f.bytes as Uint8Array<ArrayBuffer>], f.name, { type: f.type }));
    // Each submission from its own address (TRUST_PROXY is on), so the per-address limit does not mix tests up.
    const res = await client.request(path, { method: 'POST', body, headers: { 'x-forwarded-for': `203.0.113.${Math.floor(Math.random() * 250) + 1}` } });
    return { res, html: await res.text(), key };
  }

  const good = () => ({ categoryId: manhole, description: '人行道井盖缺失，晚上很危险。', address: '汉丰街道滨湖路 88 号门前', identity: 'anonymous', consent: 'yes' });

  it('takes a report with a photo and shows the number and the lookup code once', async () => {
    const client = new Client(t.app);
    const form = await (await client.get('/report')).text();
    expect(form).toContain('我要反映');
    expect(form).toContain('name="website"');
    const { res, html } = await send(client, '/report', { ...good(), lon: '108.393', lat: '31.161' }, [{ name: 'p.jpg', type: 'image/jpeg', bytes: photo }], form);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const number = /KZ\d{14}/.exec(html)![0];
    const code = /data-code[^>]*>\s*([2-9A-Z]{8})/.exec(html)![1]!;
    const incident = await t.runtime.services!.incidents.checkLookupCode(number, code);
    expect(incident).toMatchObject({ channel: 'web', isAnonymous: true, state: 'reported' });
    expect(incident!.lon).toBeCloseTo(108.393);
    // The stored photo is the re-encoded copy without the EXIF artist.
    const ids = await suite.database.db.selectFrom('incident_attachments').select('attachment_id').where('incident_id', '=', incident!.id).execute();
    expect(ids).toHaveLength(1);
    const clean = await t.runtime.services!.attachments.read(ids[0]!.attachment_id, 'clean');
    expect(clean.bytes.includes(Buffer.from('Secret Person'))).toBe(false);
  });

  it('converts a point given in GCJ-02 (read off a Chinese map app) to WGS-84', async () => {
    const client = new Client(t.app);
    const { html } = await send(client, '/report', { ...good(), lon: '108.39785', lat: '31.15852', crs: 'gcj02' });
    const incident = (await t.runtime.services!.incidents.findByNumber(/KZ\d{14}/.exec(html)![0]))!;
    // GCJ-02 is offset by a few hundred metres from WGS-84 around Kaizhou.
    expect(Math.abs(incident.lon! - 108.39785)).toBeGreaterThan(0.002);
    expect(Math.abs(incident.lon! - 108.39785)).toBeLessThan(0.01);
    expect(Math.abs(incident.lat! - 31.15852)).toBeLessThan(0.01);
  });

  it('creates one incident when the same form is submitted twice, and shows the same code again', async () => {
    const client = new Client(t.app);
    const form = await (await client.get('/report')).text();
    const first = await send(client, '/report', good(), [], form);
    const second = await send(client, '/report', good(), [], form);
    const n1 = /KZ\d{14}/.exec(first.html)![0];
    const n2 = /KZ\d{14}/.exec(second.html)![0];
    expect(n2).toBe(n1);
    expect(second.html).toContain('重复提交只登记一次');
    const code = (h: string) => /data-code[^>]*>\s*([2-9A-Z]{8})/.exec(h)![1];
    expect(code(second.html)).toBe(code(first.html));
    const count = await suite.database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<string>().as('n')).where('idempotency_key', '=', first.key).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  const badCases: [string, Record<string, string>, string, string, number?][] = [
    ['a missing description', { description: '' }, 'description', '必填'],
    ['a description over 4,000 characters', { description: '长'.repeat(4001) }, 'description', '不能超过 4000 个字符'],
    ['no category', { categoryId: '' }, 'categoryId', '请选择问题类别'],
    ['an unknown category', { categoryId: '999999' }, 'categoryId', '请选择问题类别'],
    ['a missing address', { address: '' }, 'address', '必填'],
    ['only a longitude', { lon: '108.39' }, 'location', '经度和纬度需同时填写'],
    ['coordinates that are not numbers', { lon: 'abc', lat: '31.1' }, 'location', '经纬度格式不正确'],
    ['a location outside the district', { lon: '116.39', lat: '39.91' }, 'location', '不在开州区范围内'],
    ['a named report without a phone', { identity: 'named', name: '张三', phone: '' }, 'phone', '请填写手机号码'],
    ['a named report with a bad phone', { identity: 'named', name: '张三', phone: '12345' }, 'phone', '11 位手机号码'],
    ['no consent', { consent: '' }, 'consent', '请勾选确认'],
  ];
  it.each(badCases)('re-renders the form for %s, with the field marked and the input kept', async (_what, change, field, message) => {
    const client = new Client(t.app);
    const fields = { ...good(), ...change };
    const { res, html } = await send(client, '/report', fields);
    expect(res.status).toBe(422);
    expect(html).toContain(message);
    expect(html).toMatch(new RegExp(`id="e-${field}"`));
    expect(html).toMatch(/aria-invalid="true"/);
    const kept = decode(html);
    if (fields.description && [...fields.description].length <= 4000) expect(kept).toContain(fields.description);
    if (fields.address) expect(kept).toContain(`value="${fields.address}"`);
    if (change.lon) expect(kept).toContain(`value="${change.lon}"`);
    expect(html).not.toMatch(/data-code/);
  });

  it('refuses a file that is not an image as a field error, and keeps good photos for the retry', async () => {
    const client = new Client(t.app);
    const { res, html } = await send(client, '/report', { ...good(), description: '' }, [{ name: 'p.jpg', type: 'image/jpeg', bytes: photo }]);
    expect(res.status).toBe(422);
    const kept = /name="keptPhoto" value="([^"]+)"/.exec(html)?.[1];
    expect(kept).toBeDefined();
    // Its thumbnail shows on the form again, for this form's key only.
    const thumb = /<img src="(\/report\/photos\/[^"]+)"/.exec(html)![1]!;
    expect((await client.get(thumb)).headers.get('content-type')).toMatch(/^image\//);
    expect(thumb).not.toContain('pr-'); // the submission key (which derives the lookup code) never goes into an address
    expect((await client.get(thumb.replace(/\.[A-Za-z0-9_-]{16}$/, '.AAAAAAAAAAAAAAAA'))).status).toBe(404);
    const bad = await send(client, '/report', good(), [{ name: 'notes.txt', type: 'text/plain', bytes: new TextEncoder().encode('not an image') }]);
    expect(bad.res.status).toBe(422);
    expect(bad.html).toContain('“notes.txt”不是图片');
    expect(bad.html).toMatch(/id="e-photos"/);
    // The retry with the kept photo stores it with the report; a kept reference from another form is ignored.
    const page = html;
    const retry = await send(client, '/report', { ...good(), keptPhoto: kept! }, [], page);
    const number = /KZ\d{14}/.exec(retry.html)![0];
    const incident = (await t.runtime.services!.incidents.findByNumber(number))!;
    const attached = await suite.database.db.selectFrom('incident_attachments').select('attachment_id').where('incident_id', '=', incident.id).execute();
    expect(attached).toHaveLength(1);
    const forged = await send(client, '/report', { ...good(), keptPhoto: kept! });
    const other = (await t.runtime.services!.incidents.findByNumber(/KZ\d{14}/.exec(forged.html)![0]))!;
    expect(await suite.database.db.selectFrom('incident_attachments').select('attachment_id').where('incident_id', '=', other.id).execute()).toHaveLength(0);
  });

  it('refuses more than 6 photos as a field error', async () => {
    const client = new Client(t.app);
    const files = Array.from({ length: 7 }, (_, i) => ({ name: `p${i}.jpg`, type: 'image/jpeg', bytes: photo }));
    const { res, html } = await send(client, '/report', good(), files);
    expect(res.status).toBe(422);
    expect(html).toContain('最多上传 6 张照片');
  });

  it('refuses a photo over 10 MB as a field error, keeping the input', async () => {
    const client = new Client(t.app);
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    const { res, html } = await send(client, '/report', good(), [{ name: 'big.jpg', type: 'image/jpeg', bytes: big }]);
    expect(res.status).toBe(422);
    expect(html).toMatch(/id="e-photos"[^>]*>文件过大（上限 10 MB）/);
    expect(decode(html)).toContain(good().description);
  });

  it('answers a filled honeypot normally and stores nothing', async () => {
    const client = new Client(t.app);
    const before = await suite.database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const { res, html } = await send(client, '/report', { ...good(), website: 'http://spam.example' });
    expect(res.status).toBe(200);
    expect(html).toContain('提交成功');
    const after = await suite.database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('replaces a forged submission key instead of trusting it', async () => {
    const client = new Client(t.app);
    const { html } = await send(client, '/report', { ...good(), idempotencyKey: 'pr-forged', description: '' });
    expect(keyOf(html)).not.toBe('pr-forged');
    expect(keyOf(html)).toMatch(/^pr-[0-9a-f]{32}\./);
  });

  it('tracks with number and code, shows private details, lets the reporter rate and reopen; a wrong code is refused', async () => {
    const services = t.runtime.services!;
    const client = new Client(t.app);
    const { html } = await send(client, '/report', { ...good(), identity: 'named', name: '王小明', phone: '13912345678', description: '滨湖路井盖缺失，我是王小明，电话 13912345678。' });
    const number = /KZ\d{14}/.exec(html)![0];
    const code = /data-code[^>]*>\s*([2-9A-Z]{8})/.exec(html)![1]!;
    // The public page: state and timeline, no names or phone numbers.
    const stranger = new Client(t.app);
    const pub = await (await stranger.get(`/reports/${number}`)).text();
    expect(pub).toContain('待受理');
    expect(pub).not.toContain('王小明');
    expect(pub).not.toContain('13912345678');
    // A wrong code: a clear error, nothing unlocked.
    const wrong = await stranger.submit('/track', '/track', { number, code: 'ABCDEFGH' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('受理编号或查询码不正确');
    expect(stranger.cookie('zz_lookup')).toBeUndefined();
    const malformed = await stranger.submit('/track', '/track', { number: 'nonsense', code: '1' });
    expect(malformed.status).toBe(422);
    // Staff answer and close it.
    const incident = (await services.incidents.findByNumber(number))!;
    const dispatcher = (await services.identity.actorByUsername('supervisor'))!;
    const staff = { userId: dispatcher.user.id, label: 'supervisor', ip: null };
    await services.incidents.act(incident.id, { action: 'accept' }, dispatcher, staff);
    await services.incidents.act(incident.id, { action: 'answer', reply: '已补装井盖。' }, dispatcher, staff);
    // The reporter unlocks the page with the code (kept in a short-lived signed cookie) and rates.
    const owner = new Client(t.app);
    const ok = await owner.submit(`/reports/${number}`, '/track', { number, code: code.toLowerCase() });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/reports/${number}`);
    const mine = await (await owner.get(`/reports/${number}`)).text();
    expect(mine).toContain('王小明');
    expect(mine).toContain('对办理结果进行评价');
    const noRating = await owner.submit(`/reports/${number}`, `/reports/${number}/rate`, { ratingComment: '还行' });
    expect(noRating.status).toBe(422);
    expect(await noRating.text()).toContain('还行');
    const rated = await owner.submit(`/reports/${number}`, `/reports/${number}/rate`, { rating: 'basically_satisfied', ratingComment: '还行' });
    expect(rated.status).toBe(303);
    expect((await services.incidents.get(incident.id)).rating).toBe('basically_satisfied');
    const again = await owner.submit(`/reports/${number}`, `/reports/${number}/rate`, { rating: 'unsatisfied' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('该事件已评价');
    // A stranger cannot rate or reopen without the code.
    const denied = await stranger.submit(`/reports/${number}`, `/reports/${number}/reopen`, { reason: '没修好' });
    expect(denied.status).toBe(303);
    expect(denied.headers.get('location')).toBe(`/track?number=${number}`);
    const reopened = await owner.submit(`/reports/${number}`, `/reports/${number}/reopen`, { reason: '井盖又松动了' });
    expect(reopened.status).toBe(303);
    expect((await services.incidents.get(incident.id)).state).toBe('filed');
  });

  it('shows result photos marked public to everyone, and the reporter photos only with the code', async () => {
    const services = t.runtime.services!;
    const client = new Client(t.app);
    const { html } = await send(client, '/report', good(), [{ name: 'p.jpg', type: 'image/jpeg', bytes: photo }]);
    const number = /KZ\d{14}/.exec(html)![0];
    const incident = (await services.incidents.findByNumber(number))!;
    const supervisor = (await services.identity.actorByUsername('supervisor'))!;
    const by = { userId: supervisor.user.id, label: 'supervisor', ip: null };
    const result = await services.attachments.store(photo, { name: 'after.jpg', allow: 'image' }, by);
    await services.incidents.act(incident.id, { action: 'note', reason: '现场照片', attachmentIds: [result.id], publicAttachments: true }, supervisor, by);
    const reporterPhoto = (await suite.database.db.selectFrom('incident_attachments').select('attachment_id').where('incident_id', '=', incident.id).where('public', '=', false).executeTakeFirstOrThrow()).attachment_id;
    const stranger = new Client(t.app);
    const page = await (await stranger.get(`/reports/${number}`)).text();
    expect(page).toContain(`/reports/${number}/photos/${result.id}/thumb`);
    expect(page).not.toContain(`/photos/${reporterPhoto}/`);
    const served = await stranger.get(`/reports/${number}/photos/${result.id}/clean`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^image\//);
    expect((await stranger.get(`/reports/${number}/photos/${reporterPhoto}/clean`)).status).toBe(404);
  });

  it('hides a report of a non-public category without the code', async () => {
    const client = new Client(t.app);
    const collapse = String((await t.runtime.services!.catalog.getByCode('SJ0502')).id);
    const { html } = await send(client, '/report', { ...good(), categoryId: collapse });
    const number = /KZ\d{14}/.exec(html)![0];
    expect((await new Client(t.app).get(`/reports/${number}`)).status).toBe(404);
  });

  it('throttles lookup attempts per address with a friendly 429 and Retry-After', async () => {
    const client = new Client(t.app);
    const headers = { 'x-forwarded-for': '198.51.100.77' };
    let last: Response | undefined;
    const page = await (await client.get('/track')).text();
    for (let i = 0; i < 12; i++) {
      last = await client.request('/track', { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: tokenOf(page), number: 'KZ20260302000001', code: 'ABCDEFGH' }).toString() });
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last!.text()).toContain('查询码输错次数过多');
  });

  it('takes letters in the interaction columns with the right request type and channel', async () => {
    const services = t.runtime.services!;
    const cases: [string, string | null, string][] = [
      ['consult', 'consult', 'web'],
      ['suggest', 'suggestion', 'web'],
      ['complain', 'complaint', 'web'],
      ['report', 'report', 'web'],
      ['mailbox', null, 'leader'],
    ];
    for (const [kind, requestType, channel] of cases) {
      const client = new Client(t.app);
      const { res, html } = await send(client, `/interaction/${kind}`, { title: `关于${kind}的来信`, description: '请问老旧小区改造什么时候开始？', identity: 'anonymous', consent: 'yes' });
      expect(res.status, kind).toBe(200);
      const incident = (await services.incidents.findByNumber(/KZ\d{14}/.exec(html)![0]))!;
      expect(incident, kind).toMatchObject({ requestType, channel, title: `关于${kind}的来信` });
    }
    const missing = await send(new Client(t.app), '/interaction/consult', { title: '', description: '内容', identity: 'anonymous', consent: 'yes' });
    expect(missing.res.status).toBe(422);
    expect(missing.html).toMatch(/id="e-title"/);
    // A subject longer than an incident's title holds is refused, not cut: the writer sees it and keeps the text.
    const long = await send(new Client(t.app), '/interaction/consult', { title: '长'.repeat(101), description: '内容', identity: 'anonymous', consent: 'yes' });
    expect(long.res.status).toBe(422);
    expect(long.html).toMatch(/id="e-title"[^>]*>不能超过 100 个字符/);
    expect(long.html).toContain('长'.repeat(101));
  });

  it('lets staff publish a reply with personal data removed on the letters page', async () => {
    const services = t.runtime.services!;
    const client = new Client(t.app);
    const { html } = await send(client, '/interaction/suggest', { title: '建议增设路灯', description: '我是李四，住滨湖路 12 号 3 栋，电话 13700001111，建议增设路灯。', identity: 'named', name: '李四', phone: '13700001111', consent: 'yes' });
    const incident = (await services.incidents.findByNumber(/KZ\d{14}/.exec(html)![0]))!;
    const staff = new Client(t.app);
    expect((await staff.submit('/login', '/login', { username: 'supervisor', password: DEMO_PASSWORD })).status).toBe(303);
    const actor = (await services.identity.actorByUsername('supervisor'))!;
    const by = { userId: actor.user.id, label: 'supervisor', ip: null };
    await services.incidents.act(incident.id, { action: 'accept' }, actor, by);
    await services.incidents.act(incident.id, { action: 'answer', reply: '李四您好，已列入明年计划。' }, actor, by);
    const wb = await (await staff.get(`/workbench/incidents/${incident.id}`)).text();
    expect(wb).toContain('答复选登公开');
    const published = await staff.submit(`/workbench/incidents/${incident.id}`, `/workbench/incidents/${incident.id}/publish`, {});
    expect(published.status).toBe(303);
    const letters = await (await new Client(t.app).get('/interaction/letters')).text();
    expect(letters).toContain('建议增设路灯');
    expect(letters).toContain('李某');
    expect(letters).not.toContain('李四');
    expect(letters).not.toContain('13700001111');
    expect(letters).not.toContain('12 号');
  });

  it('offers similar open reports nearby and counts a support once per form', async () => {
    const services = t.runtime.services!;
    const client = new Client(t.app);
    await send(client, '/report', { ...good(), lon: '108.3935', lat: '31.1612' });
    const nearby = (await (await client.get(`/report/nearby?categoryId=${manhole}&lon=108.3936&lat=31.1613`)).json()) as { items: { number: string; supporters: number }[] };
    expect(nearby.items.length).toBeGreaterThan(0);
    const target = nearby.items[0]!;
    const form = await (await client.get('/report')).text();
    const key = keyOf(form);
    const supported = await client.post('/report/support', { _csrf: tokenOf(form), number: target.number, idempotencyKey: key });
    expect(supported.status).toBe(200);
    expect(await supported.text()).toContain('感谢您的支持');
    const twice = await client.post('/report/support', { _csrf: tokenOf(form), number: target.number, idempotencyKey: key });
    expect(await twice.text()).toContain('您已经支持过');
    expect((await services.incidents.findByNumber(target.number))!.supporters).toBe(target.supporters + 1);
  });

  it('links the interaction channels to their forms', async () => {
    const html = await (await new Client(t.app).get('/columns/interaction')).text();
    for (const href of ['/track', '/interaction/letters', '/report', '/interaction/consult', '/interaction/suggest', '/interaction/complain', '/interaction/report', '/interaction/mailbox']) expect(html).toContain(`href="${href}"`);
  });
});
