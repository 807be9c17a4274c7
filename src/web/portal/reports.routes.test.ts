/**
 * The public list and map of reports over HTTP: only public categories, no personal data, filters by category,
 * status and town that work as a plain GET form, paging without loss, and the map's GeoJSON of the same filter.
 */
import { beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { describeEachEngine } from '../../../test/db.js';
import { FakeClock } from '../../kernel/clock.js';

describeEachEngine('public list and map of reports', (suite) => {
  let t: TestApp;
  const clock = new FakeClock('2026-11-20T10:00:00+08:00');
  const made: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp(suite.database, { clock });
    const s = t.runtime.services!;
    const by = { userId: null, label: 'test', ip: null };
    const report = async (key: string, code: string, extra: Record<string, unknown> = {}) => {
      const category = await s.catalog.getByCode(code);
      const r = await s.incidents.report({ channel: 'web', categoryId: category.id, description: `${key} 的描述`, title: `${key} 标题`, location: { lon: 108.3935, lat: 31.1611 }, reporter: { name: '李四', phone: '13900000000' }, ...extra }, by);
      made[key] = r.incident.number;
      clock.advance(60_000);
    };
    for (let n = 0; n < 23; n++) await report(`灯${n}`, 'BJ0102');
    await report('塌陷', 'SJ0502'); // not public in the catalogue
    await report('已办', 'SJ0102', { channel: 'grid_patrol', then: { resolvedOnSite: '已清扫' } });
    reportAgain = report;
  });
  let reportAgain: (key: string, code: string, extra?: Record<string, unknown>) => Promise<void>;

  it('lists public reports newest first, 20 a page, with no personal data and links to each report', async () => {
    const res = await t.app.request('/reports');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('共 24 条');
    expect(html).toContain(`href="/reports/${made['已办']}"`);
    expect(html).not.toContain(made['塌陷']);
    expect(html).not.toContain('李四');
    expect(html).not.toContain('13900000000');
    const first = (html.match(/href="\/reports\/KZ\d+"/g) ?? []).length;
    expect(first).toBe(20);
    const second = await (await t.app.request('/reports?page=2')).text();
    const numbers = [...`${html}${second}`.matchAll(/href="\/reports\/(KZ\d+)"/g)].map((m) => m[1]);
    expect(new Set(numbers).size).toBe(24);
    expect(second).toContain('rel="prev"');
  });

  it('filters by category, status and town in a GET form, keeping the choice', async () => {
    const closed = await (await t.app.request('/reports?status=closed')).text();
    expect(closed).toContain('共 1 条');
    expect(closed).toContain(made['已办']);
    expect(closed).toMatch(/<option value="closed" selected/);
    const lamps = await (await t.app.request('/reports?category=BJ0102&status=open')).text();
    expect(lamps).toContain('共 23 条');
    const group = await (await t.app.request('/reports?category=BJ01')).text();
    expect(group).toContain('共 23 条');
    const town = await t.runtime.services!.incidents.findByNumber(made['灯0']!);
    const units = await t.runtime.services!.geography.map();
    const code = units.towns.find((x) => x.unit.id === town!.townUnitId)!.unit.code;
    expect(await (await t.app.request(`/reports?town=${code}`)).text()).toContain('共 24 条');
    const other = units.towns.find((x) => x.unit.id !== town!.townUnitId)!.unit.code;
    expect(await (await t.app.request(`/reports?town=${other}`)).text()).toContain('没有符合条件的反映');
    // Unknown values are ignored rather than failing the page.
    expect((await t.app.request('/reports?category=NOPE&status=weird&page=-3')).status).toBe(200);
  });

  it('offers a map view whose GeoJSON carries the same filter', async () => {
    const page = await (await t.app.request('/reports?view=map&status=closed')).text();
    expect(page).toContain('data-points="/reports.geojson?status=closed"');
    expect(page).toContain('reports-map.js');
    // Under the map's limit, no word about it.
    expect(page).not.toContain('地图只显示最新的');
    const res = await t.app.request('/reports.geojson?status=closed');
    expect(res.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    const fc = (await res.json()) as { features: { properties: { number: string; href: string; closed: boolean }; geometry: { coordinates: number[] } }[] };
    expect(fc.features).toEqual([expect.objectContaining({ properties: expect.objectContaining({ number: made['已办'], href: `/reports/${made['已办']}`, closed: true }), geometry: { type: 'Point', coordinates: [108.3935, 31.1611] } })]);
  });

  it('reads the public list by bounding box and numbers, and the public updates of a time range', async () => {
    const incidents = t.runtime.services!.incidents;
    const inBox = await incidents.listPublic({ bbox: [108.39, 31.16, 108.4, 31.17] }, { limit: 100, offset: 0 });
    expect(inBox.total).toBe(24);
    expect((await incidents.listPublic({ bbox: [108.0, 31.0, 108.1, 31.1] }, { limit: 100, offset: 0 })).total).toBe(0);
    const two = await incidents.listPublic({ numbers: [made['灯3']!, made['塌陷']!] }, { limit: 100, offset: 0 });
    expect(two.items.map((r) => r.number)).toEqual([made['灯3']]); // the non-public one is not there
    expect(Object.keys(two.items[0]!)).not.toContain('reporterName');
    // Past the end: an empty page, and still the total.
    expect(await incidents.listPublic({}, { limit: 10, offset: 100 })).toEqual({ items: [], total: 24 });
    const updates = await incidents.publicUpdates(new Date('2026-11-20T00:00:00Z'), new Date('2026-11-21T00:00:00Z'), { limit: 100, offset: 0 });
    // Only the report resolved on site changed state after intake; intake entries are not updates.
    expect(new Set(updates.items.map((u) => u.number))).toEqual(new Set([made['已办']]));
    expect(updates.items.map((u) => u.state)).toEqual(['filed', 'dispatched', 'signed', 'reported_back', 'verified', 'closed']);
    expect(updates.total).toBe(6);
  });

  it('masks phone and house numbers in the public list, its map and Open311, and never lists mailbox letters', async () => {
    // What citizens type may hold their phone or house number; a letter to the leader's mailbox is never listed.
    await reportAgain('电话', 'BJ0102', { description: '路灯坏了，请联系我 13812345678，住滨湖路 18 号', address: '滨湖路 18 号门前' });
    await reportAgain('信箱', 'BJ0102', { channel: 'leader' });
    const list = await (await t.app.request('/reports?page=1')).text();
    expect(list).toContain(made['电话']);
    expect(list).not.toContain(made['信箱']);
    const geo = await (await t.app.request('/reports.geojson')).text();
    const open311 = await (await t.app.request(`/open311/v2/requests/${made['电话']}.json`)).text();
    for (const body of [list, geo, open311]) {
      expect(body).not.toContain('13812345678');
      expect(body).not.toContain('18 号');
    }
    expect(open311).toContain('＊＊');
    expect((await t.app.request(`/open311/v2/requests/${made['信箱']}.json`)).status).toBe(404);
  });
});
