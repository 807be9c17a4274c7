/// <reference lib="dom" />
/**
 * The account, people and token pages in real Chromium against a real server: an administrator sets up TOTP,
 * signs out, signs in again with a code (and later with a recovery code), and visits every new page; axe-core
 * (WCAG 2.1 A/AA) must find nothing, and screenshots are saved in test-results/ for a person to look at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, totp } from '../../src/modules/identity/index.js';
import { chromiumAvailable, launchBrowser, runAxe, type Browser } from '../browser.js';
import { ROOT, freePort, run, waitForHttp, type Running } from '../process.js';

const RESULTS = path.join(ROOT, 'test-results');
const PASSWORD = 'Kaizhou@2026';
const STEP_MS = 30_000;

describe.skipIf(!chromiumAvailable())('account, people and token pages in Chromium', () => {
  let server: Running;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = run(['start'], { PORT: String(port), DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'zz-browser-auth-')) });
    await waitForHttp(`${base}/readyz`, 60_000);
    fs.mkdirSync(RESULTS, { recursive: true });
  }, 90_000);
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  async function check(page: Page, name: string) {
    await page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });
    expect(await runAxe(page), `axe on ${name}`).toEqual([]);
    // Nothing wider than the window: no sideways scrolling (wide tables scroll inside their own box).
    const wide = await page.evaluate(() =>
      Array.from(document.querySelectorAll('body *'))
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll'))
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
        .slice(0, 5),
    );
    expect(wide, `no sideways scroll on ${name}`).toEqual([]);
  }

  async function signInWithPassword(page: Page, username: string) {
    await page.goto(`${base}/login`);
    await page.fill('#username', username);
    await page.fill('#password', PASSWORD);
    await page.click('form[action="/login"] button[type=submit]');
  }

  // First, while the administrator signs in with a password alone (the next test turns on a second factor).
  it('leads a person whose first password the administrator chose to replace it, on a phone, axe-clean', async () => {
    const desk: Browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
    const phone: Browser = await launchBrowser({ viewport: { width: 360, height: 740 } });
    try {
      const admin = await desk.context.newPage();
      await signInWithPassword(admin, 'admin');
      await admin.waitForURL(`${base}/workbench`);
      await admin.goto(`${base}/workbench/people/new`);
      await admin.fill('#new-username', 'browser.first');
      await admin.fill('#new-displayName', '首次登录');
      await admin.fill('#new-password', 'Kaizhou-first-2026');
      await admin.fill('#new-unit', '500154001');
      await admin.selectOption('#new-role', 'board_handler');
      await Promise.all([admin.waitForURL(/\/workbench\/people\/\d+/), admin.click('form[action="/workbench/people"] button[type=submit]')]);
      expect(await admin.textContent('main')).toContain('密码由管理员设置，本人登录后须先修改');
      await check(admin, 'person-password-pending');

      const page = await phone.context.newPage();
      await page.goto(`${base}/login`);
      await page.fill('#username', 'browser.first');
      await page.fill('#password', 'Kaizhou-first-2026');
      await page.click('form[action="/login"] button[type=submit]');
      await page.waitForURL(`${base}/workbench/account/password`);
      expect(await page.textContent('[role=status]')).toContain('您的密码由管理员设置');
      // No navigation to pages that would only lead back here.
      expect(await page.locator('nav.wb-nav').count()).toBe(0);
      await check(page, 'account-password-required-phone');
      // The navigation leads back here until the password is changed.
      await page.goto(`${base}/workbench/incidents`);
      expect(page.url()).toBe(`${base}/workbench/account/password`);
      await page.fill('#currentPassword', 'Kaizhou-first-2026');
      await page.fill('#newPassword', '只有我知道的新密码 2026');
      await page.fill('#confirmPassword', '只有我知道的新密码 2026');
      await Promise.all([page.waitForURL(`${base}/workbench/account?done=password`), page.click('form[action="/workbench/account/password"] button[type=submit]')]);
      await page.goto(`${base}/workbench/incidents`);
      expect(page.url()).toBe(`${base}/workbench/incidents`);
    } finally {
      await desk.close();
      await phone.close();
    }
  }, 90_000);

  it('sets up TOTP, signs in with a code and with a recovery code, and every page passes axe', async () => {
    const browser: Browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      // Refusals this test provokes on purpose (a wrong password, a wrong code) are logged by Chromium as failed loads.
      page.on('console', (m) => m.type() === 'error' && !/status of (401|422)/.test(m.text()) && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));

      await signInWithPassword(page, 'admin');
      await page.waitForURL(`${base}/workbench`);
      await page.click('a[href="/workbench/account"]');
      await check(page, 'account');

      await page.goto(`${base}/workbench/account/password`);
      await page.fill('#currentPassword', 'not-the-password');
      await page.fill('#newPassword', 'Kaizhou-river-2026');
      await page.fill('#confirmPassword', 'Kaizhou-river-2026');
      await page.click('form[action="/workbench/account/password"] button[type=submit]');
      expect(await page.textContent('[role=alert]')).toContain('当前密码不正确');
      await check(page, 'account-password-error');

      await page.goto(`${base}/workbench/account/second-factor`);
      await page.click('form[action="/workbench/account/second-factor/start"] button');
      await page.waitForSelector('svg.qr-code');
      const box = await page.locator('svg.qr-code').boundingBox();
      expect(box!.width).toBeGreaterThan(150);
      await check(page, 'second-factor-setup');
      const key = base32Decode((await page.textContent('code.secret'))!);
      const now = Date.now();
      await page.fill('#totp-code', totp(key, new Date(now)));
      await page.click('form[action="/workbench/account/second-factor/confirm"] button');
      await page.waitForSelector('.recovery-codes');
      const codes = await page.locator('.recovery-codes code').allTextContents();
      expect(codes).toHaveLength(10);
      await check(page, 'second-factor-recovery-codes');

      // Sign out, then sign in again: the password leads to the second step.
      await page.click('form[action="/logout"] button');
      await signInWithPassword(page, 'admin');
      await page.waitForURL(/\/login\/verify/);
      await page.fill('#code', '000000');
      await page.click('form[action="/login/verify"] button[type=submit]');
      expect(await page.textContent('[role=alert]')).toMatch(/验证码不正确|刚刚已经用过/);
      await check(page, 'sign-in-second-step-error');
      // The next step's code: the confirming code used this one, and ±1 step is accepted (RFC 6238 §5.2).
      await page.fill('#code', totp(key, new Date(now + STEP_MS)));
      await page.click('form[action="/login/verify"] button[type=submit]');
      await page.waitForURL(`${base}/workbench`);
      expect(await page.textContent('h1')).toContain('系统管理员');

      await page.goto(`${base}/workbench/people`);
      await check(page, 'people');
      await page.click('a[href^="/workbench/people/"]:text("gridworker")');
      await page.waitForSelector('h1');
      await check(page, 'person');
      await page.goto(`${base}/workbench/people/new`);
      await check(page, 'person-new');

      await page.goto(`${base}/workbench/tokens`);
      await page.click('summary:text("签发新令牌")');
      await page.fill('#token-name', '浏览器测试网关');
      await page.check('#token-action-telemetry\\.ingest');
      await page.fill('#token-scope', 'U-GAS');
      await page.click('form[action="/workbench/tokens"] button[type=submit]');
      const secret = await page.textContent('#token-secret');
      expect(secret).toMatch(/^zz_[A-Za-z0-9_-]{43}$/);
      await check(page, 'tokens-issued');
      const api = await fetch(`${base}/api/v1/token`, { headers: { authorization: `Bearer ${secret}` } });
      expect(await api.json()).toMatchObject({ name: '浏览器测试网关', actions: ['telemetry.ingest'], scope: 'U-GAS' });

      // Another browser: a recovery code instead of the phone.
      const other = await browser.context.browser()?.newContext();
      const page2 = other ? await other.newPage() : await browser.context.newPage();
      await page2.context().clearCookies();
      await signInWithPassword(page2, 'admin');
      await page2.waitForURL(/\/login\/verify/);
      await check(page2, 'sign-in-second-step');
      await page2.fill('#code', codes[0]!);
      await page2.click('form[action="/login/verify"] button[type=submit]');
      await page2.waitForURL(`${base}/workbench`);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);

  it('fits the account and people pages on a 360 px phone', async () => {
    const browser: Browser = await launchBrowser({ viewport: { width: 360, height: 740 } });
    try {
      const page = await browser.context.newPage();
      await signInWithPassword(page, 'dispatcher');
      await page.waitForURL(`${base}/workbench`);
      await page.goto(`${base}/workbench/account`);
      await check(page, 'account-phone');
      await page.goto(`${base}/workbench/people`);
      await check(page, 'people-phone');
    } finally {
      await browser.close();
    }
  }, 60_000);
});
