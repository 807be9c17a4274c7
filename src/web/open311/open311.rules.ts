/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2/, ../shared/reference/anchors.md §2): reading the
 * query and form parameters, folding our states into the spec's open/closed and mySociety's extended statuses,
 * and building the response documents from the use cases' plain data. Pure: `now` is passed in.
 */
import type { Category, CategoryAttribute, PublicReportRow, PublicUpdateRow, State } from '../../modules/incidents/index.js';
import { TERMINAL_STATES, parseW3cDateTime } from '../../modules/incidents/index.js';
import type { MessageKey } from '../../locales/index.js';
import { WireList, type WireDocument, type WireValue } from './open311.format.js';

/** The longest window GET requests and GET servicerequestupdates cover, and the default one (spec §GET Service Requests). */
export const WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;
/** Rows per page: "the first 1000 requests" by default, and never more. */
export const MAX_PAGE_SIZE = 1000;
/** Open311: "description … 4,000 characters". */
export const MAX_DESCRIPTION = 4000;

/** One problem to report, in the spec's error format; `key` is the message in the request's language. */
export interface Problem {
  readonly code: number;
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** A refusal: the HTTP status and every problem found (the spec allows several errors in one response). */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 429,
    readonly problems: readonly Problem[],
  ) {
    super(problems.map((p) => p.key).join(', '));
  }
}

const bad = (key: MessageKey, params?: Problem['params']) => new Open311Error(400, [{ code: 400, key, params }]);

/** A form or query as a plain map; repeated names (attribute[x][]) keep every value. */
export type Params = ReadonlyMap<string, readonly string[]>;

/** The spec: "an empty parameter must behave exactly like an absent one". */
export function one(params: Params, name: string): string | undefined {
  const v = params.get(name)?.[0]?.trim();
  return v ? v : undefined;
}

/** UTC with Z and no fraction: 2026-11-28T04:05:06Z. */
export const w3c = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function checkJurisdiction(params: Params, expected: string): void {
  const got = one(params, 'jurisdiction_id');
  if (got !== undefined && got.toLowerCase() !== expected) throw new Open311Error(404, [{ code: 404, key: 'open311.error.jurisdiction', params: { expected, got } }]);
}

export function parseDate(params: Params, name: string): Date | undefined {
  const raw = one(params, name);
  if (raw === undefined) return undefined;
  const d = parseW3cDateTime(raw);
  if (!d) throw bad('open311.error.date', { field: name });
  return d;
}

/** start_date/end_date: the last 90 days by default; a window longer than 90 days, or reversed, is an error. */
export function parseWindow(params: Params, now: Date): { from: Date; to: Date } {
  const start = parseDate(params, 'start_date');
  const end = parseDate(params, 'end_date');
  const to = end ?? (start ? new Date(Math.min(now.getTime(), start.getTime() + WINDOW_DAYS * DAY_MS)) : now);
  const from = start ?? new Date(to.getTime() - WINDOW_DAYS * DAY_MS);
  if (from > to) throw bad('open311.error.dateOrder');
  if (to.getTime() - from.getTime() > WINDOW_DAYS * DAY_MS) throw bad('open311.error.dateSpan', { days: WINDOW_DAYS });
  return { from, to };
}

/** Comma lists (service_request_id, service_code, status): trimmed, empty items dropped, duplicates removed. */
export function commaList(params: Params, name: string): string[] | undefined {
  const raw = one(params, name);
  if (raw === undefined) return undefined;
  const items = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
  return items.length ? items : undefined;
}

export function parseStatus(params: Params): ('open' | 'closed')[] | undefined {
  const items = commaList(params, 'status')?.map((s) => s.toLowerCase());
  if (!items) return undefined;
  const wrong = items.find((s) => s !== 'open' && s !== 'closed');
  if (wrong) throw bad('open311.error.status', { value: wrong });
  return items as ('open' | 'closed')[];
}

/** The paging extension: `page` from 1, `page_size` up to 1000 (default 1000). */
export function parsePaging(params: Params): { page: number; pageSize: number } {
  const p = one(params, 'page');
  const s = one(params, 'page_size');
  const page = p === undefined ? 1 : /^\d{1,6}$/.test(p) ? Number(p) : NaN;
  const pageSize = s === undefined ? MAX_PAGE_SIZE : /^\d{1,4}$/.test(s) ? Number(s) : NaN;
  if (!(page >= 1)) throw bad('open311.error.page');
  if (!(pageSize >= 1 && pageSize <= MAX_PAGE_SIZE)) throw bad('open311.error.pageSize', { max: MAX_PAGE_SIZE });
  return { page, pageSize };
}

/** `extensions=true` (or 1) asks for the extended attributes of each request. */
export const wantsExtensions = (params: Params): boolean => ['true', '1'].includes(one(params, 'extensions')?.toLowerCase() ?? '');

/** The spec's two states: everything not finished is open. */
export const foldStatus = (state: State): 'open' | 'closed' => (TERMINAL_STATES.includes(state) ? 'closed' : 'open');

/**
 * mySociety's extended statuses (upper case on the wire; FixMyStreet's Open311 extension), from our states. A
 * reopen is REOPEN whatever state it lands in; 不予受理 is NOT_COUNCILS_RESPONSIBILITY, 并单 DUPLICATE.
 */
export const EXTENDED_STATUS: Readonly<Record<State, string>> = {
  reported: 'OPEN',
  accepted: 'INVESTIGATING',
  filed: 'ACTION_SCHEDULED',
  dispatched: 'ACTION_SCHEDULED',
  signed: 'IN_PROGRESS',
  reported_back: 'IN_PROGRESS',
  verified: 'IN_PROGRESS',
  parked: 'ACTION_SCHEDULED',
  closed: 'FIXED',
  rejected: 'NOT_COUNCILS_RESPONSIBILITY',
  merged: 'DUPLICATE',
  voided: 'CANCELLED',
};

export const extendedStatus = (state: State, action?: string): string => (action === 'reopen' ? 'REOPEN' : EXTENDED_STATUS[state]);

/** A location in WGS-84: lat and long both, as decimal degrees in range; one without the other is an error. */
export function parseLatLong(params: Params): { lat: number; lon: number } | undefined {
  const lat = one(params, 'lat');
  const lon = one(params, 'long');
  if (lat === undefined && lon === undefined) return undefined;
  const num = (s: string | undefined) => (s !== undefined && /^[+-]?\d{1,3}(\.\d+)?$/.test(s) ? Number(s) : NaN);
  const la = num(lat);
  const lo = num(lon);
  if (!(la >= -90 && la <= 90) || !(lo >= -180 && lo <= 180)) throw bad('open311.error.latLong');
  return { lat: la, lon: lo };
}

/** `attribute[code]=v` and `attribute[code][]=v1&attribute[code][]=v2` as answers by code. */
export function parseAttributes(params: Params): Record<string, string | string[]> {
  const answers: Record<string, string | string[]> = {};
  for (const [name, values] of params) {
    const m = /^attribute\[([^\]]*)\](\[\])?$/.exec(name);
    if (!m) continue;
    answers[m[1]!] = m[2] ? [...values] : (values[values.length - 1] ?? '');
  }
  return answers;
}

const ATTRIBUTE_KEYS: Readonly<Record<string, MessageKey>> = {
  'ATTRIBUTE.UNKNOWN': 'open311.error.attribute.unknown',
  'ATTRIBUTE.REQUIRED': 'open311.error.attribute.required',
  'ATTRIBUTE.NOT_A_NUMBER': 'open311.error.attribute.number',
  'ATTRIBUTE.NOT_A_DATETIME': 'open311.error.attribute.datetime',
  'ATTRIBUTE.NOT_A_VALUE': 'open311.error.attribute.value',
  'ATTRIBUTE.ONE_VALUE': 'open311.error.attribute.oneValue',
  'ATTRIBUTE.TOO_LONG': 'open311.error.attribute.tooLong',
  'ATTRIBUTE.NOT_VARIABLE': 'open311.error.attribute.notVariable',
};

/** The message for an attribute problem code from the incident service (`ATTRIBUTE.REQUIRED` …). */
export const attributeProblemKey = (code: string): MessageKey => ATTRIBUTE_KEYS[code] ?? 'open311.error.invalid';

/** Categories that are services: leaves of the catalogue that are in use and followed in public. */
export function serviceCategories(categories: readonly Category[]): Category[] {
  const parents = new Set(categories.map((c) => c.parentId).filter((id): id is number => id !== null));
  return categories.filter((c) => !parents.has(c.id) && !c.retiredAt && c.current.publicVisible);
}

const CLASS_KEYWORD: Readonly<Record<Category['class'], string>> = { component: '部件', event: '事件', service: '服务' };

export function servicesDocument(categories: readonly Category[]): WireDocument {
  const byId = new Map(categories.map((c) => [c.id, c]));
  return {
    root: 'services',
    body: new WireList(
      'service',
      serviceCategories(categories).map((c) => {
        const group = c.parentId ? (byId.get(c.parentId)?.current.name ?? null) : null;
        return {
          service_code: c.code,
          service_name: c.current.name,
          description: c.current.description ?? c.current.filingCondition ?? c.current.name,
          metadata: c.current.attributes.length > 0,
          type: 'realtime',
          keywords: [group, CLASS_KEYWORD[c.class]].filter(Boolean).join(','),
          group,
        };
      }),
    ),
  };
}

const attributeWire = (a: CategoryAttribute): WireValue => ({
  variable: a.variable,
  code: a.code,
  datatype: a.datatype,
  required: a.required,
  datatype_description: a.datatypeDescription,
  order: a.order,
  description: a.description,
  values: new WireList('value', a.values.map((v) => ({ key: v.key, name: v.name }))),
});

export function serviceDefinitionDocument(category: Category): WireDocument {
  return {
    root: 'service_definition',
    body: { service_code: category.code, attributes: new WireList('attribute', [...category.current.attributes].sort((a, b) => a.order - b.order).map(attributeWire)) },
  };
}

export function discoveryDocument(o: { changeset: Date; contact: string; keyService: string; url: string; test: boolean }): WireDocument {
  return {
    root: 'discovery',
    body: {
      changeset: w3c(o.changeset),
      contact: o.contact,
      key_service: o.keyService,
      endpoints: new WireList('endpoint', [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: o.url,
          changeset: w3c(o.changeset),
          type: o.test ? 'test' : 'production',
          formats: new WireList('format', ['text/xml', 'application/json']),
        },
      ]),
    },
  };
}

/** One request record (spec "GET Service Requests" response fields), with the extension's attributes if asked. */
export function requestWire(r: PublicReportRow, extensions: boolean): WireValue {
  const status = foldStatus(r.state);
  return {
    service_request_id: r.number,
    status,
    status_notes: r.statusNote,
    service_name: r.categoryName,
    service_code: r.categoryCode,
    description: r.description,
    agency_responsible: r.leadUnitName,
    service_notice: null,
    requested_datetime: w3c(r.reportedAt),
    updated_datetime: w3c(status === 'closed' && r.closedAt ? r.closedAt : r.updatedAt),
    expected_datetime: r.expectedAt ? w3c(r.expectedAt) : null,
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat,
    long: r.lon,
    media_url: r.mediaUrl,
    extended_attributes: extensions ? { detailed_status: EXTENDED_STATUS[r.state], title: r.title, channel: r.channel, town: r.townName, supporters: r.supporters } : undefined,
  };
}

export function requestsDocument(rows: readonly PublicReportRow[], extensions: boolean): WireDocument {
  return { root: 'service_requests', body: new WireList('request', rows.map((r) => requestWire(r, extensions))) };
}

/** mySociety's GET servicerequestupdates response. */
export function updatesDocument(rows: readonly PublicUpdateRow[]): WireDocument {
  return {
    root: 'service_request_updates',
    body: new WireList(
      'request_update',
      rows.map((u) => ({
        update_id: String(u.id),
        service_request_id: u.number,
        status: extendedStatus(u.state, u.action),
        updated_datetime: w3c(u.at),
        description: u.publicNote ?? '',
        media_url: null,
      })),
    ),
  };
}

/** The POST answer: the id of the new request (we are `realtime`), and a notice for the reporter. */
export function postedDocument(o: { number: string; notice: string | null; accountId: string | null }): WireDocument {
  return { root: 'service_requests', body: new WireList('request', [{ service_request_id: o.number, service_notice: o.notice, account_id: o.accountId }]) };
}

export function tokenDocument(number: string, token: string): WireDocument {
  return { root: 'service_requests', body: new WireList('request', [{ service_request_id: number, token }]) };
}
