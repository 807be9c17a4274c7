/// <reference lib="dom" />
/**
 * The 12350 安全生产举报 form in real Chromium on a 360 px phone: a citizen marks the place on the map, attaches a
 * photo, reports with their name and gets the receipt (tracking number and lookup code) at once; the form, its
 * error state and the receipt pass axe-core (WCAG 2.1 A/AA) in normal and elder mode, nothing is wider than the
 * phone, and staff see the report with its reward flag. Screenshots go to test-results/ for a person to look at.
 * The server runs on the embedded database with no REPORTER_KEY, so it generates one into its data directory.
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

describe.skipIf(!chromiumAvailable())('12350 form in Chromium', () => {
  let server: Running;
  let base: string;
  let dataDir: string;
  const browsers: Browser[] = [];
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-safety-'));
    server = run(['start'], { PORT: String(port), DATA_DIR: dataDir });
    await waitForHttp(`${base}/readyz`, FIRST_START_TIMEOUT_MS);
    fs.mkdirSync(RESULTS, { recursive: true });
  }, FIRST_START_TIMEOUT_MS + 30_000);
  afterAll(async () => {
    for (const b of browsers) await b.close();
    expect(await server.stop()).toBe(0);
  });

  async function open(viewport: { width: number; height: number }, a11y?: string): Promise<{ page: Page; errors: string[] }> {
    const browser = await launchBrowser({ viewport });
    browsers.push(browser);
    if (a11y) await browser.context.addCookies([{ name: 'zz_a11y', value: a11y, url: base }]);
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !m.text().includes('status of 422') && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    return { page, errors };
  }

  async function check(page: Page, shot: string): Promise<void> {
    expect(await runAxe(page), shot).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${shot}: no sideways scrolling`).toBe(true);
    await page.screenshot({ path: path.join(RESULTS, `${shot}.png`), fullPage: true });
  }

  async function fill(page: Page, fields: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(fields)) await page.fill(`#sf-${name}`, value);
  }

  it('takes a real-name report with a photo and a map pin on a phone and shows the receipt at once', async () => {
    const { page, errors } = await open(PHONE);
    await page.goto(`${base}/interaction/safety`);
    await check(page, 'safety-1-form-phone');
    await page.selectOption('#sf-hazardKind', 'major_hazard');
    await fill(page, {
      occurredAt: '2026-03-01T21:30',
      address: '汉丰街道滨湖路 88 号后院仓库',
      circumstances: '仓库内违规存放大量液化气钢瓶，消防通道被堵，夜间有人吸烟。',
      businessName: '开州区某某燃气经营部',
      businessCreditCode: '91500234MA5U4XXX0J',
      reporterName: '王秀英',
      reporterPhone: '13987654321',
    });
    // The map pin: a click in the middle of the district outline fills longitude and latitude.
    const map = page.locator('[data-pin-map] svg');
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width * 0.5, y: box.height * 0.55 } });
    const lon = Number(await page.inputValue('#sf-lon'));
    const lat = Number(await page.inputValue('#sf-lat'));
    expect(lon).toBeGreaterThan(107.9);
    expect(lon).toBeLessThan(108.9);
    expect(lat).toBeGreaterThan(30.8);
    expect(lat).toBeLessThan(31.7);
    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 120, g: 90, b: 60 } } }).jpeg().toBuffer();
    await page.setInputFiles('#sf-evidence', { name: 'warehouse.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.screenshot({ path: path.join(RESULTS, 'safety-2-filled-phone.png'), fullPage: true });
    await Promise.all([page.waitForLoadState('load'), page.click('.safety-form button[type=submit]')]);
    await expect.poll(() => page.locator('h1').textContent()).toBe('举报已受理');
    const number = await page.locator('.receipt-number').textContent();
    const code = await page.locator('.receipt-code').textContent();
    expect(number).toMatch(/^KZ\d{14}$/);
    expect(code).toMatch(/^[2-9A-Z]{8}$/);
    await check(page, 'safety-3-receipt-phone');
    expect(errors).toEqual([]);
    // On the embedded database with no REPORTER_KEY the server generated one, once, into its data directory.
    expect(fs.readFileSync(path.join(dataDir, 'reporter.key'), 'utf8').trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);

    // Staff see the report and its reward flag, not the reporter.
    const staff = await open({ width: 1280, height: 900 });
    await staff.page.goto(`${base}/login`);
    await staff.page.fill('#username', 'supervisor');
    await staff.page.fill('#password', 'Kaizhou@2026');
    await staff.page.click('button[type=submit]');
    await staff.page.waitForURL(`${base}/workbench`);
    await staff.page.goto(`${base}/workbench/incidents?q=${number}`);
    await Promise.all([staff.page.waitForLoadState('load'), staff.page.click(`a:has-text("${number}")`)]);
    expect(await staff.page.locator('.safety-panel').textContent()).toContain('符合（实名、首个有效举报）');
    expect(await staff.page.content()).not.toContain('王秀英');
    await check(staff.page, 'safety-4-workbench-panel');
  }, 120_000);

  it('lays the form out on a desktop with no axe violations, and in the interaction column', async () => {
    const { page, errors } = await open({ width: 1280, height: 900 });
    await page.goto(`${base}/columns/interaction`);
    await Promise.all([page.waitForLoadState('load'), page.click('a[href="/interaction/safety"]')]);
    await check(page, 'safety-8-form-desktop');
    expect(errors).toEqual([]);
  }, 60_000);

  it('marks bad fields and keeps the input in elder mode on a phone, with no axe violations', async () => {
    const { page, errors } = await open(PHONE, 'e');
    await page.goto(`${base}/interaction/safety`);
    await check(page, 'safety-5-form-elder-phone');
    await page.selectOption('#sf-hazardKind', 'illegal_operation');
    await fill(page, { address: '临江镇某村', circumstances: '无证开采。', businessName: '某采石场', businessCreditCode: '91500234MA5U4XXX0K', reporterName: '李四', reporterPhone: '12345' });
    await Promise.all([page.waitForLoadState('load'), page.click('.safety-form button[type=submit]')]);
    await expect.poll(() => page.locator('[role=alert]').count()).toBeGreaterThan(0);
    expect(await page.getAttribute('#sf-businessCreditCode', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#sf-reporterPhone', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#sf-businessName')).toBe('某采石场');
    await check(page, 'safety-6-errors-elder-phone');
    // Anonymous: the name and phone fields step aside.
    await page.check('#sf-mode-anonymous');
    expect(await page.locator('[data-real-name]').isHidden()).toBe(true);
    // Corrected and sent anonymously: the receipt, in elder mode too.
    await page.fill('#sf-businessCreditCode', '');
    await Promise.all([page.waitForLoadState('load'), page.click('.safety-form button[type=submit]')]);
    await expect.poll(() => page.locator('h1').textContent()).toBe('举报已受理');
    expect(await page.locator('.receipt').textContent()).toContain('您选择了匿名举报');
    await check(page, 'safety-7-receipt-elder-phone');
    expect(errors).toEqual([]);
  }, 90_000);
});
