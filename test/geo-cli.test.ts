/**
 * The boundary import as an operator runs it: `geo import` refuses a broken file with one line per problem
 * (feature, unit code, reason) and exit code 1, writing nothing; a valid GCJ-02 file is imported, and
 * `geo lookup` then places a point in the imported town.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { wgs84ToGcj02, type LonLat } from '../src/modules/geography/index.js';
import { run } from './process.js';

const box = (x0: number, y0: number, x1: number, y1: number): LonLat[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const collection = (features: [string, LonLat[]][]) =>
  JSON.stringify({ type: 'FeatureCollection', features: features.map(([code, ring]) => ({ type: 'Feature', properties: { code }, geometry: { type: 'Polygon', coordinates: [ring] } })) });

describe('geo import and geo lookup on the command line', () => {
  it('refuses a broken file precisely and writes nothing, then imports a valid GCJ-02 file', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-geo-cli-'));
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    const broken = path.join(dataDir, 'broken.geojson');
    fs.writeFileSync(broken, collection([['500154001', box(108.38, 31.15, 108.39, 31.16).slice(0, 4)], ['500154999', box(108.39, 31.15, 108.4, 31.16)]]));
    const refused = run(['geo', 'import', broken, '--level', 'town'], env);
    expect(await refused.exited()).toBe(1);
    expect(refused.output()).toContain('边界文件有 2 处问题，未导入任何内容。');
    expect(refused.output()).toContain('第 0 个要素（500154001）：coordinates[0] 的环未闭合');
    expect(refused.output()).toContain('第 1 个要素（500154999）：没有代码为 500154999 的单位。  [GEO.UNKNOWN_UNIT]');

    const good = path.join(dataDir, 'towns-gcj02.geojson');
    fs.writeFileSync(good, collection([['500154001', box(108.38, 31.15, 108.39, 31.16).map((p) => wgs84ToGcj02(p))]]));
    const imported = run(['geo', 'import', good, '--crs', 'gcj02', '--level', 'town'], env);
    expect(await imported.exited()).toBe(0);
    expect(imported.output()).toMatch(/已导入 1 个单位的边界（边界版本 \d+）。/);

    const lookup = run(['geo', 'lookup', '108.385', '31.155'], env);
    expect(await lookup.exited()).toBe(0);
    expect(lookup.output()).toMatch(/town\s+500154001\s+汉丰街道/);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 180_000);
});
