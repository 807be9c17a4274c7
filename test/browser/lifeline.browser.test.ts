/// <reference lib="dom" />
/**
 * The district center's board in real Chromium against the real server with its embedded MQTT broker: an alarm a
 * sensor publishes appears on the map and in the list without reloading the page; the board, the alarm page and a
 * sensor chart pass axe-core (WCAG 2.1 A/AA); screenshots go to test-results/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/modules/demo/index.js';
import { DEMO_LIFELINE } from '../../src/modules/lifeline/index.js';
import { chromiumAvailable, launchBrowser, runAxe } from '../browser.js';
import { ROOT, freePort, run, waitForHttp, type Running } from '../process.js';

const RESULTS = path.join(ROOT, 'test-results');

describe.skipIf(!chromiumAvailable())('lifeline board in Chromium', () => {
  let server: Running;
  let base: string;
  let mqttPort: number;
  beforeAll(async () => {
    const port = await freePort();
    mqttPort = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = run(['start'], { PORT: String(port), MQTT_PORT: String(mqttPort), DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'zz-lifeline-browser-')) });
    await waitForHttp(`${base}/readyz`, 90_000);
    await server.waitFor(/embedded MQTT broker on 127\.0\.0\.1:\d+/);
    fs.mkdirSync(RESULTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('shows a new alarm on the open board without a reload, and the alarm and sensor pages are accessible', async () => {
    const browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}/login?next=/workbench/lifeline`);
      await page.fill('#username', 'supervisor');
      await page.fill('#password', DEMO_PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForURL(`${base}/workbench/lifeline`);
      // (Blue silence alarms may already show: the demo sensors have not reported since the server started.)
      expect(await page.locator('.ll-alarm.grade-1').count()).toBe(0);
      expect(await runAxe(page)).toEqual([]);

      const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { username: DEMO_LIFELINE.gateway.key, password: DEMO_LIFELINE.gateway.secret, reconnectPeriod: 0 });
      const now = Date.now();
      await device.publishAsync(
        `zhizhi/v1/readings/${DEMO_LIFELINE.gateway.key}`,
        JSON.stringify({ readings: [{ sensor: 'GAS-HF-001-CH4-02', ts: new Date(now - 2000).toISOString(), value: 56 }, { sensor: 'GAS-HF-001-CH4-02', ts: new Date(now - 1000).toISOString(), value: 58 }] }),
        { qos: 1 },
      );
      await device.endAsync();
      // The page polls; the red dot and the row arrive without navigation.
      await page.locator('circle.ll-alarm.grade-1').waitFor({ timeout: 15_000 });
      await expect.poll(() => page.locator('table.ll-alarms tbody tr.grade-row-1').count()).toBe(1);
      expect(page.url()).toBe(`${base}/workbench/lifeline`);
      expect(await runAxe(page)).toEqual([]);
      await page.screenshot({ path: path.join(RESULTS, 'lifeline-board.png'), fullPage: true });

      await page.click('table.ll-alarms tbody tr.grade-row-1 a[href^="/workbench/lifeline/alarms/"]');
      await page.waitForURL(/\/workbench\/lifeline\/alarms\/\d+$/);
      expect(await page.textContent('h1')).toContain('Ⅰ级（红）');
      expect(await page.locator('svg.ll-chart-svg .ll-threshold').count()).toBeGreaterThan(0);
      expect(await runAxe(page)).toEqual([]);
      await page.screenshot({ path: path.join(RESULTS, 'lifeline-alarm.png'), fullPage: true });

      await page.fill('#reason', '相邻通信井甲烷浓度持续升高，确认泄漏');
      await page.click('button[value="confirm"]');
      await page.waitForURL(/done=1/);
      expect(await page.locator('dl.facts a[href^="/workbench/incidents/"]').count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
