/**
 * Open311 GeoReport v2 conformance, written from the specification (https://wiki.open311.org/GeoReport_v2/,
 * ../shared/reference/anchors.md §2): every method in both formats with identical content, every error case in
 * the spec's error format and status, paging without loss or overlap, the 90-day default window, status
 * folding, and mySociety's servicerequestupdates extension. HTTP tier (app.request, no port), on each engine.
 */
import { beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { describeEachEngine } from '../../../test/db.js';
import { FakeClock } from '../../kernel/clock.js';

const BASE = '/open311/v2';
const IN_DISTRICT = { lat: '31.1611', long: '108.3935' };
const DAY = 86_400_000;

/** Elements whose children form a list (Spark convention: they become JSON arrays). */
const LISTS = new Set(['services', 'service_requests', 'service_request_updates', 'errors', 'attributes', 'values', 'endpoints', 'formats']);

type Tree = string | Tree[] | { [k: string]: Tree };

/** A small parser for the XML we serve (elements and text, no attributes, no mixed content), into the JSON shape. */
function parseXml(xml: string): Tree {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  const src = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  let i = 0;
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  function element(): { name: string; value: Tree } {
    const open = /^<([A-Za-z_][\w.-]*)>/.exec(src.slice(i));
    if (!open) throw new Error(`expected an element at ${i}: ${src.slice(i, i + 40)}`);
    const name = open[1]!;
    i += open[0].length;
    const children: { name: string; value: Tree }[] = [];
    let text = '';
    while (!src.startsWith(`</${name}>`, i)) {
      if (src[i] === '<') children.push(element());
      else {
        const end = src.indexOf('<', i);
        text += src.slice(i, end);
        i = end;
      }
    }
    i += `</${name}>`.length;
    if (LISTS.has(name)) return { name, value: children.map((c) => c.value) };
    if (children.length) return { name, value: Object.fromEntries(children.map((c) => [c.name, c.value])) };
    return { name, value: unescape(text) };
  }
  return element().value;
}

/** JSON with every scalar as the text XML would carry (null → ''), so both formats compare exactly. */
function asText(v: unknown): Tree {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(asText);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asText(x)]));
  return String(v);
}

describeEachEngine('Open311 GeoReport v2 conformance', (suite) => {
  let t: TestApp;
  const clock = new FakeClock('2026-11-20T10:00:00+08:00');
  beforeAll(async () => {
    t = await createTestApp(suite.database, { clock });
  });

  const get = (path: string) => t.app.request(`${BASE}${path}`);
  const post = (path: string, fields: Record<string, string | string[]>, init: RequestInit = {}) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    return t.app.request(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: body.toString(), ...init });
  };
  /** GETs a resource in both formats, checks the content types, and that both carry the same content. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed Open311 body, checked field by field
  async function both(path: string, status = 200): Promise<{ json: any; headers: Headers }> {
    const [x, j] = await Promise.all([get(`${path.replace('{fmt}', 'xml')}`), get(`${path.replace('{fmt}', 'json')}`)]);
    expect(x.status).toBe(status);
    expect(j.status).toBe(status);
    expect(x.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(j.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const json = await j.json();
    expect(parseXml(await x.text())).toEqual(asText(json));
    return { json, headers: j.headers };
  }
  const valid = (extra: Record<string, string | string[]> = {}) => ({ api_key: 'demo-key', service_code: 'BJ0101', ...IN_DISTRICT, 'attribute[cover_use]': 'rain', description: '人民路口井盖缺失，夜间危险。', ...extra });
  /** An error response: status, the format's content type, and a body of {code, description} naming the problem. */
  async function expectError(res: Response, status: number, match: RegExp, format: 'json' | 'xml' = 'json') {
    expect(res.status).toBe(status);
    const text = await res.text();
    if (format === 'xml') {
      expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
      const errors = parseXml(text) as { code: string; description: string }[];
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.map((e) => e.description).join(' | ')).toMatch(match);
      return errors;
    }
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const errors = JSON.parse(text) as { code: number; description: string }[];
    expect(Array.isArray(errors)).toBe(true);
    expect(errors.every((e) => typeof e.code === 'number' && typeof e.description === 'string')).toBe(true);
    expect(errors.map((e) => e.description).join(' | ')).toMatch(match);
    return errors;
  }
  const count = async () => Number((await get('/requests.json?page_size=1')).headers.get('x-total-count'));

  it('serves discovery in XML and JSON with every required field', async () => {
    const { json } = await both('/discovery.{fmt}');
    expect(json).toMatchObject({ contact: expect.any(String), key_service: expect.stringContaining('demo-key') });
    expect(json.changeset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(json.endpoints).toEqual([
      { specification: 'http://wiki.open311.org/GeoReport_v2', url: expect.stringMatching(/\/open311\/v2\/$/), changeset: json.changeset, type: 'test', formats: ['text/xml', 'application/json'] },
    ]);
  });

  it('lists the leaf categories the public may follow as services, with group, type, keywords and metadata', async () => {
    const { json } = await both('/services.{fmt}');
    const codes = json.map((s: { service_code: string }) => s.service_code);
    expect(json.find((s: { service_code: string }) => s.service_code === 'BJ0101')).toEqual({
      service_code: 'BJ0101',
      service_name: '井盖破损、缺失',
      description: expect.any(String),
      metadata: true,
      type: 'realtime',
      keywords: '公用设施,部件',
      group: '公用设施',
    });
    expect(json.find((s: { service_code: string }) => s.service_code === 'BJ0103')).toMatchObject({ metadata: false });
    expect(codes).not.toContain('BJ01'); // a group, not a service
    expect(codes).not.toContain('SJ0502'); // not public in the catalogue
    expect(codes).not.toContain('SJ0601'); // 12350 work-safety reports have their own channel
  });

  it('gives a service definition with its attributes in order, list values included', async () => {
    const { json } = await both('/services/BJ0101.{fmt}');
    expect(json.service_code).toBe('BJ0101');
    expect(json.attributes.map((a: { code: string; order: number }) => [a.order, a.code])).toEqual([
      [1, 'cover_use'],
      [2, 'in_roadway'],
      [3, 'safety_note'],
    ]);
    expect(json.attributes[0]).toMatchObject({ variable: true, datatype: 'singlevaluelist', required: true, description: '井盖类别' });
    expect(json.attributes[0].values).toContainEqual({ key: 'rain', name: '雨水' });
    expect(json.attributes[2]).toMatchObject({ variable: false, datatype: 'text', values: [] });
    const road = await both('/services/BJ0201.{fmt}');
    expect(road.json.attributes.map((a: { datatype: string }) => a.datatype)).toEqual(['number', 'multivaluelist']);
    await expectError(await get('/services/NOPE.json'), 404, /NOPE/);
    await expectError(await get('/services/NOPE.xml'), 404, /NOPE/, 'xml');
    await expectError(await get('/services/NOPE.json?lang=en'), 404, /^No service with code NOPE$/);
  });

  it('takes a form-encoded POST with api_key, attributes and media_url and returns the request id at once', async () => {
    const before = await count();
    const res = await post('/requests.json', valid({ 'attribute[in_roadway]': 'yes', media_url: 'https://example.org/p/1.jpg', email: 'a@example.org', first_name: '张', last_name: '三', phone: '13800000000', device_id: 'dev-1', account_id: 'acc-9' }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual([{ service_request_id: expect.stringMatching(/^KZ\d{14}$/), service_notice: expect.stringContaining('查询码'), account_id: 'acc-9' }]);
    expect(body[0]).not.toHaveProperty('token');
    const id = body[0].service_request_id as string;
    const stored = await t.runtime.services!.incidents.findByNumber(id);
    expect(stored).toMatchObject({ channel: 'open311', attributes: { cover_use: 'rain', in_roadway: 'yes' }, mediaUrl: 'https://example.org/p/1.jpg', lat: 31.1611, lon: 108.3935 });
    expect(await count()).toBe(before + 1);

    const one = await both(`/requests/${id}.{fmt}`);
    expect(one.json).toEqual([
      expect.objectContaining({
        service_request_id: id,
        status: 'open',
        service_code: 'BJ0101',
        service_name: '井盖破损、缺失',
        description: '人民路口井盖缺失，夜间危险。',
        requested_datetime: '2026-11-20T02:00:00Z',
        updated_datetime: '2026-11-20T02:00:00Z',
        lat: 31.1611,
        long: 108.3935,
        media_url: 'https://example.org/p/1.jpg',
      }),
    ]);
    // The public record carries no personal data.
    const text = JSON.stringify(one.json);
    for (const secret of ['13800000000', 'a@example.org', '张 三', 'dev-1', 'acc-9']) expect(text).not.toContain(secret);

    // XML POST answers in XML; a multivaluelist takes attribute[code][]; the token endpoint resolves the id.
    const xml = await post('/requests.xml', { api_key: 'demo-key', service_code: 'BJ0201', ...IN_DISTRICT, 'attribute[area_m2]': '0.8', 'attribute[lane][]': ['roadway', 'bike'] });
    expect(xml.status).toBe(200);
    const posted = parseXml(await xml.text()) as { service_request_id: string }[];
    expect((await t.runtime.services!.incidents.findByNumber(posted[0]!.service_request_id))?.attributes).toEqual({ area_m2: '0.8', lane: ['roadway', 'bike'] });
    const token = await both(`/tokens/${posted[0]!.service_request_id}.{fmt}`);
    expect(token.json).toEqual([{ service_request_id: posted[0]!.service_request_id, token: posted[0]!.service_request_id }]);
    await expectError(await get('/tokens/KZ000.json'), 404, /KZ000/);

    // A retry with the same Idempotency-Key gets the first request's id, and nothing is stored twice.
    const retry = () => post('/requests.json', valid(), { headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'client-42' } });
    const first = (await (await retry()).json())[0];
    const counted = await count();
    const again = await retry();
    expect(again.status).toBe(200);
    expect((await again.json())[0]).toMatchObject({ service_request_id: first.service_request_id, service_notice: null });
    expect(await count()).toBe(counted);
    await expectError(await post('/requests.json', valid(), { headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'bad key' } }), 400, /Idempotency-Key/);
  });

  it('refuses bad submissions with the right status and a precise error, storing nothing', async () => {
    const before = await count();
    await expectError(await post('/requests.json', valid({ api_key: '' })), 403, /api_key/);
    await expectError(await post('/requests.xml', valid({ api_key: 'wrong-key' })), 403, /api_key/, 'xml');
    await expectError(await post('/requests.json', valid({ service_code: 'NOPE' })), 404, /NOPE/);
    await expectError(await post('/requests.json', valid({ service_code: '' })), 400, /service_code/);
    await expectError(await post('/requests.json', valid({ 'attribute[colour]': 'red' })), 400, /colour/);
    await expectError(await post('/requests.json', valid({ 'attribute[cover_use]': '' })), 400, /attribute\[cover_use\]/);
    await expectError(await post('/requests.json', valid({ 'attribute[cover_use]': 'marble' })), 400, /cover_use/);
    await expectError(await post('/requests.json', { api_key: 'demo-key', service_code: 'BJ0201', ...IN_DISTRICT, 'attribute[area_m2]': 'big' }), 400, /area_m2/);
    await expectError(await post('/requests.json', { api_key: 'demo-key', service_code: 'SJ0301', ...IN_DISTRICT, 'attribute[noise_started_at]': '2026-11-20 22:00' }), 400, /noise_started_at/);
    await expectError(await post('/requests.json', valid({ lat: 'abc' })), 400, /lat/);
    await expectError(await post('/requests.json', valid({ lat: '91', long: '108.39' })), 400, /lat/);
    await expectError(await post('/requests.json', valid({ long: '' })), 400, /lat/);
    await expectError(await post('/requests.json', { api_key: 'demo-key', service_code: 'BJ0101', 'attribute[cover_use]': 'rain' }), 400, /address_string/);
    await expectError(await post('/requests.json', valid({ lat: '39.9042', long: '116.4074' })), 400, /不在本区|outside/);
    await expectError(await post('/requests.json', valid({ description: '长'.repeat(4001) })), 400, /4000/);
    await expectError(await post('/requests.json', valid({ media_url: 'ftp://example.org/x.jpg' })), 400, /media_url/);
    await expectError(await post('/requests.json', valid({ jurisdiction_id: 'example.gov' })), 404, /kaizhou\.gov\.cn/);
    // Several problems at once are all named.
    const many = await expectError(await post('/requests.json', valid({ description: '长'.repeat(4001), email: 'not-an-address' })), 400, /4000/);
    expect(many.length).toBe(2);
    expect(await count()).toBe(before);
    // Exactly 4,000 characters is accepted, and so is the right jurisdiction.
    expect((await post('/requests.json', valid({ description: '长'.repeat(4000), jurisdiction_id: 'kaizhou.gov.cn' }))).status).toBe(200);
    expect(await count()).toBe(before + 1);
  });

  it('answers malformed requests in the spec format, never with a 500', async () => {
    await expectError(await get('/services.html'), 400, /xml|json/, 'xml');
    await expectError(await get('/nothing.json'), 404, /Open311/);
    await expectError(await get('/requests/KZ20990101999999.json'), 404, /KZ20990101999999/);
    await expectError(await get('/requests/KZ20990101999999.xml'), 404, /KZ20990101999999/, 'xml');
    await expectError(await get('/requests.json?start_date=yesterday'), 400, /start_date/);
    await expectError(await get('/requests.json?end_date=2026-02-30T00:00:00Z'), 400, /end_date/);
    await expectError(await get('/requests.json?start_date=2026-11-01T00:00:00'), 400, /start_date/); // no zone
    await expectError(await get('/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z'), 400, /90/);
    await expectError(await get('/requests.json?start_date=2026-11-10T00:00:00Z&end_date=2026-11-01T00:00:00Z'), 400, /start_date/);
    await expectError(await get('/requests.json?status=pending'), 400, /pending/);
    await expectError(await get('/requests.json?page=0'), 400, /page/);
    await expectError(await get('/requests.json?page_size=1001'), 400, /1000/);
    await expectError(await get('/services.json?jurisdiction_id=sfgov.org'), 404, /kaizhou\.gov\.cn/);
    const huge = await post('/requests.json', valid({ description: 'x'.repeat(1_100_000) }));
    const errors = await expectError(huge, 400, /1(\.0)? MB|1024 KB/);
    expect(errors[0]!.code).toBe(413);
    const garbage = await t.app.request(`${BASE}/requests.json`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=zz' }, body: 'not multipart' });
    await expectError(garbage, 400, /.+/);
    const json = await t.app.request(`${BASE}/requests.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"api_key":"demo-key",' });
    await expectError(json, 400, /x-www-form-urlencoded/);
    const xmlBody = await t.app.request(`${BASE}/requests.xml`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<request><service_code>BJ0101' });
    await expectError(xmlBody, 400, /x-www-form-urlencoded/, 'xml');
    // An empty parameter behaves exactly like an absent one.
    const plain = await get('/requests.json');
    const empty = await get('/requests.json?service_code=&status=&start_date=&end_date=&page=');
    expect(await empty.json()).toEqual(await plain.json());
  });

  it('filters by every parameter of the spec; service_request_id overrides the others', async () => {
    const services = t.runtime.services!;
    const mk = async (code: string, attrs: Record<string, string>) => (await (await post('/requests.json', { api_key: 'demo-key', service_code: code, ...IN_DISTRICT, ...attrs })).json())[0].service_request_id as string;
    clock.set('2026-11-21T09:00:00+08:00');
    const a = await mk('BJ0103', {});
    const b = await mk('BJ0105', {});
    // One closed at once (resolved on site by a patrol): status folds to closed.
    const patrol = await services.catalog.getByCode('BJ0105');
    const closed = await services.incidents.report({ channel: 'grid_patrol', categoryId: patrol.id, description: '电力箱门已关好。', location: { lon: 108.3935, lat: 31.1611 }, then: { resolvedOnSite: '现场关好箱门' } }, { userId: null, label: 'test', ip: null });
    expect(closed.incident.state).toBe('closed');

    const byIds = await both(`/requests.{fmt}?service_request_id=${a},${closed.incident.number}&service_code=BJ0101&status=open`);
    expect(byIds.json.map((r: { service_request_id: string }) => r.service_request_id).sort()).toEqual([a, closed.incident.number].sort());
    const folded = byIds.json.find((r: { service_request_id: string }) => r.service_request_id === closed.incident.number);
    expect(folded).toMatchObject({ status: 'closed', updated_datetime: '2026-11-21T01:00:00Z' });

    const byCode = (await both('/requests.{fmt}?service_code=BJ0103,BJ0105')).json.map((r: { service_request_id: string }) => r.service_request_id);
    expect(byCode.sort()).toEqual([a, b, closed.incident.number].sort());
    const open = (await both('/requests.{fmt}?service_code=BJ0105&status=open')).json.map((r: { service_request_id: string }) => r.service_request_id);
    expect(open).toEqual([b]);
    const closedOnly = (await both('/requests.{fmt}?service_code=BJ0105&status=closed')).json.map((r: { service_request_id: string }) => r.service_request_id);
    expect(closedOnly).toEqual([closed.incident.number]);
    const both2 = (await both('/requests.{fmt}?service_code=BJ0105&status=open,closed')).json;
    expect(both2).toHaveLength(2);
    const dated = (await both('/requests.{fmt}?service_code=BJ0103,BJ0105&start_date=2026-11-21T00:30:00Z&end_date=2026-11-21T01:00:00Z')).json;
    expect(dated).toHaveLength(3);
    expect((await both('/requests.{fmt}?service_code=BJ0103&end_date=2026-11-21T00:59:59Z')).json).toEqual([]);

    // The extension: extended attributes with mySociety's detailed status.
    const ext = (await both(`/requests/${closed.incident.number}.{fmt}?extensions=true`)).json;
    expect(ext[0].extended_attributes).toMatchObject({ detailed_status: 'FIXED', channel: 'grid_patrol' });
    expect((await both(`/requests/${a}.{fmt}`)).json[0]).not.toHaveProperty('extended_attributes');
  });

  it('pages through 7 requests 3 at a time with no loss or overlap, saying there is more', async () => {
    clock.set('2026-11-22T09:00:00+08:00');
    const made: string[] = [];
    for (let n = 0; n < 7; n++) {
      made.push((await (await post('/requests.json', { api_key: 'demo-key', service_code: 'SJ0302', ...IN_DISTRICT, description: `工地扬尘 ${n}` })).json())[0].service_request_id);
      clock.advance(60_000);
    }
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const { json, headers } = await both(`/requests.{fmt}?service_code=SJ0302&page_size=3&page=${page}`);
      expect(headers.get('x-total-count')).toBe('7');
      expect(json).toHaveLength(page === 3 ? 1 : 3);
      if (page < 3) expect(headers.get('link')).toContain(`page=${page + 1}`);
      else expect(headers.get('link') ?? '').not.toContain('rel="next"');
      seen.push(...json.map((r: { service_request_id: string }) => r.service_request_id));
    }
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort()).toEqual([...made].sort());
    expect(seen).toEqual([...made].reverse()); // newest first
  });

  it('returns only the last 90 days by default, and older requests when asked for their window', async () => {
    clock.set('2026-08-01T09:00:00+08:00');
    const old = (await (await post('/requests.json', { api_key: 'demo-key', service_code: 'SJ0104', ...IN_DISTRICT })).json())[0].service_request_id as string;
    clock.set('2026-11-23T09:00:00+08:00');
    const recent = (await (await post('/requests.json', { api_key: 'demo-key', service_code: 'SJ0104', ...IN_DISTRICT })).json())[0].service_request_id as string;
    const byDefault = (await both('/requests.{fmt}?service_code=SJ0104')).json.map((r: { service_request_id: string }) => r.service_request_id);
    expect(byDefault).toEqual([recent]);
    const then = (await both('/requests.{fmt}?service_code=SJ0104&start_date=2026-07-15T00:00:00Z&end_date=2026-08-15T00:00:00Z')).json.map((r: { service_request_id: string }) => r.service_request_id);
    expect(then).toEqual([old]);
    expect(new Date(clock.now().getTime() - 90 * DAY) > new Date('2026-08-01T01:00:00Z')).toBe(true);
  });

  it('offers mySociety servicerequestupdates: public-safe state changes with extended statuses', async () => {
    clock.set('2026-11-24T09:00:00+08:00');
    const services = t.runtime.services!;
    const category = await services.catalog.getByCode('SJ0102');
    const r = await services.incidents.report({ channel: 'grid_patrol', categoryId: category.id, description: '路面油污。', location: { lon: 108.3935, lat: 31.1611 }, then: { resolvedOnSite: '已冲洗' } }, { userId: null, label: 'test', ip: null });
    const { json } = await both('/servicerequestupdates.{fmt}?start_date=2026-11-24T00:00:00Z&end_date=2026-11-24T02:00:00Z');
    const mine = json.filter((u: { service_request_id: string }) => u.service_request_id === r.incident.number);
    expect(mine.map((u: { status: string }) => u.status)).toEqual(['ACTION_SCHEDULED', 'ACTION_SCHEDULED', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'FIXED']);
    expect(mine[0]).toEqual({ update_id: expect.stringMatching(/^\d+$/), service_request_id: r.incident.number, status: 'ACTION_SCHEDULED', updated_datetime: '2026-11-24T01:00:00Z', description: '', media_url: null });
    await expectError(await get('/servicerequestupdates.json?start_date=bad'), 400, /start_date/);
  });

  it('throttles submissions per address and per key: 429 with Retry-After and an Open311 error', async () => {
    clock.set('2026-11-25T09:00:30+08:00');
    const limited = await createTestApp(suite.database, { clock, env: { OPEN311_SUBMISSIONS_PER_ADDRESS: '3', OPEN311_SUBMISSIONS_PER_KEY: '100' } });
    const send = (app: TestApp, fields: Record<string, string>, ip: string) =>
      app.app.request(`${BASE}/requests.xml`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip }, body: new URLSearchParams(fields).toString() });
    const before = await count();
    for (let n = 0; n < 3; n++) expect((await send(limited, valid() as Record<string, string>, '')).status).toBe(200);
    const refused = await send(limited, valid() as Record<string, string>, '');
    const errors = await expectError(refused, 429, /30 秒/, 'xml');
    expect(errors[0]!.code).toBe('429');
    expect(refused.headers.get('retry-after')).toBe('30');
    // A wrong key is counted too, so keys cannot be guessed faster than the limit.
    await expectError(await send(limited, valid({ api_key: 'guess' }) as Record<string, string>, ''), 429, /秒/, 'xml');
    expect(await count()).toBe(before + 3);
    // The next minute is a new window.
    clock.advance(30_000);
    expect((await send(limited, valid() as Record<string, string>, '')).status).toBe(200);

    const perKey = await createTestApp(suite.database, { clock, env: { OPEN311_SUBMISSIONS_PER_ADDRESS: '100', OPEN311_SUBMISSIONS_PER_KEY: '2', TRUST_PROXY: 'true' } });
    clock.advance(60_000);
    expect((await send(perKey, valid() as Record<string, string>, '10.0.0.1')).status).toBe(200);
    expect((await send(perKey, valid() as Record<string, string>, '10.0.0.2')).status).toBe(200);
    // Another address, the same key: over the key's limit.
    await expectError(await send(perKey, valid() as Record<string, string>, '10.0.0.3'), 429, /秒/, 'xml');
  });
});
