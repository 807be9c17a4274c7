import { beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { describeEachEngine } from '../../../test/db.js';

describeEachEngine('map page and GeoJSON', (suite) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(suite.database); // a demo deployment: seeds the demo geography
  });

  it('serves the 40 towns as GeoJSON, marked as demo, cacheable by revision', async () => {
    const res = await t.app.request('/geo/towns.geojson');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"geo-\d+\.\d+\.\d+-towns"$/);
    const fc = (await res.json()) as { type: string; features: { properties: { code: string; name: string; demo: boolean }; geometry: { type: string } }[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(40);
    expect(fc.features[0]!.properties).toMatchObject({ code: '500154001', name: '汉丰街道', demo: true });
    const again = await t.app.request('/geo/towns.geojson', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it("serves a town's grids and villages, and 404 for a town that does not exist", async () => {
    const grids = (await (await t.app.request('/geo/towns/500154001/grids.geojson')).json()) as { features: { properties: { code: string; name: string } }[] };
    expect(grids.features.length).toBeGreaterThan(10);
    for (const f of grids.features) {
      expect(f.properties.code).toMatch(/^500154001-DEMO-V\d+-G\d+$/);
      expect(f.properties.name).toContain('演示');
    }
    const villages = (await (await t.app.request('/geo/towns/500154001/villages.geojson')).json()) as { features: unknown[] };
    expect(villages.features.length).toBeGreaterThan(3);
    expect((await t.app.request('/geo/towns/999/grids.geojson')).status).toBe(404);
    const district = (await (await t.app.request('/geo/district.geojson')).json()) as { features: { properties: { code: string; demo: boolean } }[] };
    expect(district.features.map((f) => f.properties)).toEqual([expect.objectContaining({ code: '500154', demo: false })]);
  });

  it('renders /map with the SVG sketch, the town links and the demo note, with no inline script or style', async () => {
    const html = await (await t.app.request('/map')).text();
    expect(html).toContain('网格地图');
    expect(html.match(/href="\/map\?town=500154\d{3}"/g)).toHaveLength(40);
    expect(html.match(/<g class="town">/g)).toHaveLength(1);
    expect(html).toContain('标有“演示”的边界由系统生成');
    expect(html).toMatch(/<script src="\/static\/leaflet\/leaflet\.js\?v=[0-9a-f]+" defer=""><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/\sstyle="/);
    const leaflet = await t.app.request(/src="(\/static\/leaflet\/leaflet\.js\?v=[0-9a-f]+)"/.exec(html)![1]!);
    expect(leaflet.status).toBe(200);
    expect(leaflet.headers.get('cache-control')).toContain('immutable');
  });

  it("renders a town's grids for browsers without JavaScript, and 404 for an unknown town", async () => {
    const html = await (await t.app.request('/map?town=500154002')).text();
    expect(html).toContain('文峰街道');
    expect(html).toMatch(/<g class="grid">(<path [^>]+>)+/);
    expect(html).toContain('返回全区');
    expect((await t.app.request('/map?town=nope')).status).toBe(404);
  });
});
