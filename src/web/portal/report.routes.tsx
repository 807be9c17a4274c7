/**
 * Citizen reporting on the portal (issue 5 §1, §2, §4, §6): /report (我要反映 / 随手拍) and the interaction
 * columns /interaction/{consult|suggest|complain|report|mailbox}, which share one form and one handler; the
 * receipt; "me too" support of a similar open report; /track and /reports/{number} with rating and reopening
 * by the reporter; the published letters at /interaction/letters. Every POST is throttled per client address.
 * The transport only reads and checks the form, calls one use case of the incident service, and presents.
 */
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { DomainError } from '../../kernel/errors.js';
import type { Initiator } from '../../kernel/initiator.js';
import { gcj02ToWgs84 } from '../../modules/geography/index.js';
import { PRIVATE_CHANNELS, RATINGS, redact, type Channel, type Rating, type RequestType } from '../../modules/incidents/index.js';
import type { ThrottleRule } from '../../modules/throttle/index.js';
import { pageContext, renderPage } from '../components/layout.js';
import type { AppEnv, Runtime } from '../context.js';
import { describe } from '../middleware/errors.js';
import { checkThrottle } from '../middleware/throttle.js';
import { readForm, text, type FormBody } from '../workbench/forms.js';
import { FORM_KINDS, MAX_DESCRIPTION, MAX_PHOTOS, MAX_PHOTO_MB, ReceiptPage, ReportFormPage, SupportedPage, ThrottledPage, type FormKind, type FormState, type LetterKind } from './report.page.js';
import {
  LOOKUP_COOKIE,
  LOOKUP_MINUTES,
  cookieUnlocks,
  issueSubmissionKey,
  lookupCodeFor,
  lookupCookie,
  photoIdOf,
  photoRef,
  thumbIdOf,
  thumbRef,
  validSubmissionKey,
} from './report-signing.js';
import { LettersPage, PublicReportPage, TrackPage, type TrackForm } from './track.page.js';

/** Per client address: submissions (reports, letters, supports) and lookup-code attempts. */
export const SUBMIT_RULE: ThrottleRule = { limit: 20, windowS: 600 };
export const LOOKUP_RULE: ThrottleRule = { limit: 10, windowS: 900 };
export const ACT_RULE: ThrottleRule = { limit: 20, windowS: 600 };

const LETTER: Record<LetterKind, { channel: Channel; requestType: RequestType | null }> = {
  consult: { channel: 'web', requestType: 'consult' },
  suggest: { channel: 'web', requestType: 'suggestion' },
  complain: { channel: 'web', requestType: 'complaint' },
  report: { channel: 'web', requestType: 'report' },
  mailbox: { channel: 'leader', requestType: null },
};

const NUMBER = /^KZ\d{14}$/;
const CODE = /^[0-9A-Za-z]{8}$/;
const citizen = (c: Context<AppEnv>): Initiator => ({ userId: null, label: 'citizen', ip: c.get('clientIp') });
const noStore = (c: Context<AppEnv>) => c.header('Cache-Control', 'no-store');

/** The text fields of the form, as the citizen typed them (kept on every re-render). */
/** The longest subject a letter may have (an incident's title holds 100 characters). */
const MAX_TITLE = 100;
const TEXT_FIELDS = ['idempotencyKey', 'categoryId', 'title', 'description', 'address', 'lon', 'lat', 'crs', 'identity', 'name', 'phone', 'consent'] as const;

function valuesOf(body: FormBody): Record<string, string> {
  const limits: Record<string, number> = { description: MAX_DESCRIPTION * 2, title: 200, address: 400 };
  return Object.fromEntries(TEXT_FIELDS.map((k) => [k, text(body, k, limits[k] ?? 100)]));
}

function filesOf(body: FormBody): File[] {
  const raw = body.photos;
  return (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((f): f is File => f instanceof File && f.size > 0);
}

function listOf(body: FormBody, name: string): string[] {
  const raw = body[name];
  return (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((x): x is string => typeof x === 'string');
}

const PHONE = /^(?:\+?86[\s-]?)?1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/;

export function publicReportRoutes(runtime: Runtime): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const secret = () => runtime.signingSecret!;
  const secure = runtime.config.publicUrl.startsWith('https:');

  const labels = (c: Context<AppEnv>, kind: FormKind): Record<string, string> => {
    const t = c.get('t');
    return {
      categoryId: t('report.category'),
      title: t('letter.subject'),
      description: kind === 'problem' ? t('report.description') : t('letter.body'),
      address: kind === 'problem' ? t('report.address') : t('letter.address'),
      location: t('report.location'),
      photos: t('report.photos', { max: MAX_PHOTOS, size: `${MAX_PHOTO_MB} MB` }),
      name: t('report.name'),
      phone: t('report.phone'),
      consent: t('report.consent'),
      idempotencyKey: t('report.submit'),
    };
  };

  const showForm = async (c: Context<AppEnv>, kind: FormKind, state: FormState, status = 200) => {
    // Every category may be reported; `publicVisible` only decides whether the report shows publicly.
    const categories = kind === 'problem' ? await c.get('services').catalog.list() : [];
    noStore(c);
    return renderPage(c, <ReportFormPage ctx={pageContext(c)} kind={kind} categories={categories} state={state} labels={labels(c, kind)} />, status);
  };

  const throttled = async (c: Context<AppEnv>, rule: ThrottleRule, bucket: string, lookup = false): Promise<Response | undefined> => {
    const verdict = await checkThrottle(c, bucket, rule);
    if (verdict.allowed) return undefined;
    c.header('Retry-After', String(verdict.retryAfterS));
    noStore(c);
    return renderPage(c, <ThrottledPage ctx={pageContext(c)} seconds={verdict.retryAfterS} lookup={lookup} />, 429);
  };

  const freshState = (): FormState => ({ values: { idempotencyKey: issueSubmissionKey(secret()), identity: 'anonymous', crs: 'wgs84' }, errors: {}, keptPhotos: [] });

  app.get('/report', (c) => showForm(c, 'problem', freshState()));
  for (const kind of FORM_KINDS.filter((k): k is LetterKind => k !== 'problem')) {
    app.get(`/interaction/${kind}`, (c) => showForm(c, kind, freshState()));
  }

  const submit = (kind: FormKind) => async (c: Context<AppEnv>) => {
    const limited = await throttled(c, SUBMIT_RULE, 'portal.submit');
    if (limited) return limited;
    const t = c.get('t');
    const body = await readForm(c);
    const values = valuesOf(body);
    const errors: Record<string, string> = {};
    // A robot filled the hidden field: answer as if all went well, store nothing.
    if (text(body, 'website', 200)) {
      noStore(c);
      return renderPage(c, <ReceiptPage ctx={pageContext(c)} number={`KZ${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '')}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`} code={null} retry={false} kind={kind} />);
    }
    // A form whose key was not issued here (forged, or from an old page): a fresh key, the input kept.
    let key = values.idempotencyKey ?? '';
    if (!validSubmissionKey(secret(), key)) {
      key = issueSubmissionKey(secret());
      values.idempotencyKey = key;
    }
    const kept = listOf(body, 'keptPhoto')
      .map((ref) => ({ ref, id: photoIdOf(secret(), key, ref) }))
      .filter((p): p is { ref: string; id: number } => p.id !== undefined);

    // Field checks the form itself needs; the service checks the rest (lengths, location, district).
    const problem = kind === 'problem';
    const categoryId = Number(values.categoryId);
    if (problem && !(Number.isInteger(categoryId) && categoryId > 0)) errors.categoryId = t('report.categoryRequired');
    if (!problem && !values.title) errors.title = t('field.required');
    else if (values.title && [...values.title].length > MAX_TITLE) errors.title = t('field.tooLong', { max: MAX_TITLE }); // the incident keeps 100
    if (!values.description) errors.description = t('field.required');
    else if ([...values.description].length > MAX_DESCRIPTION) errors.description = t('field.tooLong', { max: MAX_DESCRIPTION });
    if (problem && !values.address) errors.address = t('field.required');
    let location: { lon: number; lat: number } | null = null;
    if (problem && (values.lon || values.lat)) {
      const lon = Number(values.lon);
      const lat = Number(values.lat);
      if (!values.lon || !values.lat) errors.location = t('report.coordsHalf');
      else if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) errors.location = t('report.coordsInvalid');
      else {
        // Browser geolocation and the map give WGS-84; a point read off a Chinese map app (GCJ-02) is converted.
        const [x, y] = values.crs === 'gcj02' ? gcj02ToWgs84([lon, lat]) : [lon, lat];
        location = { lon: x, lat: y };
      }
    }
    const named = values.identity === 'named';
    if (named && !values.name) errors.name = t('report.nameRequired');
    if (named && !values.phone) errors.phone = t('report.phoneRequired');
    else if (named && !PHONE.test(values.phone!.replace(/\s/g, ''))) errors.phone = t('report.phoneInvalid');
    if (values.consent !== 'yes') errors.consent = t('report.consentRequired');
    const files = filesOf(body);
    if (files.length + kept.length > MAX_PHOTOS) errors.photos = t('report.tooManyPhotos', { max: MAX_PHOTOS });

    // Photos are stored (re-encoded without metadata) even when another field is wrong, and kept for the retry.
    const services = c.get('services');
    if (!errors.photos) {
      for (const f of files) {
        try {
          const stored = await services.attachments.store(new Uint8Array(await f.arrayBuffer()), { name: f.name, allow: 'image' }, citizen(c));
          kept.push({ ref: photoRef(secret(), key, stored.id), id: stored.id });
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          errors.photos = e.code === 'ATTACHMENT.TYPE_NOT_ALLOWED' || e.code === 'ATTACHMENT.UNREADABLE_IMAGE' ? t('report.notImage', { name: f.name.slice(0, 60) }) : describe(t, e.code, e.message, e.details.params);
          break;
        }
      }
    }
    const again = (status: number) => showForm(c, kind, { values, errors, keptPhotos: kept.map((p) => ({ ...p, thumb: thumbRef(secret(), p.id) })) }, status);
    if (Object.keys(errors).length) return again(422);

    const letter = problem ? null : LETTER[kind];
    try {
      const result = await services.incidents.report(
        {
          channel: letter?.channel ?? 'web',
          requestType: letter?.requestType ?? null,
          categoryId: problem ? categoryId : null,
          title: problem ? undefined : values.title,
          description: values.description!,
          address: values.address || null,
          location,
          reporter: named ? { name: values.name, phone: values.phone!.replace(/\s/g, '') } : { anonymous: true },
          idempotencyKey: key,
          lookupCode: lookupCodeFor(secret(), key),
          attachmentIds: kept.map((p) => p.id),
        },
        citizen(c),
      );
      noStore(c);
      // A retry shows the same receipt: the code is derived from the submission key, which only this form holds.
      return renderPage(c, <ReceiptPage ctx={pageContext(c)} number={result.incident.number} code={lookupCodeFor(secret(), key)} retry={result.duplicate} kind={kind} />);
    } catch (e) {
      if (!(e instanceof DomainError) || !['Invalid', 'NotFound'].includes(e.kind)) throw e;
      for (const f of e.details.fields ?? []) {
        const field = f.path === 'location' ? 'location' : f.path === 'reporter' ? 'name' : f.path;
        if (f.code === 'INCIDENT.OUTSIDE_DISTRICT') errors.location = t('report.outside');
        else errors[field in labels(c, kind) ? field : 'description'] = describe(t, f.code, f.message, f.params);
      }
      if (e.code.startsWith('CATALOG')) errors.categoryId = t('report.categoryRequired');
      else if (!Object.keys(errors).length) errors.description = describe(t, e.code, e.message, e.details.params);
      return again(422);
    }
  };
  app.post('/report', submit('problem'));
  for (const kind of FORM_KINDS.filter((k): k is LetterKind => k !== 'problem')) app.post(`/interaction/${kind}`, submit(kind));

  // Similar open reports near a point, for the form's script: same category, within the category's radius,
  // only categories the catalogue marks public, and nothing but what the public page shows.
  app.get('/report/nearby', async (c) => {
    const lon = Number(c.req.query('lon'));
    const lat = Number(c.req.query('lat'));
    const categoryId = Number(c.req.query('categoryId'));
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || !(categoryId > 0)) return c.json({ items: [] });
    const services = c.get('services');
    const category = await services.catalog.get(categoryId).catch(() => undefined);
    if (!category?.current.publicVisible) return c.json({ items: [] });
    const found = await services.incidents.nearby({ lon, lat, categoryId, limit: 5 });
    c.header('Cache-Control', 'no-store');
    return c.json({
      items: found
        .filter((i) => !(PRIVATE_CHANNELS as readonly Channel[]).includes(i.channel))
        .map((i) => ({ number: i.number, title: redact(i.title), distanceM: i.distanceM, supporters: i.supporters, state: c.get('t')(`state.${i.state}`) })),
    });
  });

  // The thumbnail of a photo kept from an earlier try of this form, by its signed reference (no key in the address).
  app.get('/report/photos/:ref{[0-9]{1,12}\\.[A-Za-z0-9_-]{16}}', async (c) => {
    const id = thumbIdOf(secret(), c.req.param('ref'));
    if (id === undefined) throw new DomainError('NotFound', 'ATTACHMENT.NOT_FOUND', 'No such photo');
    const file = await c.get('services').attachments.read(id, 'thumb');
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': file.mime, 'Cache-Control': 'private, no-store' });
  });

  app.post('/report/support', async (c) => {
    const limited = await throttled(c, SUBMIT_RULE, 'portal.submit');
    if (limited) return limited;
    const body = await readForm(c);
    const number = text(body, 'number', 20);
    const key = text(body, 'idempotencyKey', 100);
    if (!NUMBER.test(number) || !validSubmissionKey(secret(), key)) throw new DomainError('BadRequest', 'REQUEST.INVALID', 'A report number and the form key are required');
    const services = c.get('services');
    const view = await services.incidents.publicView(number, false);
    const { incident, counted } = await services.incidents.support(view.incident.id, key, citizen(c));
    noStore(c);
    return renderPage(c, <SupportedPage ctx={pageContext(c)} number={incident.number} supporters={incident.supporters} counted={counted} />);
  });

  // --- tracking -------------------------------------------------------------------------------------------

  const showTrack = (c: Context<AppEnv>, form: TrackForm, status = 200) => {
    noStore(c);
    return renderPage(c, <TrackPage ctx={pageContext(c)} form={form} />, status);
  };

  app.get('/track', (c) => showTrack(c, { number: (c.req.query('number') ?? '').slice(0, 20), code: '', errors: {} }));

  app.post('/track', async (c) => {
    const limited = await throttled(c, LOOKUP_RULE, 'portal.lookup', true);
    if (limited) return limited;
    const t = c.get('t');
    const body = await readForm(c);
    const number = text(body, 'number', 40).toUpperCase();
    const code = text(body, 'code', 40).replace(/\s/g, '');
    const errors: Record<string, string> = {};
    if (!NUMBER.test(number)) errors.number = t('track.numberInvalid');
    if (!CODE.test(code)) errors.code = t('track.codeInvalid');
    if (Object.keys(errors).length) return showTrack(c, { number, code, errors }, 422);
    const incident = await c.get('services').incidents.checkLookupCode(number, code);
    // One answer for an unknown number and a wrong code: the form does not tell which numbers exist.
    if (!incident) return showTrack(c, { number, code: '', errors: { code: t('track.wrong') } }, 400);
    const expires = new Date(c.get('view').now().getTime() + LOOKUP_MINUTES * 60_000);
    setCookie(c, LOOKUP_COOKIE, lookupCookie(secret(), number, expires), { path: '/reports/', httpOnly: true, sameSite: 'Strict', secure, maxAge: LOOKUP_MINUTES * 60 });
    return c.redirect(`/reports/${number}`, 303);
  });

  const unlocked = (c: Context<AppEnv>, number: string) => cookieUnlocks(secret(), getCookie(c, LOOKUP_COOKIE), number, c.get('view').now());

  const showReport = async (c: Context<AppEnv>, number: string, extra: { notice?: string; errors?: Record<string, string>; values?: Record<string, string> } = {}, status = 200) => {
    const services = c.get('services');
    const withCode = unlocked(c, number);
    const found = await services.incidents.publicView(number, withCode);
    // Only images are shown as photos (a document attached as public is not a photo).
    const images = new Set((await services.attachments.list([...found.publicPhotos, ...found.privatePhotos])).filter((a) => a.mime.startsWith('image/')).map((a) => a.id));
    const view = { ...found, publicPhotos: found.publicPhotos.filter((id) => images.has(id)), privatePhotos: found.privatePhotos.filter((id) => images.has(id)) };
    noStore(c);
    return renderPage(
      c,
      <PublicReportPage ctx={pageContext(c)} view={view} settings={services.incidents.citizenSettings} now={c.get('view').now()} notice={extra.notice} errors={extra.errors ?? {}} values={extra.values ?? {}} />,
      status,
    );
  };

  app.get('/reports/:number{KZ[0-9]{14}}', (c) => showReport(c, c.req.param('number')));

  app.post('/reports/:number{KZ[0-9]{14}}/lock', async (c) => {
    const limited = await throttled(c, ACT_RULE, 'portal.act');
    if (limited) return limited;
    setCookie(c, LOOKUP_COOKIE, '', { path: '/reports/', maxAge: 0 });
    return c.redirect(`/reports/${c.req.param('number')}`, 303);
  });

  const citizenAction = (action: 'rate' | 'reopen') => async (c: Context<AppEnv>) => {
    const limited = await throttled(c, ACT_RULE, 'portal.act');
    if (limited) return limited;
    const number = c.req.param('number')!;
    const t = c.get('t');
    if (!unlocked(c, number)) return c.redirect(`/track?number=${number}`, 303);
    const body = await readForm(c);
    const values = { rating: text(body, 'rating', 30), ratingComment: text(body, 'ratingComment', 1000), reason: text(body, 'reason', 2000) };
    const errors: Record<string, string> = {};
    const rating = RATINGS.find((r) => r === values.rating) as Rating | undefined;
    if (action === 'rate' && !rating) errors.rating = t('field.required');
    if (action === 'rate' && [...values.ratingComment].length > 500) errors.ratingComment = t('field.tooLong', { max: 500 });
    if (action === 'reopen' && !values.reason) errors.reason = t('field.required');
    if (action === 'reopen' && [...values.reason].length > 1000) errors.reason = t('field.tooLong', { max: 1000 });
    if (Object.keys(errors).length) return showReport(c, number, { errors, values }, 422);
    const services = c.get('services');
    const view = await services.incidents.publicView(number, true);
    try {
      await services.incidents.citizenAct(view.incident.id, { action, rating, ratingComment: values.ratingComment || undefined, reason: values.reason || undefined }, citizen(c));
    } catch (e) {
      if (!(e instanceof DomainError) || !['Conflict', 'Invalid'].includes(e.kind)) throw e;
      return showReport(c, number, { errors: { [action === 'rate' ? 'rating' : 'reason']: describe(t, e.code, e.message, e.details.params) }, values }, 409);
    }
    return c.redirect(`/reports/${number}?done=${action}`, 303);
  };
  app.post('/reports/:number{KZ[0-9]{14}}/rate', citizenAction('rate'));
  app.post('/reports/:number{KZ[0-9]{14}}/reopen', citizenAction('reopen'));

  // Photos of a report: public ones (marked public by staff, e.g. of the result) for anyone who may see the
  // report; the reporter's own only with the lookup cookie. Always the metadata-free copy or its thumbnail.
  app.get('/reports/:number{KZ[0-9]{14}}/photos/:id{[0-9]{1,12}}/:variant{clean|thumb}', async (c) => {
    const number = c.req.param('number');
    const id = Number(c.req.param('id'));
    const services = c.get('services');
    const view = await services.incidents.publicView(number, unlocked(c, number));
    const isPublic = view.publicPhotos.includes(id);
    if (!isPublic && !view.privatePhotos.includes(id)) throw new DomainError('NotFound', 'ATTACHMENT.NOT_FOUND', 'No such photo');
    const file = await services.attachments.read(id, c.req.param('variant') as 'clean' | 'thumb');
    if (!file.mime.startsWith('image/')) throw new DomainError('NotFound', 'ATTACHMENT.NOT_FOUND', 'No such photo');
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': file.mime,
      'Cache-Control': isPublic ? 'public, max-age=3600' : 'private, no-store',
      'Content-Disposition': 'inline',
    });
  });

  // --- 信件选登 ---------------------------------------------------------------------------------------------

  app.get('/interaction/letters', async (c) => {
    const page = Math.max(1, Math.min(1000, Number(c.req.query('page')) || 1));
    const { items, total } = await c.get('services').incidents.publications({ limit: 10, offset: (page - 1) * 10 });
    return renderPage(c, <LettersPage ctx={pageContext(c)} items={items} total={total} page={page} />);
  });

  return app;
}
