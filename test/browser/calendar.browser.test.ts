/// <reference lib="dom" />
/**
 * The work calendar page in real Chromium, on a desktop and a 360 px phone: axe-core (WCAG 2.1 A/AA) finds
 * nothing on the page nor on its error state, nothing is wider than the window, and screenshots are saved in
 * test-results/ for a person to look at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, runAxe, type Browser } from '../browser.js';
import { FIRST_START_TIMEOUT_MS, ROOT, freePort, run, waitForHttp, type Running } from '../process.js';

const RESULTS = path.join(ROOT, 'test-results');

describe.skipIf(!chromiumAvailable())('work calendar page in Chromium', () => {
  let server: Running;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = run(['start'], { PORT: String(port), DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'zz-calendar-')) });
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
    it(`shows the 2026 calendar and a refused form on a ${device} with no axe violations`, async () => {
      const browser: Browser = await launchBrowser({ viewport });
      try {
        const page = await browser.context.newPage();
        const errors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${base}/login?next=%2Fworkbench%2Fcalendar%3Fyear%3D2026`);
        await page.fill('#username', 'admin');
        await page.fill('#password', 'Kaizhou@2026');
        await page.click('button[type=submit]');
        await page.waitForURL(`${base}/workbench/calendar?year=2026`);
        expect(await page.textContent('h1')).toContain('2026 年工作日历');
        expect(await page.locator('table.cal-month').count()).toBe(12);
        expect(await runAxe(page)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await page.screenshot({ path: path.join(RESULTS, `calendar-${device}.png`), fullPage: true });
        expect(errors).toEqual([]);

        // A make-up working day on a Tuesday is refused (422, which Chromium logs) with the reason, in an alert.
        await page.fill('#cal-date', '2026-03-10');
        await page.selectOption('#cal-kind', 'workday');
        await page.fill('#cal-name', '补班');
        await page.click('section[aria-labelledby="cal-add-heading"] button[type=submit]');
        await page.waitForSelector('.alert-error');
        expect(await page.textContent('.alert-error')).toContain('调休上班日必须是周六或周日');
        expect(await runAxe(page)).toEqual([]);
        await page.screenshot({ path: path.join(RESULTS, `calendar-refused-${device}.png`) });
      } finally {
        await browser.close();
      }
    }, 60_000);
  }
});
