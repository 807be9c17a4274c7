/// <reference lib="dom" />
/**
 * One case through the whole flow in real Chromium, each person in their own browser: a grid worker on a 360 px
 * phone reports a missing manhole cover with a photo; the town dispatcher accepts, files and dispatches it by the
 * routing table; the city-management handler signs and reports back; the grid worker verifies on site; the
 * dispatcher closes it. Every page passes axe-core; screenshots go to test-results/ for a person to look at.
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

describe.skipIf(!chromiumAvailable())('case flow in Chromium', () => {
  let server: Running;
  let base: string;
  const browsers: Browser[] = [];
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = run(['start'], { PORT: String(port), DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'zz-caseflow-')) });
    await waitForHttp(`${base}/readyz`, FIRST_START_TIMEOUT_MS);
    fs.mkdirSync(RESULTS, { recursive: true });
  }, FIRST_START_TIMEOUT_MS + 30_000);
  afterAll(async () => {
    for (const b of browsers) await b.close();
    expect(await server.stop()).toBe(0);
  });

  async function signIn(username: string, viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
    const browser = await launchBrowser({ viewport });
    browsers.push(browser);
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/login`);
    await page.fill('#username', username);
    await page.fill('#password', 'Kaizhou@2026');
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/workbench`);
    return { page, errors };
  }

  async function check(page: Page, shot: string): Promise<void> {
    expect(await runAxe(page), shot).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${shot}: no sideways scrolling`).toBe(true);
    await page.screenshot({ path: path.join(RESULTS, `${shot}.png`), fullPage: true });
  }

  /** Opens an action's form on the incident page, fills it and submits; waits for the page to come back. */
  async function act(page: Page, action: string, fill: Record<string, string> = {}): Promise<void> {
    const details = page.locator(`details.action-${action}`);
    await details.locator('summary').click();
    for (const [name, value] of Object.entries(fill)) await details.locator(`[name=${name}]`).fill(value);
    await Promise.all([page.waitForLoadState('load'), details.locator('button[type=submit]').click()]);
    await expect.poll(() => page.locator('.problem, [role=alert]').count()).toBe(0);
  }

  it('takes a patrol report with a photo from a phone to closure, across four people', async () => {
    // 1. The grid worker reports from the street, with a photo taken on the phone.
    const grid = await signIn('gridworker', PHONE);
    await grid.page.goto(`${base}/workbench/patrol`);
    await check(grid.page, 'caseflow-1-patrol-phone');
    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 90, g: 90, b: 80 } } }).jpeg().toBuffer();
    await grid.page.setInputFiles('#in-photo', { name: 'manhole.jpg', mimeType: 'image/jpeg', buffer: photo });
    await grid.page.selectOption('#in-category', { label: '井盖破损、缺失' });
    await grid.page.fill('#in-description', '汉丰街道滨湖路人行道井盖缺失，已放置临时警示，请尽快补装。');
    await grid.page.fill('#in-address', '滨湖路 88 号门前人行道');
    await Promise.all([grid.page.waitForLoadState('load'), grid.page.click('form.intake button[type=submit]')]);
    const notice = await grid.page.locator('[role=status]').first().textContent();
    const number = /KZ\d{14}/.exec(notice ?? '')?.[0];
    expect(number, `receipt: ${notice}`).toBeDefined();
    await check(grid.page, 'caseflow-2-patrol-receipt-phone');

    // 2. The town dispatcher finds it in the queue, accepts, files and dispatches it by the routing table.
    const dispatcher = await signIn('dispatcher', DESKTOP);
    await dispatcher.page.goto(`${base}/workbench/incidents?queue=to_accept`);
    await check(dispatcher.page, 'caseflow-3-console');
    await Promise.all([dispatcher.page.waitForLoadState('load'), dispatcher.page.click(`a:has-text("${number}")`)]);
    const incidentUrl = dispatcher.page.url();
    expect(incidentUrl).toMatch(/\/workbench\/incidents\/\d+$/);
    expect(await dispatcher.page.locator('img').count()).toBeGreaterThan(0); // the photo's thumbnail
    await check(dispatcher.page, 'caseflow-4-incident-reported');
    await act(dispatcher.page, 'accept');
    await act(dispatcher.page, 'file');
    await act(dispatcher.page, 'dispatch');
    expect(await dispatcher.page.textContent('main')).toContain('区城市管理局');

    // 3. The city-management handler signs, then reports back with the result.
    const handler = await signIn('handler', PHONE);
    await handler.page.goto(incidentUrl);
    await act(handler.page, 'sign');
    await check(handler.page, 'caseflow-5-incident-signed-phone');
    await act(handler.page, 'report_back', { result: '已补装同规格球墨铸铁井盖并撤除警示，现场恢复正常。' });

    // 4. The grid worker checks on site and passes it.
    await grid.page.goto(incidentUrl);
    await act(grid.page, 'verify_pass');

    // 5. The dispatcher closes it; the history shows every step in order.
    await dispatcher.page.goto(incidentUrl);
    await act(dispatcher.page, 'close');
    await check(dispatcher.page, 'caseflow-6-incident-closed');
    const timeline = await dispatcher.page.locator('ol.timeline li').allTextContents();
    const steps = ['上报', '受理', '立案', '派遣', '签收', '处置反馈', '核查通过', '结案'];
    let at = -1;
    for (const step of steps) {
      const found = timeline.findIndex((line, i) => i > at && line.includes(step));
      expect(found, `timeline has ${step} after position ${at}: ${timeline.join(' | ')}`).toBeGreaterThan(at);
      at = found;
    }
    for (const p of [grid, dispatcher, handler]) expect(p.errors).toEqual([]);
  }, 180_000);
});
