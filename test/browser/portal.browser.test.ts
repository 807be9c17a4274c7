/// <reference lib="dom" />
/**
 * The portal in real Chromium: the home page, an article, search results and the accessible and elder modes, on a
 * 360 px phone and a desktop, with axe-core (WCAG 2.1 A/AA) finding nothing in normal and in accessible mode;
 * the toolbar working with JavaScript (in place) and the keyboard. Screenshots go to test-results/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, runAxe, type Browser } from '../browser.js';
import { ROOT, freePort, run, waitForHttp, type Running } from '../process.js';

const RESULTS = path.join(ROOT, 'test-results');

describe.skipIf(!chromiumAvailable())('portal in Chromium', () => {
  let server: Running;
  let base: string;
  let articleId: string;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = run(['start'], { PORT: String(port), DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'zz-portal-browser-')) });
    await waitForHttp(`${base}/readyz`, 60_000);
    const home = await (await fetch(`${base}/`)).text();
    articleId = /<a href="\/articles\/(\d+)">全区网格化治理工作推进会召开/.exec(home)![1]!;
    fs.mkdirSync(RESULTS, { recursive: true });
  }, 90_000);
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  for (const [device, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 360, height: 740 }],
  ] as const) {
    it(`shows the home page, an article and search results on a ${device} with no axe violations`, async () => {
      const browser: Browser = await launchBrowser({ viewport });
      try {
        const page = await browser.context.newPage();
        const errors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(e.message));
        for (const [name, url] of [
          ['home', '/'],
          ['article', `/articles/${articleId}`],
          ['search', `/search?q=${encodeURIComponent('城市更新')}`],
          ['column', '/columns/policies'],
          ['town', '/towns/500154001'],
          ['not-found', '/no/such/page'],
        ] as const) {
          // The 404 page's own status shows as a console error; nothing else may.
          if (name === 'not-found') expect(errors).toEqual([]);
          await page.goto(`${base}${url}`);
          expect(await runAxe(page), `${name} on ${device}`).toEqual([]);
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name} fits the ${device}`).toBe(true);
          if (['home', 'article', 'search'].includes(name)) await page.screenshot({ path: path.join(RESULTS, `portal-${name}-${device}.png`), fullPage: true });
        }
        await page.goto(`${base}/search?q=${encodeURIComponent('城市更新')}`);
        expect(await page.locator('.results mark').first().textContent()).toBe('城市更新');
        expect(errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 90_000);

    it(`renders the accessible and elder modes on a ${device} from the cookie, with no axe violations`, async () => {
      const browser: Browser = await launchBrowser({ viewport });
      try {
        for (const [mode, cookie] of [
          ['high-contrast-200', 's200-chigh-t'],
          ['dark-spacing', 's150-cdark-l-k-t'],
          ['elder', 'e'],
        ] as const) {
          await browser.context.clearCookies();
          await browser.context.addCookies([{ name: 'zz_a11y', value: cookie, url: base }]);
          const page = await browser.context.newPage();
          for (const [name, url] of [
            ['home', '/'],
            ['article', `/articles/${articleId}`],
            ['search', `/search?q=${encodeURIComponent('城市更新')}`],
          ] as const) {
            await page.goto(`${base}${url}`);
            expect(await runAxe(page), `${name} in ${mode} on ${device}`).toEqual([]);
            expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name} in ${mode} fits the ${device}`).toBe(true);
            if (name !== 'search') await page.screenshot({ path: path.join(RESULTS, `portal-${mode}-${name}-${device}.png`), fullPage: mode !== 'elder' });
          }
          await page.close();
        }
      } finally {
        await browser.close();
      }
    }, 120_000);
  }

  it('shows the editors’ pages, the print view and the accessibility page with no axe violations', async () => {
    const browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await browser.context.newPage();
      for (const url of [`/articles/${articleId}/print`, '/accessibility']) {
        await page.goto(`${base}${url}`);
        expect(await runAxe(page), url).toEqual([]);
      }
      await page.goto(`${base}/login`);
      await page.fill('#username', 'editor');
      await page.fill('#password', 'Kaizhou@2026');
      await page.click('button[type=submit]');
      await page.waitForURL(`${base}/workbench`);
      for (const url of ['/workbench/content', `/workbench/content/${articleId}`, '/workbench/content/new', '/workbench/columns', '/workbench/links', '/workbench/words', '/workbench/profiles/500154001', '/workbench/freshness']) {
        await page.goto(`${base}${url}`);
        expect(await runAxe(page), url).toEqual([]);
      }
      await page.goto(`${base}/workbench/content/${articleId}`);
      await page.screenshot({ path: path.join(RESULTS, 'portal-editor-desktop.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 90_000);

  it('applies the toolbar in place with JavaScript, keeps the choice, and works from the keyboard', async () => {
    const browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await browser.context.newPage();
      await page.goto(`${base}/`);
      // The first Tab shows the skip link to the content.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('跳到主要内容');
      await page.click('#a11y-entry');
      expect(await page.isVisible('#a11y-toolbar')).toBe(true);
      await page.click('a[data-a11y="size=up"]');
      await page.click('a[data-a11y="size=up"]');
      await page.click('a[data-a11y="contrast=dark"]');
      expect(page.url()).toBe(`${base}/`);
      expect(await page.evaluate(() => document.documentElement.className)).toBe('a11y-s150 a11y-dark');
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('24px');
      // The server reads the cookie on the next page: enlarged and dark from the first paint.
      await page.goto(`${base}/columns/news`);
      expect(await page.evaluate(() => document.documentElement.className)).toBe('a11y-s150 a11y-dark');
      await page.click('a[data-a11y="toggle=guide"]');
      expect(await page.locator('.reading-guide').count()).toBe(1);
      expect(await runAxe(page)).toEqual([]);
      await page.screenshot({ path: path.join(RESULTS, 'portal-toolbar-desktop.png') });
      // Reset from the keyboard alone.
      await page.focus('a[data-a11y="reset=1"]');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.documentElement.className)).toBe('');
    } finally {
      await browser.close();
    }
  }, 60_000);
});
