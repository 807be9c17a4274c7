/// <reference lib="dom" />
/**
 * The real server in real Chromium: the home page and the sign-in page on a desktop and a 360 px phone, with
 * axe-core (WCAG 2.1 A/AA) finding nothing, and screenshots saved in test-results/ for a person to look at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, runAxe, type Browser } from '../browser.js';
import { FIRST_START_TIMEOUT_MS, ROOT, freePort, run, waitForHttp, type Running } from '../process.js';

const RESULTS = path.join(ROOT, 'test-results');

describe.skipIf(!chromiumAvailable())('home page in Chromium', () => {
  let server: Running;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = run(['start'], { PORT: String(port), DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'zz-browser-')) });
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
    it(`renders the home page and sign-in page on a ${device} with no axe violations`, async () => {
      const browser: Browser = await launchBrowser({ viewport });
      try {
        const page = await browser.context.newPage();
        const errors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${base}/`);
        expect(await page.title()).toContain('开州智治');
        expect(await page.locator('.town-groups .town-list a').count()).toBe(40);
        expect(await runAxe(page)).toEqual([]);
        // Nothing wider than the window: no sideways scrolling on a phone.
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await page.screenshot({ path: path.join(RESULTS, `home-${device}.png`), fullPage: true });

        await page.goto(`${base}/login`);
        expect(await runAxe(page)).toEqual([]);
        await page.fill('#username', 'supervisor');
        await page.fill('#password', 'Kaizhou@2026');
        await page.click('button[type=submit]');
        await page.waitForURL(`${base}/workbench`);
        expect(await page.textContent('h1')).toContain('区治理中心督办员');
        expect(await runAxe(page)).toEqual([]);
        await page.screenshot({ path: path.join(RESULTS, `workbench-${device}.png`), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 60_000);
  }
});
