/// <reference lib="dom" />
/**
 * The public list and map of reports in real Chromium against a real server on a fresh data directory (with the
 * demo's month of cases): the list and its filters work without JavaScript, the map view draws the points with
 * Leaflet, axe-core finds nothing in normal and elder mode on a 360 px phone and a desktop, and nothing
 * overflows the phone's width. Screenshots go to test-results/ for a person to look at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, runAxe } from '../browser.js';
import { FIRST_START_TIMEOUT_MS, ROOT, freePort, run, waitForHttp, type Running } from '../process.js';

const RESULTS = path.join(ROOT, 'test-results');

describe.skipIf(!chromiumAvailable())('public reports in Chromium', () => {
  let server: Running;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = run(['start'], { PORT: String(port), DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'zz-reports-browser-')) });
    await waitForHttp(`${base}/readyz`, FIRST_START_TIMEOUT_MS);
    fs.mkdirSync(RESULTS, { recursive: true });
  }, FIRST_START_TIMEOUT_MS + 30_000);
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  for (const [device, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 360, height: 740 }],
  ] as const) {
    it(`lists, filters and maps reports on a ${device}, in normal and elder mode, with no axe violations`, async () => {
      const browser = await launchBrowser({ viewport });
      try {
        const page = await browser.context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        await page.goto(`${base}/reports`);
        expect(await page.locator('.reports-list > li').count()).toBeGreaterThan(0);
        expect(await runAxe(page)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await page.screenshot({ path: path.join(RESULTS, `reports-list-${device}.png`), fullPage: true });

        // The filter is a plain GET form.
        await page.selectOption('#reports-status', 'closed');
        await Promise.all([page.waitForURL(/\/reports\?.*status=closed/), page.click('.reports-apply button')]);
        expect(await page.locator('#reports-status').inputValue()).toBe('closed');
        const marks = await page.locator('.reports-list .mark').allTextContents();
        expect(marks.every((m) => m === '已办结')).toBe(true);

        await page.click('.reports-views a');
        await page.waitForFunction(() => document.querySelectorAll('#reports-map .leaflet-interactive').length > 0);
        expect(await page.locator('.reports-map-fallback').isHidden()).toBe(true);
        expect(await runAxe(page)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await page.screenshot({ path: path.join(RESULTS, `reports-map-${device}.png`), fullPage: true });

        await browser.context.addCookies([{ name: 'zz_a11y', value: 'e', url: base }]);
        for (const url of ['/reports', '/reports?view=map']) {
          await page.goto(`${base}${url}`);
          expect(await runAxe(page), `${url} in elder mode`).toEqual([]);
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        }
        await page.screenshot({ path: path.join(RESULTS, `reports-elder-${device}.png`) });
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 90_000);
  }

  it('shows a category\'s Open311 attributes on the catalogue page, axe-clean on a desktop and a phone', async () => {
    for (const viewport of [{ width: 1280, height: 900 }, { width: 360, height: 740 }]) {
      const browser = await launchBrowser({ viewport });
      try {
        const page = await browser.context.newPage();
        await page.goto(`${base}/login`);
        await page.fill('#username', 'admin');
        await page.fill('#password', 'Kaizhou@2026');
        await Promise.all([page.waitForURL(`${base}/workbench`), page.click('button[type=submit]')]);
        await page.goto(`${base}/workbench/catalog`);
        await Promise.all([page.waitForURL(/\/workbench\/catalog\/\d+$/), page.click('a:text-is("井盖破损、缺失")')]);
        expect(await page.locator('table.data code', { hasText: 'cover_use' }).count()).toBe(1);
        expect(await runAxe(page)).toEqual([]);
        // The attribute table scrolls within its own region on a phone rather than widening the page.
        expect(await page.evaluate(() => document.querySelector('.table-scroll')!.getBoundingClientRect().right <= window.innerWidth)).toBe(true);
        await page.screenshot({ path: path.join(RESULTS, `catalog-attributes-${viewport.width}.png`), fullPage: true });
      } finally {
        await browser.close();
      }
    }
  }, 90_000);
});
