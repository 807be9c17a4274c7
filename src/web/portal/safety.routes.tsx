/**
 * The 12350 安全生产举报 form at /interaction/safety: validates, stores the evidence (images re-encoded without
 * metadata by the attachments module, PDFs as they are), calls the safety channel's one use case and shows the
 * receipt. A double submission carries the same server-issued key and makes one report. Bad input re-renders
 * the form with the fields marked and the input kept (files must be chosen again: browsers never refill them).
 */
import { Hono, type Context } from 'hono';
import { DomainError, type FieldProblem } from '../../kernel/errors.js';
import { sniffType } from '../../modules/attachments/index.js';
import { validateSafetyReport, type SafetyReportInput } from '../../modules/safety/index.js';
import { pageContext, renderPage } from '../components/layout.js';
import { checkThrottle } from '../middleware/throttle.js';
import type { AppEnv, Runtime } from '../context.js';
import { issueSubmissionKey, lookupCodeFor, validSubmissionKey } from './report-signing.js';
import { initiatorOf } from '../initiator.js';
import { describe } from '../middleware/errors.js';
import { MAX_EVIDENCE_FILES, SafetyFormPage, SafetyReceiptPage, type FieldErrors, type FormValues } from './safety.page.js';

type Body = Record<string, string | File | (string | File)[]>;

const TEXT_FIELDS: Record<string, number> = {
  hazardKind: 40,
  occurredAt: 20,
  address: 400,
  lon: 20,
  lat: 20,
  circumstances: 8000,
  businessName: 200,
  businessCreditCode: 40,
  businessAddress: 400,
  mode: 20,
  reporterName: 100,
  reporterPhone: 40,
  reporterIdNumber: 40,
  reporterContact: 400,
  website: 200,
  submission: 100,
};

function valuesOf(body: Body): FormValues {
  const out: Record<string, string> = {};
  for (const [name, max] of Object.entries(TEXT_FIELDS)) {
    const v = body[name];
    const s = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
    // Kept one character past each limit, so a too-long text is reported rather than silently cut.
    out[name] = s.replace(/\r\n/g, '\n').trim().slice(0, max + 1);
  }
  return out;
}

function filesOf(body: Body): File[] {
  const raw = body.evidence;
  return (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((f): f is File => f instanceof File && f.size > 0);
}

/** The form's problems keyed by input name (the model's paths, mapped to the form's inputs). */
function fieldErrors(c: Context<AppEnv>, fields: readonly FieldProblem[]): FieldErrors {
  const t = c.get('t');
  const out: Record<string, string[]> = {};
  for (const f of fields) {
    (out[f.path] ??= []).push(describe(t, f.code, f.message, f.params));
  }
  return out;
}

/**
 * Per-address throttling (issue 5 §6), shared by every web process: at most SUBMIT_RULE.limit submissions from one
 * address an hour. A refused submission re-renders the form with everything typed kept, with 429 and Retry-After,
 * so nothing is lost.
 */
export const SUBMIT_RULE = { limit: 10, windowS: 3600 } as const;


function inputOf(v: FormValues): SafetyReportInput {
  const lon = Number(v.lon);
  const lat = Number(v.lat);
  return {
    occurredAt: v.occurredAt || null,
    address: v.address ?? '',
    location: v.lon && v.lat ? { lon, lat } : null,
    businessName: v.businessName ?? '',
    businessCreditCode: v.businessCreditCode || null,
    businessAddress: v.businessAddress || null,
    hazardKind: v.hazardKind ?? '',
    circumstances: v.circumstances ?? '',
    anonymous: v.mode === 'anonymous',
    reporter: v.mode === 'anonymous' ? null : { name: v.reporterName, phone: v.reporterPhone, idNumber: v.reporterIdNumber || null, contact: v.reporterContact || null },
  };
}

export function safetyRoutes(runtime: Runtime): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const secret = () => runtime.signingSecret!;

  const form = async (c: Context<AppEnv>, extra: { values?: FormValues; errors?: FieldErrors; problems?: string[] } = {}, status = 200) => {
    const available = await c.get('services').safety.available();
    const given = extra.values?.submission;
    const submission = given && validSubmissionKey(secret(), given) ? given : issueSubmissionKey(secret());
    const page = <SafetyFormPage ctx={pageContext(c)} values={extra.values ?? { mode: 'real' }} errors={extra.errors ?? {}} problems={extra.problems} submission={submission} unavailable={!available} />;
    return renderPage(c, page, available ? status : 503);
  };

  app.get('/interaction/safety', (c) => form(c));

  app.post('/interaction/safety', async (c) => {
    const services = c.get('services');
    const t = c.get('t');
    if (!(await services.safety.available())) return form(c, {}, 503);
    // The answer holds what was typed (a name, a phone, an ID number) or the lookup code: never kept by a cache.
    c.header('Cache-Control', 'no-store');
    // Counted before the body is read, so a flood of large uploads costs little.
    const verdict = await checkThrottle(c, 'safety.submit', SUBMIT_RULE);
    let body: Body;
    try {
      body = (await c.req.parseBody({ all: true })) as Body;
    } catch {
      throw new DomainError('BadRequest', 'REQUEST.MALFORMED_FORM', 'The form body could not be parsed');
    }
    const values = valuesOf(body);
    const refuse = (problems: readonly FieldProblem[]) =>
      form(c, { values, errors: fieldErrors(c, problems), problems: [t('REQUEST.INVALID'), ...problems.map((p) => `${fieldLabel(c, p.path)}：${describe(t, p.code, p.message, p.params)}`)] }, 422);
    if (values.website) return form(c, { values: { ...values, website: '' }, problems: [t('SAFETY.HONEYPOT')] }, 422);
    if (!verdict.allowed) {
      c.header('Retry-After', String(verdict.retryAfterS));
      return form(c, { values, problems: [t('SAFETY.THROTTLED', { minutes: Math.ceil(verdict.retryAfterS / 60) })] }, 429);
    }

    const input = inputOf(values);
    // Everything that can be checked before a file is stored is checked first.
    const problems = [...validateSafetyReport(input, c.get('view').now())];
    if ((values.lon || values.lat) && !input.location) problems.push({ path: 'location', code: 'field.invalid', message: 'both longitude and latitude are needed' });
    const files = filesOf(body);
    if (files.length > MAX_EVIDENCE_FILES) problems.push({ path: 'evidence', code: 'SAFETY.TOO_MANY_FILES', message: 'too many files', params: { max: MAX_EVIDENCE_FILES } });
    const buffers = await Promise.all(files.slice(0, MAX_EVIDENCE_FILES).map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    for (const f of buffers) {
      const type = sniffType(f.bytes, f.name);
      if (!type || (type.kind !== 'image' && type.mime !== 'application/pdf')) {
        problems.push({ path: 'evidence', code: 'SAFETY.EVIDENCE_TYPE', message: `${f.name}: not a photo or a PDF` });
        break;
      }
    }
    if (problems.length) return refuse(problems);

    try {
      const attachmentIds: number[] = [];
      // A file's own name may say who took it ("王秀英手机拍摄.jpg"): evidence is stored under a neutral name.
      for (const [i, f] of buffers.entries()) {
        const ext = sniffType(f.bytes, f.name)?.ext ?? 'bin';
        attachmentIds.push((await services.attachments.store(f.bytes, { name: `evidence-${i + 1}.${ext}`, allow: 'any' }, initiatorOf(c))).id);
      }
      // The key was issued with the form (signed), so a retry finds the first report and shows the same code again.
      const key = values.submission && validSubmissionKey(secret(), values.submission) ? `safety:${values.submission}` : null;
      const lookupCode = key ? lookupCodeFor(secret(), key) : null;
      const result = await services.safety.submit({ ...input, attachmentIds, idempotencyKey: key, lookupCode }, initiatorOf(c));
      return renderPage(c, <SafetyReceiptPage ctx={pageContext(c)} incident={result.incident} lookupCode={lookupCode ?? result.lookupCode} duplicate={result.duplicate} realName={!input.anonymous} />);
    } catch (e) {
      if (!(e instanceof DomainError) || !['Invalid', 'TooLarge', 'BadRequest'].includes(e.kind)) throw e;
      const fields = e.details.fields?.length ? e.details.fields : [{ path: e.code.startsWith('ATTACHMENT.') ? 'evidence' : 'form', code: e.code, message: e.message, params: e.details.params }];
      return refuse(fields.map((f) => (f.code.startsWith('ATTACHMENT.') ? { ...f, path: 'evidence' } : f)));
    }
  });

  return app;
}

const LABELS: Record<string, string> = {
  hazardKind: 'safety.hazardKind',
  occurredAt: 'safety.occurredAt',
  address: 'safety.address',
  location: 'safety.location',
  circumstances: 'safety.circumstances',
  businessName: 'safety.businessName',
  businessCreditCode: 'safety.businessCreditCode',
  businessAddress: 'safety.businessAddress',
  evidence: 'safety.evidence',
  reporterName: 'safety.reporterName',
  reporterPhone: 'safety.reporterPhone',
  reporterIdNumber: 'safety.reporterIdNumber',
  reporterContact: 'safety.reporterContact',
};

function fieldLabel(c: Context<AppEnv>, path: string): string {
  const key = LABELS[path];
  return key ? c.get('t')(key as never) : path;
}
