import { describe, expect, it } from 'vitest';
import { STATES, type State } from '../../modules/incidents/index.js';
import { WireList, errorsDocument, toJson, toXml } from './open311.format.js';
import { EXTENDED_STATUS, Open311Error, commaList, extendedStatus, foldStatus, parseAttributes, parseLatLong, parsePaging, parseStatus, parseWindow, w3c, type Params } from './open311.rules.js';

const q = (s: string): Params => {
  const m = new Map<string, string[]>();
  for (const [k, v] of new URLSearchParams(s)) m.set(k, [...(m.get(k) ?? []), v]);
  return m;
};
const keyOf = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof Open311Error) return `${e.status} ${e.problems.map((p) => p.key).join(',')}`;
    throw e;
  }
};
const NOW = new Date('2026-11-28T00:00:00Z');

describe('status folding', () => {
  it.each<[State, 'open' | 'closed', string]>([
    ['reported', 'open', 'OPEN'],
    ['accepted', 'open', 'INVESTIGATING'],
    ['filed', 'open', 'ACTION_SCHEDULED'],
    ['dispatched', 'open', 'ACTION_SCHEDULED'],
    ['signed', 'open', 'IN_PROGRESS'],
    ['reported_back', 'open', 'IN_PROGRESS'],
    ['verified', 'open', 'IN_PROGRESS'],
    ['parked', 'open', 'ACTION_SCHEDULED'],
    ['closed', 'closed', 'FIXED'],
    ['rejected', 'closed', 'NOT_COUNCILS_RESPONSIBILITY'],
    ['merged', 'closed', 'DUPLICATE'],
    ['voided', 'closed', 'CANCELLED'],
  ])('%s is %s (extended %s)', (state, folded, extended) => {
    expect(foldStatus(state)).toBe(folded);
    expect(extendedStatus(state)).toBe(extended);
  });
  it('covers every state, and a reopen is REOPEN', () => {
    expect(Object.keys(EXTENDED_STATUS).sort()).toEqual([...STATES].sort());
    expect(extendedStatus('dispatched', 'reopen')).toBe('REOPEN');
  });
});

describe('parameters', () => {
  it.each<[string, string, string | null]>([
    ['no dates: the last 90 days', '', null],
    ['a start alone: 90 days from it, not past now', 'start_date=2026-11-01T00:00:00Z', null],
    ['91 days', 'start_date=2026-08-01T00:00:00Z&end_date=2026-10-31T00:00:00Z', '400 open311.error.dateSpan'],
    ['reversed', 'start_date=2026-11-02T00:00:00Z&end_date=2026-11-01T00:00:00Z', '400 open311.error.dateOrder'],
    ['no zone', 'end_date=2026-11-01T00:00:00', '400 open311.error.date'],
    ['empty is absent', 'start_date=&end_date=', null],
  ])('window: %s', (_n, query, error) => {
    expect(keyOf(() => parseWindow(q(query), NOW))).toBe(error);
  });
  it('defaults to the 90 days before now', () => {
    expect(parseWindow(q(''), NOW)).toEqual({ from: new Date('2026-08-30T00:00:00Z'), to: NOW });
    expect(parseWindow(q('start_date=2026-11-01T00:00:00Z'), NOW)).toEqual({ from: new Date('2026-11-01T00:00:00Z'), to: NOW });
  });
  it.each<[string, { page: number; pageSize: number } | string]>([
    ['', { page: 1, pageSize: 1000 }],
    ['page=3&page_size=50', { page: 3, pageSize: 50 }],
    ['page=0', '400 open311.error.page'],
    ['page=x', '400 open311.error.page'],
    ['page_size=1001', '400 open311.error.pageSize'],
    ['page_size=-1', '400 open311.error.pageSize'],
  ])('paging %s', (query, expected) => {
    if (typeof expected === 'string') expect(keyOf(() => parsePaging(q(query)))).toBe(expected);
    else expect(parsePaging(q(query))).toEqual(expected);
  });
  it.each<[string, { lat: number; lon: number } | undefined | string]>([
    ['', undefined],
    ['lat=31.16&long=108.39', { lat: 31.16, lon: 108.39 }],
    ['lat=-31.5&long=-108', { lat: -31.5, lon: -108 }],
    ['lat=31.16', '400 open311.error.latLong'],
    ['lat=91&long=0', '400 open311.error.latLong'],
    ['lat=0&long=181', '400 open311.error.latLong'],
    ['lat=1e2&long=0', '400 open311.error.latLong'],
    ['lat=abc&long=0', '400 open311.error.latLong'],
  ])('lat/long %s', (query, expected) => {
    if (typeof expected === 'string') expect(keyOf(() => parseLatLong(q(query)))).toBe(expected);
    else expect(parseLatLong(q(query))).toEqual(expected);
  });
  it('reads status and comma lists, dropping empties and duplicates', () => {
    expect(parseStatus(q('status=open,CLOSED'))).toEqual(['open', 'closed']);
    expect(keyOf(() => parseStatus(q('status=open,fixed')))).toBe('400 open311.error.status');
    expect(commaList(q('service_request_id=a,,b,a'), 'service_request_id')).toEqual(['a', 'b']);
    expect(commaList(q('service_code='), 'service_code')).toBeUndefined();
  });
  it('reads attribute[code] and attribute[code][] (multivaluelist)', () => {
    expect(parseAttributes(q('attribute[a]=1&attribute[b][]=x&attribute[b][]=y&other=z'))).toEqual({ a: '1', b: ['x', 'y'] });
  });
  it('writes UTC timestamps with Z and no fraction', () => {
    expect(w3c(new Date('2026-11-28T08:00:00.123+08:00'))).toBe('2026-11-28T00:00:00Z');
  });
});

describe('one document, two formats', () => {
  it.each<[string, Parameters<typeof toXml>[0], string, string]>([
    ['a list becomes an array', { root: 'services', body: new WireList('service', [{ service_code: 'A', metadata: true }]) }, '<services><service><service_code>A</service_code><metadata>true</metadata></service></services>', '[{"service_code":"A","metadata":true}]'],
    ['text is escaped; null is an empty element', { root: 'x', body: { d: '<a & "b">', n: null, skip: undefined } }, '<x><d>&lt;a &amp; &quot;b&quot;&gt;</d><n></n></x>', '{"d":"<a & \\"b\\">","n":null}'],
    ['errors', errorsDocument([{ code: 403, description: 'api_key' }]), '<errors><error><code>403</code><description>api_key</description></error></errors>', '[{"code":403,"description":"api_key"}]'],
  ])('%s', (_n, doc, xml, json) => {
    expect(toXml(doc)).toBe(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
    expect(toJson(doc)).toBe(json);
  });
});
