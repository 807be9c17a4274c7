/**
 * The 12350 安全生产举报 form and its receipt. Works without JavaScript: the map pin and "use my location" are
 * added by /static/safety.js; without it the coordinates can be typed, or left out (the address is required).
 */
import type { FC } from 'hono/jsx';
import type { MessageKey } from '../../locales/index.js';
import { bboxOf, districtOutline } from '../../modules/geography/index.js';
import type { Incident } from '../../modules/incidents/index.js';
import { HAZARD_KINDS, MAX_CIRCUMSTANCES } from '../../modules/safety/index.js';
import { outlinePath } from '../components/district-map.js';
import { formatDateTime } from '../components/format.js';
import { CsrfField, Layout, type PageContext } from '../components/layout.js';

export const MAX_EVIDENCE_FILES = 5;

export type FormValues = Readonly<Record<string, string>>;
/** Problems by field name, already translated. */
export type FieldErrors = Readonly<Record<string, readonly string[]>>;

const FieldError: FC<{ id: string; errors?: readonly string[] }> = ({ id, errors }) =>
  errors && errors.length ? (
    <p class="field-error" id={`${id}-error`}>
      {errors.join('；')}
    </p>
  ) : null;

/** aria attributes of an input: its help and its error, and whether it is invalid. */
function described(id: string, errors: FieldErrors, name: string, help: boolean) {
  const bad = (errors[name]?.length ?? 0) > 0;
  const ids = [help ? `${id}-help` : '', bad ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { 'aria-describedby': ids || undefined, 'aria-invalid': bad ? 'true' : undefined };
}

const TextField: FC<{
  ctx: PageContext;
  name: string;
  label: MessageKey;
  help?: MessageKey;
  values: FormValues;
  errors: FieldErrors;
  required?: boolean;
  type?: string;
  maxlength?: number;
  autocomplete?: string;
  inputmode?: 'decimal' | 'numeric' | 'tel' | 'text';
}> = ({ ctx, name, label, help, values, errors, required, type = 'text', maxlength, autocomplete, inputmode }) => {
  const id = `sf-${name}`;
  return (
    <div class="field">
      <label for={id}>
        {ctx.t(label)}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        value={values[name] ?? ''}
        maxlength={maxlength}
        required={required}
        autocomplete={autocomplete ?? 'off'}
        inputmode={inputmode}
        {...described(id, errors, name, !!help)}
      />
      {help && (
        <p class="field-hint muted" id={`${id}-help`}>
          {ctx.t(help)}
        </p>
      )}
      <FieldError id={id} errors={errors[name]} />
    </div>
  );
};

/** The district outline with what safety.js needs to turn a click into WGS-84 coordinates. */
const PinMap: FC<{ ctx: PageContext }> = ({ ctx }) => {
  const feature = districtOutline();
  const width = 360;
  const { d, height } = outlinePath(feature, width);
  const [minLon, minLat, maxLon, maxLat] = bboxOf(feature.geometry.coordinates);
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = width / ((maxLon - minLon) * kx);
  const pad = 8;
  return (
    <div class="pin-map js-only" hidden data-pin-map data-min-lon={String(minLon)} data-max-lat={String(maxLat)} data-kx={String(kx)} data-scale={String(scale)}>
      <svg class="district-map" viewBox={`${-pad} ${-pad} ${width + 2 * pad} ${height + 2 * pad}`} role="img" aria-label={ctx.t('safety.mapTitle')}>
        <path class="outline" d={d} />
        <circle class="marker" r="7" cx="-100" cy="-100" data-pin />
      </svg>
    </div>
  );
};

export const SafetyFormPage: FC<{ ctx: PageContext; values: FormValues; errors: FieldErrors; problems?: readonly string[]; submission: string; unavailable?: boolean }> = ({
  ctx,
  values,
  errors,
  problems,
  submission,
  unavailable,
}) => {
  const { t } = ctx;
  const anonymous = values.mode === 'anonymous';
  const crumbs = [{ label: t('interaction.title'), href: '/columns/interaction' }, { label: t('safety.title') }];
  if (unavailable) {
    return (
      <Layout ctx={ctx} title={t('safety.title')} crumbs={crumbs} noindex>
        <h1>{t('safety.title')}</h1>
        <p class="alert alert-error" role="alert">
          {t('safety.unavailable')}
        </p>
      </Layout>
    );
  }
  return (
    <Layout ctx={ctx} title={t('safety.title')} crumbs={crumbs}>
      <h1>{t('safety.title')}</h1>
      <p class="lead">{t('safety.intro')}</p>
      <p class="alert alert-info">{t('safety.confidential')}</p>
      {problems && problems.length > 0 && (
        <div class="alert alert-error" role="alert" tabindex={-1} id="form-problems">
          <p>{problems[0]}</p>
          {problems.length > 1 && (
            <ul>
              {problems.slice(1).map((p) => (
                <li>{p}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <form method="post" action="/interaction/safety" enctype="multipart/form-data" class="form wide safety-form" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="submission" value={submission} />
        <p class="muted">{t('safety.required')}</p>
        <fieldset class="card">
          <legend>{t('safety.section.matter')}</legend>
          <div class="field">
            <label for="sf-hazardKind">
              {t('safety.hazardKind')}
              <span aria-hidden="true"> *</span>
            </label>
            <select id="sf-hazardKind" name="hazardKind" required {...described('sf-hazardKind', errors, 'hazardKind', false)}>
              <option value="">—</option>
              {HAZARD_KINDS.map((k) => (
                <option value={k} selected={values.hazardKind === k}>
                  {t(`safety.hazard.${k}`)}
                </option>
              ))}
            </select>
            <FieldError id="sf-hazardKind" errors={errors.hazardKind} />
          </div>
          <TextField ctx={ctx} name="occurredAt" label="safety.occurredAt" help="safety.occurredAtHelp" type="datetime-local" values={values} errors={errors} />
          <TextField ctx={ctx} name="address" label="safety.address" help="safety.addressHelp" values={values} errors={errors} required maxlength={200} autocomplete="street-address" />
          <fieldset class="field location" data-locate>
            <legend>{t('safety.location')}</legend>
            <p class="field-hint muted" id="sf-location-help">
              {t('safety.locationHelp')}
            </p>
            <PinMap ctx={ctx} />
            <div class="field-row">
              <TextField ctx={ctx} name="lon" label="safety.lon" values={values} errors={errors} inputmode="decimal" maxlength={20} />
              <TextField ctx={ctx} name="lat" label="safety.lat" values={values} errors={errors} inputmode="decimal" maxlength={20} />
            </div>
            <FieldError id="sf-location" errors={errors.location} />
            <p class="toolbar">
              <button type="button" class="button button-secondary js-only" hidden data-locate-button>
                {t('safety.useLocation')}
              </button>{' '}
              <button type="button" class="button button-secondary js-only" hidden data-clear-button>
                {t('safety.clearLocation')}
              </button>
            </p>
          </fieldset>
          <div class="field">
            <label for="sf-circumstances">
              {t('safety.circumstances')}
              <span aria-hidden="true"> *</span>
            </label>
            <textarea id="sf-circumstances" name="circumstances" rows={6} required maxlength={MAX_CIRCUMSTANCES} {...described('sf-circumstances', errors, 'circumstances', true)}>
              {values.circumstances ?? ''}
            </textarea>
            <p class="field-hint muted" id="sf-circumstances-help">
              {t('safety.circumstancesHelp')}
            </p>
            <FieldError id="sf-circumstances" errors={errors.circumstances} />
          </div>
        </fieldset>
        <fieldset class="card">
          <legend>{t('safety.section.business')}</legend>
          <TextField ctx={ctx} name="businessName" label="safety.businessName" values={values} errors={errors} required maxlength={100} />
          <TextField ctx={ctx} name="businessCreditCode" label="safety.businessCreditCode" help="safety.businessCreditCodeHelp" values={values} errors={errors} maxlength={18} />
          <TextField ctx={ctx} name="businessAddress" label="safety.businessAddress" values={values} errors={errors} maxlength={200} />
        </fieldset>
        <fieldset class="card">
          <legend>{t('safety.section.evidence')}</legend>
          <div class="field">
            <label for="sf-evidence">{t('safety.evidence')}</label>
            <input id="sf-evidence" name="evidence" type="file" accept="image/*,application/pdf" multiple {...described('sf-evidence', errors, 'evidence', true)} />
            <p class="field-hint muted" id="sf-evidence-help">
              {t('safety.evidenceHelp', { count: MAX_EVIDENCE_FILES })}
            </p>
            <FieldError id="sf-evidence" errors={errors.evidence} />
          </div>
        </fieldset>
        <fieldset class="card">
          <legend>{t('safety.section.reporter')}</legend>
          <fieldset class="field">
            <legend>{t('safety.mode')}</legend>
            <div class="field-check">
              <input type="radio" id="sf-mode-real" name="mode" value="real" checked={!anonymous} />
              <label for="sf-mode-real">{t('safety.realName')}</label>
            </div>
            <div class="field-check">
              <input type="radio" id="sf-mode-anonymous" name="mode" value="anonymous" checked={anonymous} />
              <label for="sf-mode-anonymous">{t('safety.anonymous')}</label>
            </div>
            <p class="field-hint muted">{t('safety.reward')}</p>
          </fieldset>
          <div data-real-name>
            <p class="field-hint muted">{t('safety.realNameHelp')}</p>
            <TextField ctx={ctx} name="reporterName" label="safety.reporterName" values={values} errors={errors} maxlength={50} autocomplete="name" />
            <TextField ctx={ctx} name="reporterPhone" label="safety.reporterPhone" type="tel" values={values} errors={errors} maxlength={20} autocomplete="tel" />
            <TextField ctx={ctx} name="reporterIdNumber" label="safety.reporterIdNumber" values={values} errors={errors} maxlength={18} />
            <TextField ctx={ctx} name="reporterContact" label="safety.reporterContact" help="safety.reporterContactHelp" values={values} errors={errors} maxlength={200} />
          </div>
        </fieldset>
        {/* A field people never see and bots fill in. */}
        <div hidden>
          <label for="sf-website">{t('safety.honeypot')}</label>
          <input id="sf-website" name="website" type="text" value="" autocomplete="off" tabindex={-1} />
        </div>
        <button class="button" type="submit">
          {t('safety.submit')}
        </button>
      </form>
      <script src={ctx.view.asset('safety.js')} defer></script>
    </Layout>
  );
};

export const SafetyReceiptPage: FC<{ ctx: PageContext; incident: Incident; lookupCode: string | null; duplicate?: boolean; realName: boolean }> = ({ ctx, incident, lookupCode, duplicate, realName }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('safety.receipt.title')} crumbs={[{ label: t('interaction.title'), href: '/columns/interaction' }, { label: t('safety.title'), href: '/interaction/safety' }, { label: t('safety.receipt.title') }]} noindex>
      <h1>{t('safety.receipt.title')}</h1>
      <div class="card receipt" role="status">
        <p>{t('safety.receipt.accepted', { at: formatDateTime(incident.reportedAt, ctx.locale) })}</p>
        <dl class="facts">
          <dt>{t('safety.receipt.number')}</dt>
          <dd>
            <code class="receipt-number">{incident.number}</code>
          </dd>
          {lookupCode && (
            <>
              <dt>{t('safety.receipt.code')}</dt>
              <dd>
                <code class="receipt-code">{lookupCode}</code>
              </dd>
            </>
          )}
          {incident.handleDueAt && (
            <>
              <dt>{t('safety.receipt.due')}</dt>
              <dd>{formatDateTime(incident.handleDueAt, ctx.locale)}</dd>
            </>
          )}
        </dl>
        <p>{duplicate ? t('safety.receipt.duplicate') : t('safety.receipt.keep')}</p>
        <p>{realName ? t('safety.receipt.realName') : t('safety.receipt.anonymous')}</p>
      </div>
      <p>
        <a href="/interaction/safety">{t('safety.receipt.another')}</a>
      </p>
    </Layout>
  );
};
