/// <reference lib="dom" />
/**
 * The map page in real Chromium against a real server on a fresh data directory (so the demo geography is
 * generated at first start): Leaflet draws the 40 towns and a chosen town's grids with no request leaving the
 * origin and no CSP violation, axe-core finds nothing on a desktop and a 360 px phone, and without JavaScript
 * the SVG sketch and the list of towns stand in. Screenshots go to test-results/ for a person to look at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, runAxe } from '../browser.js';
import { FIRST_START_TIMEOUT_MS, ROOT, freePort, run, waitForHttp, type Running } from '../process.js';

const RESULTS = path.join(ROOT, 'test-results');

describe.skipIf(!chromiumAvailable())('map page in Chromium', () => {
  let server: Running;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = run(['start'], { PORT: String(port), DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'zz-map-browser-')) });
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
    it(`draws the towns and a town's grids with Leaflet on a ${device}, with no axe violations`, async () => {
      const browser = await launchBrowser({ viewport });
      try {
        const page = await browser.context.newPage();
        const errors: string[] = [];
        const foreign: string[] = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('request', (r) => !r.url().startsWith(base) && !r.url().startsWith('data:') && foreign.push(r.url()));
        await page.goto(`${base}/map`);
        await page.waitForFunction(() => document.querySelectorAll('#geo-map .leaflet-overlay-pane path').length >= 40);
        expect(await page.locator('#geo-map .leaflet-overlay-pane path').count()).toBe(40);
        expect(await page.locator('.map-fallback').isHidden()).toBe(true);
        expect(await page.textContent('.map-demo-control')).toBe('演示');
        expect(await runAxe(page)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await page.screenshot({ path: path.join(RESULTS, `map-${device}.png`), fullPage: true });

        // Choosing 汉丰街道 in the list loads its grids and villages without leaving the page.
        await page.click('a[data-town="500154001"]');
        await page.waitForFunction(() => document.querySelectorAll('#geo-map .leaflet-overlay-pane path').length > 60);
        expect(page.url()).toBe(`${base}/map?town=500154001`);
        expect(await runAxe(page)).toEqual([]);
        await page.screenshot({ path: path.join(RESULTS, `map-town-${device}.png`) });
        expect(errors).toEqual([]);
        expect(foreign).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 60_000);
  }

  it('works without its script: an SVG sketch of the 40 towns, and a town page of its grids', async () => {
    const browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await browser.context.newPage();
      // As a browser with scripts off, a blocked script or an old phone would: the page's own script never runs.
      await page.route('**/static/map.js*', (r) => r.abort());
      await page.goto(`${base}/map`);
      expect(await page.locator('.map-fallback svg .town path').count()).toBe(40);
      expect(await page.locator('#geo-map').isHidden()).toBe(true);
      await page.click('a[data-town="500154002"]');
      expect(page.url()).toBe(`${base}/map?town=500154002`);
      expect(await page.locator('.map-fallback svg .grid path').count()).toBeGreaterThan(10);
      expect(await runAxe(page)).toEqual([]);
      await page.screenshot({ path: path.join(RESULTS, 'map-nojs-town.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
