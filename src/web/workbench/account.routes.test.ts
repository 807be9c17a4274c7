import { beforeAll, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../test/app.js';
import { describeEachEngine } from '../../../test/db.js';
import { FakeClock } from '../../kernel/clock.js';
import { SYSTEM } from '../../kernel/initiator.js';
import { base32Decode, totp } from '../../modules/identity/index.js';

const PASSWORD = 'Hanfeng-lake-2026';
const MIN = 60_000;

describeEachEngine('sign-in and account pages', (suite) => {
  let t: TestApp;
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  beforeAll(async () => {
    t = await createTestApp(suite.database, { clock });
  });
  const person = (username: string) =>
    t.runtime.services!.identity.createUser({ username, displayName: `${username}（测试）`, password: PASSWORD, posts: [{ unitCode: '500154001', role: 'grid_worker' }] }, SYSTEM);
  const signIn = async (username: string, password = PASSWORD, client = new Client(t.app)) => {
    const res = await client.submit('/login', '/login', { username, password });
    return { client, res };
  };

  it('says when to try again after 5 wrong passwords, with Retry-After, and the same for a name that does not exist', async () => {
    await person('lock.page');
    for (const name of ['lock.page', 'no.such.name']) {
      for (let i = 0; i < 4; i++) expect((await signIn(name, `wrong-password-${i}`)).res.status).toBe(401);
      const { res } = await signIn(name, 'wrong-password-5');
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('900');
      const html = await res.text();
      expect(html).toContain('登录失败次数过多，已暂时锁定。请在 15 分钟后（北京时间 09:15 以后）再试');
      expect(html).toContain(`value="${name}"`);
    }
    expect((await signIn('lock.page')).res.status).toBe(429);
    clock.advance(15 * MIN);
    expect((await signIn('lock.page')).res.status).toBe(303);
  });

  it('sends a request with an idle session to the sign-in page and says why', async () => {
    await person('idle.page');
    const { client } = await signIn('idle.page');
    expect((await client.get('/workbench')).status).toBe(200);
    clock.advance(2 * 60 * MIN);
    const res = await client.get('/workbench/account');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fworkbench%2Faccount&reason=idle');
    const page = await client.get(res.headers.get('location')!);
    expect(await page.text()).toContain('超过 2 小时未操作，已自动退出，请重新登录。');
    expect(client.cookie('zz_session')).toBeUndefined();
  });

  it('treats a forged session cookie as no session, says so, and a form post with it is refused without effect', async () => {
    const client = new Client(t.app);
    await client.get('/login');
    const forged = await t.app.request('/workbench', { headers: { cookie: 'zz_session=forged-value-0123456789' } });
    expect(forged.status).toBe(303);
    expect(forged.headers.get('location')).toContain('reason=invalid');
    expect(forged.headers.get('set-cookie')).toMatch(/zz_session=;/);
  });

  it('changes the password on its page: wrong current one, weak or mismatched new one, then success ending other sessions', async () => {
    await person('pw.page');
    const { client } = await signIn('pw.page');
    const { client: other } = await signIn('pw.page');
    const submit = (fields: Record<string, string>) => client.submit('/workbench/account/password', '/workbench/account/password', fields);
    let res = await submit({ currentPassword: 'not-it-at-all', newPassword: 'Kaizhou-river-77', confirmPassword: 'Kaizhou-river-77' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('当前密码不正确。');
    res = await submit({ currentPassword: PASSWORD, newPassword: 'short', confirmPassword: 'short' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('密码太短：至少需要 10 个字符。');
    res = await submit({ currentPassword: PASSWORD, newPassword: 'Kaizhou-river-77', confirmPassword: 'Kaizhou-river-78' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('两次输入的新密码不一致。');
    res = await submit({ currentPassword: PASSWORD, newPassword: 'Kaizhou-river-77', confirmPassword: 'Kaizhou-river-77' });
    expect(res.status).toBe(303);
    expect(await (await client.get(res.headers.get('location')!)).text()).toContain('密码已修改。其他设备上的登录已全部退出。');
    expect((await other.get('/workbench')).headers.get('location')).toContain('reason=invalid');
    expect((await signIn('pw.page', 'Kaizhou-river-77')).res.status).toBe(303);
  });

  it('lists the devices signed in and signs out everywhere', async () => {
    await person('everywhere.page');
    const { client } = await signIn('everywhere.page');
    const { client: phone } = await signIn('everywhere.page');
    const page = await (await client.get('/workbench/account')).text();
    expect(page.match(/<span class="pill">本设备<\/span>/g)).toHaveLength(1);
    expect(page.match(/<tr>/g)).toHaveLength(3); // a heading row and two devices
    expect(page).toContain('在所有设备上退出');
    const res = await client.submit('/workbench/account', '/workbench/account/sign-out-everywhere', {});
    expect(res.headers.get('location')).toBe('/login?reason=everywhere');
    expect(await (await client.get('/login?reason=everywhere')).text()).toContain('已在所有设备上退出登录。');
    expect((await phone.get('/workbench')).status).toBe(303);
    expect((await client.get('/workbench')).status).toBe(303);
  });

  it('sets up TOTP with a server-drawn QR code, shows recovery codes once, then asks for a code at sign-in', async () => {
    await person('totp.page');
    const { client } = await signIn('totp.page');
    const intro = await (await client.get('/workbench/account/second-factor')).text();
    expect(intro).toContain('开始设置');
    const started = await client.submit('/workbench/account/second-factor', '/workbench/account/second-factor/start', {});
    expect(started.status).toBe(303);
    const setup = await client.get('/workbench/account/second-factor');
    expect(setup.headers.get('cache-control')).toBe('no-store');
    const html = await setup.text();
    expect(html).toMatch(/<svg class="qr-code" role="img" aria-label="[^"]+" focusable="false" xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)|style=/); // no inline script or style (the CSP forbids them)
    const secret = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(html)![1]!;
    const key = base32Decode(secret);
    const wrong = await client.submit('/workbench/account/second-factor', '/workbench/account/second-factor/confirm', { code: '000000' === totp(key, clock.now()) ? '111111' : '000000' });
    expect(wrong.status).toBe(422);
    const confirmed = await client.submit('/workbench/account/second-factor', '/workbench/account/second-factor/confirm', { code: totp(key, clock.now()) });
    expect(confirmed.status).toBe(200);
    const codes = [...(await confirmed.text()).matchAll(/<code>([2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5})<\/code>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    expect(await (await client.get('/workbench/account/second-factor')).text()).not.toContain(codes[0]!);

    clock.advance(30_000);
    const fresh = new Client(t.app);
    const step1 = await fresh.submit('/login', '/login', { username: 'totp.page', password: PASSWORD, next: '/workbench/account' });
    expect(step1.status).toBe(303);
    expect(step1.headers.get('location')).toBe('/login/verify?next=%2Fworkbench%2Faccount');
    expect(fresh.cookie('zz_session')).toBeUndefined();
    expect((await fresh.get('/workbench')).status).toBe(303); // a pending sign-in is not a session
    const bad = await fresh.submit('/login/verify', '/login/verify', { code: '12345' });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('验证码不正确');
    const ok = await fresh.submit('/login/verify?next=%2Fworkbench%2Faccount', '/login/verify', { code: totp(key, clock.now()), next: '/workbench/account' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/workbench/account');
    expect(fresh.cookie('zz_pending')).toBeUndefined();
    expect(await (await fresh.get('/workbench/account')).text()).toContain('已开启');
    // A recovery code works once from another browser.
    const laptop = new Client(t.app);
    await laptop.submit('/login', '/login', { username: 'totp.page', password: PASSWORD });
    expect((await laptop.submit('/login/verify', '/login/verify', { code: codes[3]! })).status).toBe(303);
  });

  it('sends a second step that has lapsed back to the first', async () => {
    const client = new Client(t.app);
    const res = await client.get('/login/verify');
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('验证步骤已失效');
  });
});
