/// <reference lib="dom" />
/**
 * Issue 5's acceptance test in real Chromium: a citizen on a 360 px phone reports a missing manhole cover with a
 * photo, sees the receipt, tracks it with the lookup code; the town dispatcher answers and closes it in the
 * workbench; the citizen rates it. Then the same without JavaScript in the elder mode. Every public page passes
 * axe-core in both modes; screenshots go to test-results/ for a person to look at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, runAxe, type Browser } from '../browser.js';
import { FIRST_START_TIMEOUT_MS, ROOT, freePort, run, waitForHttp, type Running } from '../process.js';

const RESULTS = path.join(ROOT, 'test-results');
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

describe.skipIf(!chromiumAvailable())('public reporting in Chromium', () => {
  let server: Running;
  let base: string;
  const browsers: Browser[] = [];
  let photo: Buffer;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = run(['start'], { PORT: String(port), DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'zz-public-')) });
    await waitForHttp(`${base}/readyz`, FIRST_START_TIMEOUT_MS);
    fs.mkdirSync(RESULTS, { recursive: true });
    photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 90, g: 90, b: 80 } } }).jpeg().toBuffer();
  }, FIRST_START_TIMEOUT_MS + 30_000);
  afterAll(async () => {
    for (const b of browsers) await b.close();
    expect(await server.stop()).toBe(0);
  });

  async function open(viewport: { width: number; height: number }, javaScriptEnabled = true): Promise<{ page: Page; errors: string[]; browser: Browser }> {
    const browser = await launchBrowser({ viewport, javaScriptEnabled });
    browsers.push(browser);
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => r.status() === 404 && errors.push(`404 ${r.url()}`));
    return { page, errors, browser };
  }

  async function check(page: Page, shot: string): Promise<void> {
    expect(await runAxe(page), shot).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${shot}: no sideways scrolling`).toBe(true);
    await page.screenshot({ path: path.join(RESULTS, `${shot}.png`), fullPage: true });
  }

  async function fillReport(page: Page, description: string): Promise<void> {
    await page.selectOption('#f-categoryId', { label: '井盖破损、缺失' });
    await page.fill('#f-description', description);
    await page.fill('#f-address', '汉丰街道滨湖路 88 号门前人行道');
    await page.setInputFiles('#f-photos', { name: 'manhole.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.check('#f-consent');
  }

  async function submit(page: Page, selector = 'form button[type=submit]'): Promise<void> {
    await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.click(selector)]);
  }

  /** The town dispatcher accepts and answers the report in the workbench, which closes it. */
  async function staffClose(number: string): Promise<void> {
    const { page, errors } = await open(DESKTOP);
    await page.goto(`${base}/login`);
    await page.fill('#username', 'dispatcher');
    await page.fill('#password', 'Kaizhou@2026');
    await Promise.all([page.waitForURL(`${base}/workbench`), page.click('button[type=submit]')]);
    await page.goto(`${base}/workbench/incidents?queue=to_accept`);
    await Promise.all([page.waitForLoadState('load'), page.click(`a:has-text("${number}")`)]);
    for (const [action, fill] of [
      ['accept', {}],
      ['answer', { reply: '已补装同规格井盖，现场恢复正常。感谢您的反映！' }],
    ] as const) {
      const details = page.locator(`details.action-${action}`);
      await details.locator('summary').click();
      for (const [name, value] of Object.entries(fill)) await details.locator(`[name=${name}]`).fill(value);
      await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), details.locator('button[type=submit]').click()]);
      await expect.poll(() => page.locator('[role=alert]').count()).toBe(0);
    }
    expect(await page.textContent('main')).toContain('已结案');
    expect(errors).toEqual([]);
  }

  it('takes a report with a photo from a phone to a rating, with the map, location and nearby suggestions', async () => {
    const { page, errors, browser } = await open(PHONE);
    await browser.context.grantPermissions(['geolocation'], { origin: base });
    await browser.context.setGeolocation({ longitude: 108.3932, latitude: 31.1611 });
    await page.goto(`${base}/report`);
    await expect.poll(() => page.locator('#report-map').isVisible()).toBe(true);
    await check(page, 'public-1-form-phone');
    // The category search narrows the list; "use my location" fills the coordinates (WGS-84, as given).
    await page.fill('#f-category-q', '井盖');
    expect(await page.locator('#f-categoryId option:not([hidden])').count()).toBeLessThan(10);
    await fillReport(page, '人行道上的井盖没有了，晚上路过的老人容易踩空，请尽快处理。');
    await page.click('[data-locate-button]');
    await expect.poll(() => page.inputValue('#f-lon')).toBe('108.393200');
    expect(await page.inputValue('#f-lat')).toBe('31.161100');
    await submit(page, 'form[data-report-form] button[type=submit]');
    expect(await page.textContent('h1')).toContain('提交成功');
    const number = (await page.textContent('[data-number]'))!.trim();
    const code = (await page.textContent('[data-code]'))!.trim();
    expect(number).toMatch(/^KZ\d{14}$/);
    expect(code).toMatch(/^[2-9A-Z]{8}$/);
    await check(page, 'public-2-receipt-phone');

    // A second citizen at the same place is offered the first report and supports it instead.
    const other = await open(PHONE);
    await other.page.goto(`${base}/report`);
    await other.page.selectOption('#f-categoryId', { label: '井盖破损、缺失' });
    // Count the page's nearby lookups: the same place asked twice must not rebuild the list under a finger.
    await other.page.evaluate(() => {
      const w = window as unknown as { fetch: typeof fetch; nearbyLookups: number };
      const original = w.fetch.bind(window);
      w.nearbyLookups = 0;
      w.fetch = (input, init) => {
        if (String(input).startsWith('/report/nearby')) w.nearbyLookups++;
        return original(input, init);
      };
    });
    const lookups = (): Promise<number> => other.page.evaluate(() => (window as unknown as { nearbyLookups: number }).nearbyLookups);
    await other.page.fill('#f-lon', '108.3933');
    await other.page.fill('#f-lat', '31.1612');
    await other.page.dispatchEvent('#f-lat', 'change');
    await expect.poll(() => other.page.locator('[data-nearby-list] li').count()).toBeGreaterThan(0);
    expect(await lookups()).toBe(1);
    // Leaving the field fires its change event again (as tapping "me too" does): no second lookup.
    await other.page.focus('#f-description');
    expect(await lookups()).toBe(1);
    await check(other.page, 'public-3-nearby-phone');
    await submit(other.page, `[data-nearby-list] button[value="${number}"]`);
    expect(await other.page.textContent('main')).toContain('感谢您的支持');

    // Tracking with the number and the code.
    await page.goto(`${base}/track`);
    await check(page, 'public-4-track-phone');
    await page.fill('#t-number', number);
    await page.fill('#t-code', code);
    await submit(page, 'form.track-form button[type=submit]');
    expect(page.url()).toBe(`${base}/reports/${number}`);
    expect(await page.textContent('main')).toContain('待受理');
    expect(await page.textContent('main')).toContain('1 人也遇到了这个问题');
    expect(await page.locator('.private-details img').count()).toBe(1);
    await check(page, 'public-5-report-open-phone');

    await staffClose(number);

    // The citizen comes back, sees the result, and rates it.
    await page.goto(`${base}/reports/${number}`);
    expect(await page.textContent('main')).toContain('已补装同规格井盖');
    await check(page, 'public-6-report-closed-phone');
    await page.check('#r-satisfied');
    await page.fill('#r-comment', '修得很快，谢谢！');
    await submit(page, 'form.rate-form button[type=submit]');
    expect(await page.textContent('main')).toContain('感谢您的评价');
    expect(await page.textContent('main')).toContain('您的评价：满意');
    await check(page, 'public-7-rated-phone');
    expect(errors).toEqual([]);
    expect(other.errors).toEqual([]);
  }, 240_000);

  /** A screenshot without running axe: axe needs JavaScript (the elder-mode test below runs it on the same pages). */
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });

  it('works without JavaScript in the elder mode, with a field error first and the input kept', async () => {
    const { page } = await open(PHONE, false);
    await page.goto(`${base}/accessibility/set?toggle=elder&back=/report`);
    expect(page.url()).toBe(`${base}/report`);
    expect(await page.getAttribute('html', 'class')).toContain('elder');
    expect(await page.locator('#report-map').isVisible()).toBe(false);
    await shot(page, 'public-nojs-1-form-elder-phone');
    await fillReport(page, '小区门口路灯不亮已经一周了。');
    await page.fill('#f-lon', '116.39');
    await page.fill('#f-lat', '39.91');
    await submit(page, 'form[data-report-form] button[type=submit]');
    expect(await page.textContent('#e-location')).toContain('不在开州区范围内');
    expect(await page.inputValue('#f-description')).toBe('小区门口路灯不亮已经一周了。');
    expect(await page.inputValue('#f-lon')).toBe('116.39');
    expect(await page.locator('input[name=keptPhoto]').count()).toBe(1);
    await shot(page, 'public-nojs-2-error-elder-phone');
    await page.fill('#f-lon', '');
    await page.fill('#f-lat', '');
    await submit(page, 'form[data-report-form] button[type=submit]');
    const number = (await page.textContent('[data-number]'))!.trim();
    const code = (await page.textContent('[data-code]'))!.trim();
    await shot(page, 'public-nojs-3-receipt-elder-phone');
    await page.goto(`${base}/reports/${number}`);
    await page.fill('#t-code', code);
    await submit(page, 'form.track-form button[type=submit]');
    expect(page.url()).toBe(`${base}/reports/${number}`);
    expect(await page.locator('.private-details img').count()).toBe(1);
    await shot(page, 'public-nojs-4-report-private-elder-phone');
  }, 90_000);

  it('passes axe-core in the elder mode on the form, its errors, the receipt, tracking and the report page', async () => {
    const { page, errors, browser } = await open(PHONE);
    await browser.context.addCookies([{ name: 'zz_a11y', value: 'e', url: base }]);
    await page.goto(`${base}/report`);
    await check(page, 'public-elder-1-form-phone');
    await fillReport(page, '公园里的井盖松动，踩上去会响。');
    await page.fill('#f-lon', '116.39');
    await page.fill('#f-lat', '39.91');
    await submit(page, 'form[data-report-form] button[type=submit]');
    expect(await page.textContent('#e-location')).toContain('不在开州区范围内');
    await check(page, 'public-elder-2-error-phone');
    await page.fill('#f-lon', '');
    await page.fill('#f-lat', '');
    await submit(page, 'form[data-report-form] button[type=submit]');
    const number = (await page.textContent('[data-number]'))!.trim();
    const code = (await page.textContent('[data-code]'))!.trim();
    await check(page, 'public-elder-3-receipt-phone');
    await page.goto(`${base}/track`);
    await check(page, 'public-elder-4-track-phone');
    await page.goto(`${base}/reports/${number}`);
    await check(page, 'public-elder-5-report-public-phone');
    await page.fill('#t-code', code);
    await submit(page, 'form.track-form button[type=submit]');
    await check(page, 'public-elder-6-report-private-phone');
    // The refused submission answers 422, which Chromium logs; nothing else may fail.
    expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
  }, 90_000);

  it('lays the form and the letters out on a desktop, with no axe violations', async () => {
    const { page, errors } = await open(DESKTOP);
    await page.goto(`${base}/report`);
    await check(page, 'public-desktop-form');
    await page.goto(`${base}/interaction/mailbox`);
    await check(page, 'public-desktop-mailbox');
    await page.goto(`${base}/interaction/letters`);
    await check(page, 'public-desktop-letters');
    expect(errors).toEqual([]);
  }, 60_000);
});
