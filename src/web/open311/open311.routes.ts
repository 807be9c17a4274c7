/**
 * Open311 GeoReport v2 at /open311/v2/ (spec: https://wiki.open311.org/GeoReport_v2/; mySociety's
 * servicerequestupdates extension; paging by page/page_size). Thin: read the parameters (open311.rules),
 * call one use case, render one document as XML or JSON (open311.format). A machine API: no session, no CSRF
 * (app.ts exempts /open311/), the key travels as `api_key`. Every refusal is in the spec's error format.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { DomainError, type FieldProblem } from '../../kernel/errors.js';
import { translator, type MessageKey } from '../../locales/index.js';
import { can } from '../../modules/access/index.js';
import type { MachineActor } from '../../modules/tokens/index.js';
import type { AppEnv } from '../context.js';
import { checkThrottle } from '../middleware/throttle.js';
import { CONTENT_TYPE, errorsDocument, render, type Format, type WireDocument } from './open311.format.js';
import {
  MAX_DESCRIPTION,
  Open311Error,
  attributeProblemKey,
  checkJurisdiction,
  commaList,
  discoveryDocument,
  one,
  parseAttributes,
  parseLatLong,
  parsePaging,
  parseStatus,
  parseWindow,
  postedDocument,
  requestsDocument,
  serviceCategories,
  serviceDefinitionDocument,
  servicesDocument,
  tokenDocument,
  updatesDocument,
  wantsExtensions,
  type Params,
  type Problem,
} from './open311.rules.js';

export const OPEN311_BASE = '/open311/v2';

type C = Context<AppEnv>;

/** `services.json` → ['services', 'json']; a missing or unknown format is refused (XML is the spec's default). */
function splitFile(file: string): { name: string; format: Format } {
  const m = /^(.+)\.(xml|json)$/.exec(file);
  if (!m) throw new Open311Error(400, [{ code: 400, key: 'open311.error.format' }]);
  return { name: m[1]!, format: m[2] as Format };
}

const formatOf = (c: C): Format => (/\.json$/.test(c.req.path) ? 'json' : 'xml');

function send(c: C, doc: WireDocument, format: Format, status: 200 | 201 | 400 | 403 | 404 | 429 | 500 | 503 = 200) {
  c.header('Content-Type', CONTENT_TYPE[format]);
  c.header('Cache-Control', 'no-store');
  return c.body(render(doc, format), status);
}

function queryParams(c: C): Map<string, string[]> {
  const url = new URL(c.req.url);
  const map = new Map<string, string[]>();
  for (const [k, v] of url.searchParams) map.set(k, [...(map.get(k) ?? []), v]);
  return map;
}

async function formParams(c: C): Promise<Params> {
  const map = new Map<string, string[]>(queryParams(c));
  const type = c.req.header('content-type') ?? '';
  if (!/application\/x-www-form-urlencoded|multipart\/form-data/i.test(type)) {
    // The spec's POST bodies are form-encoded; a JSON or XML body would otherwise read as "no fields at all".
    if (type || (c.req.header('content-length') ?? '0') !== '0') throw new Open311Error(400, [{ code: 400, key: 'open311.error.contentType' }]);
    return map;
  }
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new Open311Error(400, [{ code: 400, key: 'open311.error.invalid', params: { message: 'malformed form body' } }]);
  }
  form.forEach((v, k) => {
    if (typeof v === 'string') map.set(k, [...(map.get(k) ?? []), v]);
  });
  return map;
}

/** Our domain errors in the spec's terms: 404 missing, 403 key, 429 throttled, 400 everything else. */
function problemsOf(e: DomainError): { status: 400 | 403 | 404 | 429; problems: Problem[] } {
  if (e.kind === 'Unauthenticated' || e.kind === 'Forbidden') return { status: 403, problems: [{ code: 403, key: 'open311.error.apiKeyInvalid' }] };
  if (e.kind === 'TooManyRequests') return { status: 429, problems: [{ code: 429, key: 'open311.error.throttled', params: { seconds: e.details.params?.retryAfterSeconds ?? 60 } }] };
  if (e.kind === 'TooLarge') return { status: 400, problems: [{ code: 413, key: 'open311.error.tooLarge', params: { limit: e.details.params?.limit ?? '' } }] };
  if (e.kind === 'NotFound') return { status: 404, problems: [{ code: 404, key: 'open311.error.notFound' }] };
  if (e.code === 'INCIDENT.OUTSIDE_DISTRICT') return { status: 400, problems: [{ code: 400, key: 'open311.error.outside' }] };
  const fields: readonly FieldProblem[] = e.details.fields ?? [];
  if (fields.length) {
    return {
      status: 400,
      problems: fields.map((f): Problem => {
        if (f.code.startsWith('ATTRIBUTE.')) return { code: 400, key: attributeProblemKey(f.code), params: { code: String(f.params?.code ?? '') } };
        if (f.path === 'description' && f.code === 'field.tooLong') return { code: 400, key: 'open311.error.descriptionTooLong', params: { max: MAX_DESCRIPTION } };
        if (f.path === 'media_url') return { code: 400, key: 'open311.error.mediaUrl' };
        if (f.path === 'phone') return { code: 400, key: 'open311.error.phone' };
        if (f.path === 'location') return { code: 400, key: 'open311.error.latLong' };
        if (f.code === 'field.tooLong') return { code: 400, key: 'open311.error.tooLongField', params: { field: f.path, max: f.params?.max ?? '' } };
        return { code: 400, key: 'open311.error.invalid', params: { message: `${f.path}: ${f.message}` } };
      }),
    };
  }
  return { status: 400, problems: [{ code: 400, key: 'open311.error.invalid', params: { message: e.message } }] };
}

/** Renders any error thrown below (or by the app's middleware on an /open311/ path) in the spec's format. */
export function respondOpen311Error(err: unknown, c: C): Response {
  const t = c.get('t') ?? translator('zh-CN');
  let status: 400 | 403 | 404 | 429 | 500 | 503;
  let problems: readonly Problem[];
  if (err instanceof Open311Error) ({ status, problems } = err);
  else if (err instanceof DomainError && err.kind === 'Unavailable') {
    status = 503;
    problems = [{ code: 503, key: 'open311.error.unavailable' }];
    c.header('Retry-After', '5');
  } else if (err instanceof DomainError) ({ status, problems } = problemsOf(err));
  else {
    c.get('log')?.error({ err }, 'unhandled error');
    status = 500;
    problems = [{ code: 500, key: 'open311.error.internal', params: { requestId: c.get('requestId') } }];
  }
  if (status === 429) c.header('Retry-After', String(problems[0]?.params?.seconds ?? 60));
  return send(c, errorsDocument(problems.map((p) => ({ code: p.code, description: t(p.key as MessageKey, p.params) }))), formatOf(c), status);
}

/** The machine behind `api_key`: 403 when it is missing, unknown, revoked, expired or not for Open311. */
async function machineFor(c: C, params: Params): Promise<MachineActor> {
  const key = one(params, 'api_key');
  if (!key) throw new Open311Error(403, [{ code: 403, key: 'open311.error.apiKeyMissing' }]);
  let machine: MachineActor;
  try {
    machine = await c.get('services').tokens.authenticate(key);
  } catch (e) {
    if (e instanceof DomainError && e.kind === 'Unauthenticated') throw new Open311Error(403, [{ code: 403, key: 'open311.error.apiKeyInvalid' }]);
    throw e;
  }
  if (!can(machine, 'open311.submit')) throw new Open311Error(403, [{ code: 403, key: 'open311.error.apiKeyForbidden' }]);
  return machine;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/** Refuses a submission over a throttle rule (by the client's address, or by `key`) with 429 and Retry-After. */
async function throttle(c: C, bucket: string, limit: number, key?: string): Promise<void> {
  const rule = { limit, windowS: 60 };
  const v = key === undefined ? await checkThrottle(c, bucket, rule) : await c.get('services').throttle.hit(bucket, key, rule);
  if (!v.allowed) throw new Open311Error(429, [{ code: 429, key: 'open311.error.throttled', params: { seconds: v.retryAfterS } }]);
}

export function open311Routes(o: { jurisdictionId: string; limits: { perKeyPerMinute: number; perAddressPerMinute: number } }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(respondOpen311Error);

  const catalogue = async (c: C) => c.get('services').catalog.list();

  app.get(`${OPEN311_BASE}/services/:file`, async (c) => {
    const { name, format } = splitFile(c.req.param('file'));
    checkJurisdiction(queryParams(c), o.jurisdictionId);
    const category = serviceCategories(await catalogue(c)).find((x) => x.code === name);
    if (!category) throw new Open311Error(404, [{ code: 404, key: 'open311.error.serviceUnknown', params: { code: name } }]);
    return send(c, serviceDefinitionDocument(category), format);
  });

  app.get(`${OPEN311_BASE}/tokens/:file`, async (c) => {
    const { name, format } = splitFile(c.req.param('file'));
    checkJurisdiction(queryParams(c), o.jurisdictionId);
    // We answer every POST at once (type realtime), so a token is the request's own number.
    const found = (await c.get('services').incidents.listPublic({ numbers: [name] }, { limit: 1, offset: 0 })).items[0];
    if (!found) throw new Open311Error(404, [{ code: 404, key: 'open311.error.tokenUnknown', params: { token: name } }]);
    return send(c, tokenDocument(found.number, name), format);
  });

  app.get(`${OPEN311_BASE}/requests/:file`, async (c) => {
    const { name, format } = splitFile(c.req.param('file'));
    const params = queryParams(c);
    checkJurisdiction(params, o.jurisdictionId);
    const found = await c.get('services').incidents.listPublic({ numbers: [name] }, { limit: 1, offset: 0 });
    if (!found.items.length) throw new Open311Error(404, [{ code: 404, key: 'open311.error.requestUnknown', params: { id: name } }]);
    return send(c, requestsDocument(found.items, wantsExtensions(params)), format);
  });

  app.get(`${OPEN311_BASE}/:file`, async (c) => {
    const { name, format } = splitFile(c.req.param('file'));
    const params = queryParams(c);
    checkJurisdiction(params, o.jurisdictionId);
    const services = c.get('services');
    const t = c.get('t');
    const now = c.get('view').now();
    switch (name) {
      case 'discovery': {
        const categories = await catalogue(c);
        const changeset = new Date(Math.max(0, ...categories.map((x) => x.current.createdAt.getTime())));
        const base = c.get('view').publicUrl;
        return send(c, discoveryDocument({ changeset, contact: t('open311.discovery.contact'), keyService: t('open311.discovery.keyService'), url: `${base}${OPEN311_BASE}/`, test: c.get('view').demo }), format);
      }
      case 'services':
        return send(c, servicesDocument(await catalogue(c)), format);
      case 'requests': {
        const ids = commaList(params, 'service_request_id');
        const { page, pageSize } = parsePaging(params);
        // service_request_id overrides every other parameter (spec); otherwise the window is at most 90 days.
        const filter = ids
          ? { numbers: ids }
          : (() => {
              const window = parseWindow(params, now);
              return { categoryCodes: commaList(params, 'service_code'), status: parseStatus(params), from: window.from, to: window.to };
            })();
        const result = await services.incidents.listPublic(filter, { limit: pageSize, offset: (page - 1) * pageSize });
        pagingHeaders(c, result.total, page, pageSize);
        return send(c, requestsDocument(result.items, wantsExtensions(params)), format);
      }
      case 'servicerequestupdates': {
        const { page, pageSize } = parsePaging(params);
        const window = parseWindow(params, now);
        const result = await services.incidents.publicUpdates(window.from, window.to, { limit: pageSize, offset: (page - 1) * pageSize });
        pagingHeaders(c, result.total, page, pageSize);
        return send(c, updatesDocument(result.items), format);
      }
      default:
        throw new Open311Error(404, [{ code: 404, key: 'open311.error.notFound' }]);
    }
  });

  app.post(`${OPEN311_BASE}/requests/:ignored{.+}`, (c) => respondOpen311Error(new Open311Error(404, [{ code: 404, key: 'open311.error.notFound' }]), c));

  app.post(`${OPEN311_BASE}/:file`, async (c) => {
    const { name, format } = splitFile(c.req.param('file'));
    if (name !== 'requests') throw new Open311Error(404, [{ code: 404, key: 'open311.error.notFound' }]);
    // Per address first (before the key is checked, so guessing keys is throttled too), then per key.
    await throttle(c, 'open311.address', o.limits.perAddressPerMinute);
    const params = await formParams(c);
    checkJurisdiction(params, o.jurisdictionId);
    const machine = await machineFor(c, params);
    await throttle(c, 'open311.key', o.limits.perKeyPerMinute, `token:${machine.token.id}`);
    const services = c.get('services');
    const t = c.get('t');

    const problems: Problem[] = [];
    const code = one(params, 'service_code');
    if (!code) throw new Open311Error(400, [{ code: 400, key: 'open311.error.serviceMissing' }]);
    const category = serviceCategories(await services.catalog.list()).find((x) => x.code === code);
    if (!category) throw new Open311Error(404, [{ code: 404, key: 'open311.error.serviceUnknown', params: { code } }]);
    let location: { lat: number; lon: number } | undefined;
    try {
      location = parseLatLong(params);
    } catch (e) {
      if (!(e instanceof Open311Error)) throw e;
      problems.push(...e.problems);
    }
    const addressString = one(params, 'address_string');
    const addressId = one(params, 'address_id');
    if (!location && !addressString && !addressId && !problems.length) problems.push({ code: 400, key: 'open311.error.locationMissing' });
    const description = params.get('description')?.[0]?.trim() ?? '';
    if ([...description].length > MAX_DESCRIPTION) problems.push({ code: 400, key: 'open311.error.descriptionTooLong', params: { max: MAX_DESCRIPTION } });
    const email = one(params, 'email');
    if (email && !EMAIL.test(email)) problems.push({ code: 400, key: 'open311.error.email' });
    for (const [field, max] of [['first_name', 50], ['last_name', 50], ['device_id', 100], ['account_id', 100], ['address_id', 100]] as const) {
      const v = one(params, field);
      if (v && [...v].length > max) problems.push({ code: 400, key: 'open311.error.tooLongField', params: { field, max } });
    }
    const idempotencyKey = c.req.header('idempotency-key')?.trim();
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,100}$/.test(idempotencyKey)) problems.push({ code: 400, key: 'open311.error.idempotencyKey' });
    if (problems.length) throw new Open311Error(400, problems);

    const name_ = [one(params, 'first_name'), one(params, 'last_name')].filter(Boolean).join(' ') || null;
    const clientData: Record<string, string> = {};
    for (const f of ['email', 'device_id', 'account_id'] as const) {
      const v = one(params, f);
      if (v) clientData[f] = v;
    }
    const result = await services.incidents.report(
      {
        channel: 'open311',
        categoryId: category.id,
        // The spec makes description optional; our flow needs one line to show, so the service name stands in.
        description: description || category.current.name,
        address: addressString ?? (addressId ? `address_id:${addressId}` : null),
        location: location ? { lon: location.lon, lat: location.lat } : null,
        reporter: { name: name_, phone: one(params, 'phone') ?? null, anonymous: !name_ && !one(params, 'phone') },
        attributes: parseAttributes(params),
        mediaUrl: one(params, 'media_url') ?? null,
        clientData,
        isDemo: machine.token.isDemo,
        // Not in the spec, but a client that retries after a timeout can send an Idempotency-Key header and get
        // the first request's id back instead of a second request (scoped to its API key).
        idempotencyKey: idempotencyKey ? `open311:${machine.token.id}:${idempotencyKey}` : null,
      },
      { userId: null, label: `token:${machine.token.name}`, ip: c.get('clientIp') },
    );
    // A retry answers with the first request's id; its lookup code was given once, with the first answer.
    const notice = result.lookupCode ? t('open311.notice.lookup', { number: result.incident.number, code: result.lookupCode }) : null;
    return send(c, postedDocument({ number: result.incident.number, notice, accountId: one(params, 'account_id') ?? null }), format);
  });

  app.all(`${OPEN311_BASE}/*`, (c) => respondOpen311Error(new Open311Error(404, [{ code: 404, key: 'open311.error.notFound' }]), c));
  return app;
}

/** Paging extension: the total, and RFC 8288 links to the next and previous pages, so nothing is cut off silently. */
function pagingHeaders(c: C, total: number, page: number, pageSize: number) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  c.header('X-Total-Count', String(total));
  c.header('X-Page', String(page));
  c.header('X-Page-Size', String(pageSize));
  const url = new URL(c.req.url);
  const link = (p: number, rel: string) => {
    url.searchParams.set('page', String(p));
    url.searchParams.set('page_size', String(pageSize));
    return `<${c.get('view').publicUrl}${url.pathname}${url.search}>; rel="${rel}"`;
  };
  const links = [];
  if (page < pages) links.push(link(page + 1, 'next'));
  if (page > 1) links.push(link(Math.min(page - 1, pages), 'prev'));
  if (links.length) c.header('Link', links.join(', '));
}
