/**
 * The citizen's reporting form (我要反映 / 随手拍) and the interaction columns' letters (咨询, 建议, 投诉, 举报,
 * 领导信箱), which share it; the receipt; the "me too" confirmation. Everything works without JavaScript:
 * public-report.js adds the map, "use my location", the category search and the nearby suggestions.
 */
import type { FC } from 'hono/jsx';
import type { Category } from '../../modules/incidents/index.js';
import { FieldError } from './common.js';
import { CsrfField, Layout, type PageContext } from '../components/layout.js';

/** The forms: `problem` is /report; the others are the interaction columns under /interaction/{kind}. */
export const FORM_KINDS = ['problem', 'consult', 'suggest', 'complain', 'report', 'mailbox'] as const;
export type FormKind = (typeof FORM_KINDS)[number];
export type LetterKind = Exclude<FormKind, 'problem'>;

export const MAX_PHOTOS = 6;
export const MAX_PHOTO_MB = 10;
export const MAX_DESCRIPTION = 4000;

export const formAction = (kind: FormKind) => (kind === 'problem' ? '/report' : `/interaction/${kind}`);

export interface FormState {
  /** Field values as submitted (text only; files cannot be sent back to a browser). */
  readonly values: Readonly<Record<string, string>>;
  /** Problems by field name. */
  readonly errors: Readonly<Record<string, string>>;
  /** Photos already stored on an earlier try, kept as signed references. */
  /** Photos stored on an earlier try: `ref` goes back with the form, `thumb` is the thumbnail's signed address part. */
  readonly keptPhotos: readonly { ref: string; id: number; thumb: string }[];
}

const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;

export const ReportFormPage: FC<{ ctx: PageContext; kind: FormKind; categories: readonly Category[]; state: FormState; labels: Readonly<Record<string, string>> }> = ({ ctx, kind, categories, state, labels }) => {
  const { t } = ctx;
  const v = (k: string) => state.values[k] ?? '';
  const err = (k: string) => state.errors[k];
  const invalid = (k: string) => (err(k) ? 'true' : undefined);
  const problem = kind === 'problem';
  const title = problem ? t('report.title') : t(`letter.${kind}.title`);
  const intro = problem ? t('report.intro') : t(`letter.${kind}.intro`);
  const named = v('identity') === 'named';
  const parents = categories.filter((c) => c.parentId === null && !c.retiredAt);
  const children = (id: number) => categories.filter((c) => c.parentId === id && !c.retiredAt);
  const errorKeys = Object.keys(state.errors);
  return (
    <Layout ctx={ctx} title={title} crumbs={[{ label: t('interaction.title'), href: '/columns/interaction' }, { label: title }]} noindex>
      <link rel="stylesheet" href={ctx.view.asset('public-report.css')} />
      <link rel="stylesheet" href={ctx.view.asset('leaflet/leaflet.css')} />
      <h1>{title}</h1>
      <p>{intro}</p>
      {errorKeys.length > 0 && (
        <div class="alert alert-error" role="alert" id="form-problems" tabindex={-1}>
          <p>{t('report.problems')}</p>
          <ul>
            {errorKeys.map((k) => (
              <li>
                <a href={`#f-${k}`}>{t('report.fieldProblem', { field: labels[k] ?? k, problem: state.errors[k]! })}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <p class="muted">{t('report.required')}</p>
      <form method="post" action={formAction(kind)} enctype="multipart/form-data" class="form form-wide public-report" data-report-form data-kind={kind}>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="idempotencyKey" value={v('idempotencyKey')} />
        {state.keptPhotos.map((p) => (
          <input type="hidden" name="keptPhoto" value={p.ref} />
        ))}
        {/* A trap for robots: hidden from people and from assistive technology, never filled by a person. */}
        <div class="hp-field" aria-hidden="true">
          <label for="f-website">{t('report.honeypot')}</label>
          <input id="f-website" name="website" type="text" tabindex={-1} autocomplete="off" value="" />
        </div>

        {problem && (
          <div class="field">
            <label for="f-categoryId">{t('report.category')} *</label>
            <div class="category-search js-only" hidden data-category-search>
              <label for="f-category-q" class="visually-hidden">
                {t('report.categorySearch')}
              </label>
              <input id="f-category-q" type="search" placeholder={t('report.categorySearch')} aria-describedby="f-category-q-help" autocomplete="off" />
              <p id="f-category-q-help" class="muted field-hint">
                {t('report.categorySearchHelp')}
              </p>
            </div>
            <select id="f-categoryId" name="categoryId" required aria-invalid={invalid('categoryId')} aria-describedby={describedBy(err('categoryId') && 'e-categoryId')}>
              <option value="">{t('report.categoryChoose')}</option>
              {parents.map((p) => {
                const kids = children(p.id);
                return kids.length ? (
                  <optgroup label={p.current.name}>
                    {kids.map((c) => (
                      <option value={String(c.id)} selected={v('categoryId') === String(c.id)}>
                        {c.current.name}
                      </option>
                    ))}
                  </optgroup>
                ) : (
                  <option value={String(p.id)} selected={v('categoryId') === String(p.id)}>
                    {p.current.name}
                  </option>
                );
              })}
            </select>
            <FieldError id="e-categoryId" text={err('categoryId')} />
          </div>
        )}

        {!problem && (
          <div class="field">
            <label for="f-title">{t('letter.subject')} *</label>
            <input id="f-title" name="title" type="text" required maxlength={100} value={v('title')} aria-invalid={invalid('title')} aria-describedby={describedBy(err('title') && 'e-title')} />
            <FieldError id="e-title" text={err('title')} />
          </div>
        )}

        <div class="field">
          <label for="f-description">{problem ? t('report.description') : t('letter.body')} *</label>
          <textarea
            id="f-description"
            name="description"
            rows={6}
            required
            maxlength={MAX_DESCRIPTION}
            aria-invalid={invalid('description')}
            aria-describedby={describedBy('f-description-help', err('description') && 'e-description')}
          >
            {v('description')}
          </textarea>
          <p id="f-description-help" class="muted field-hint">
            {t('report.descriptionHelp')}
          </p>
          <FieldError id="e-description" text={err('description')} />
        </div>

        <div class="field">
          <label for="f-address">{problem ? `${t('report.address')} *` : t('letter.address')}</label>
          <input
            id="f-address"
            name="address"
            type="text"
            maxlength={200}
            required={problem}
            value={v('address')}
            aria-invalid={invalid('address')}
            aria-describedby={describedBy('f-address-help', err('address') && 'e-address')}
          />
          <p id="f-address-help" class="muted field-hint">
            {t('report.addressHelp')}
          </p>
          <FieldError id="e-address" text={err('address')} />
        </div>

        {problem && (
          <fieldset class="field location" id="f-location">
            <legend>{t('report.location')}</legend>
            <p class="muted field-hint" id="f-location-help">
              {t('report.locationHelp')}
            </p>
            <div id="report-map" class="report-map" hidden role="application" aria-label={t('report.mapLabel')} data-district="/geo/district.geojson" />
            <p class="js-only" hidden data-locate-row>
              <button type="button" class="button button-secondary" data-locate-button data-locating={t('report.locating')} data-located={t('report.located')} data-failed={t('report.locateFailed')}>
                {t('report.useLocation')}
              </button>{' '}
              <span role="status" aria-live="polite" data-locate-status />
            </p>
            <input type="hidden" name="crs" value={v('crs') || 'wgs84'} data-crs />
            <div class="field-row">
              <div class="field">
                <label for="f-lon">{t('report.lon')}</label>
                <input id="f-lon" name="lon" type="text" inputmode="decimal" maxlength={20} value={v('lon')} aria-invalid={invalid('location')} aria-describedby={describedBy('f-location-help', err('location') && 'e-location')} />
              </div>
              <div class="field">
                <label for="f-lat">{t('report.lat')}</label>
                <input id="f-lat" name="lat" type="text" inputmode="decimal" maxlength={20} value={v('lat')} aria-invalid={invalid('location')} aria-describedby={describedBy('f-location-help', err('location') && 'e-location')} />
              </div>
            </div>
            <FieldError id="e-location" text={err('location')} />
          </fieldset>
        )}

        {problem && (
          <section class="nearby" hidden aria-live="polite" data-nearby aria-labelledby="nearby-heading">
            <h2 id="nearby-heading">{t('report.nearbyTitle')}</h2>
            <p>{t('report.nearbyIntro')}</p>
            <ul class="nearby-list" data-nearby-list data-support-label={t('report.support')} data-distance={t('report.nearbyDistance', { distance: '{distance}' })} data-supporters={t('report.nearbySupporters', { count: '{count}' })} />
          </section>
        )}

        <div class="field">
          <label for="f-photos">{t('report.photos', { max: MAX_PHOTOS, size: `${MAX_PHOTO_MB} MB` })}</label>
          {state.keptPhotos.length > 0 && (
            <ul class="kept-photos">
              {state.keptPhotos.map((p, i) => (
                <li>
                  <img src={`/report/photos/${p.thumb}`} alt={t('reports.photoAlt', { n: i + 1 })} width={96} height={96} />
                </li>
              ))}
            </ul>
          )}
          <input
            id="f-photos"
            name="photos"
            type="file"
            accept="image/*"
            multiple
            aria-invalid={invalid('photos')}
            aria-describedby={describedBy('f-photos-help', err('photos') && 'e-photos')}
          />
          <p id="f-photos-help" class="muted field-hint">
            {t('report.photosHelp')}
          </p>
          <FieldError id="e-photos" text={err('photos')} />
        </div>

        <fieldset class="field" id="f-identity">
          <legend>{t('report.identity')}</legend>
          <div class="field-check">
            <input id="f-identity-anon" type="radio" name="identity" value="anonymous" checked={!named} />
            <label for="f-identity-anon">{t('report.anonymous')}</label>
          </div>
          <div class="field-check">
            <input id="f-identity-named" type="radio" name="identity" value="named" checked={named} />
            <label for="f-identity-named">{t('report.named')}</label>
          </div>
          <div class="field-row">
            <div class="field">
              <label for="f-name">{t('report.name')}</label>
              <input id="f-name" name="name" type="text" maxlength={50} autocomplete="name" value={v('name')} aria-invalid={invalid('name')} aria-describedby={describedBy(err('name') && 'e-name')} />
              <FieldError id="e-name" text={err('name')} />
            </div>
            <div class="field">
              <label for="f-phone">{t('report.phone')}</label>
              <input id="f-phone" name="phone" type="tel" maxlength={20} autocomplete="tel" value={v('phone')} aria-invalid={invalid('phone')} aria-describedby={describedBy(err('phone') && 'e-phone')} />
              <FieldError id="e-phone" text={err('phone')} />
            </div>
          </div>
        </fieldset>

        <div class="field">
          <div class="field-check">
            <input id="f-consent" name="consent" type="checkbox" value="yes" required checked={v('consent') === 'yes'} aria-invalid={invalid('consent')} aria-describedby={describedBy(err('consent') && 'e-consent')} />
            <label for="f-consent">{t('report.consent')} *</label>
          </div>
          <FieldError id="e-consent" text={err('consent')} />
        </div>

        <button class="button button-block" type="submit" data-submit>
          {t('report.submit')}
        </button>
      </form>
      {problem && (
        <form id="support-form" method="post" action="/report/support" hidden>
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="idempotencyKey" value={v('idempotencyKey')} />
        </form>
      )}
      <script src={ctx.view.asset('leaflet/leaflet.js')} defer />
      <script src={ctx.view.asset('public-report.js')} defer />
    </Layout>
  );
};

export const ReceiptPage: FC<{ ctx: PageContext; number: string; code: string | null; retry: boolean; kind: FormKind }> = ({ ctx, number, code, retry, kind }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('receipt.title')} crumbs={[{ label: t('receipt.title') }]} noindex>
      <link rel="stylesheet" href={ctx.view.asset('public-report.css')} />
      <h1>{t('receipt.title')}</h1>
      <p role="status" class="alert alert-info">
        {t('receipt.lead')}
      </p>
      {retry && <p class="alert alert-warn">{t('receipt.retry')}</p>}
      <dl class="receipt">
        <dt>{t('receipt.number')}</dt>
        <dd class="receipt-number" data-number>
          {number}
        </dd>
        {code && (
          <>
            <dt>{t('receipt.code')}</dt>
            <dd class="receipt-code" data-code>
              {code}
            </dd>
          </>
        )}
      </dl>
      {code && <p class="alert alert-warn">{t('receipt.keep')}</p>}
      <p>
        <a class="button" href={`/reports/${number}`}>
          {t('receipt.track')}
        </a>{' '}
        <a class="button button-secondary" href={formAction(kind)}>
          {kind === 'problem' ? t('receipt.another') : t(`letter.${kind}.title`)}
        </a>
      </p>
    </Layout>
  );
};

export const SupportedPage: FC<{ ctx: PageContext; number: string; supporters: number; counted: boolean }> = ({ ctx, number, supporters, counted }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('report.support')} crumbs={[{ label: t('report.title'), href: '/report' }, { label: t('report.support') }]} noindex>
      <link rel="stylesheet" href={ctx.view.asset('public-report.css')} />
      <h1>{t('report.support')}</h1>
      <p role="status" class="alert alert-info">
        {counted ? t('report.supported', { number, count: supporters }) : t('report.supportedAlready', { number })}
      </p>
      <p>
        <a class="button" href={`/reports/${number}`}>
          {t('receipt.track')}
        </a>
      </p>
    </Layout>
  );
};

export const ThrottledPage: FC<{ ctx: PageContext; seconds: number; lookup?: boolean }> = ({ ctx, seconds, lookup }) => (
  <Layout ctx={ctx} title={ctx.t('throttle.title')} crumbs={[{ label: ctx.t('throttle.title') }]} noindex>
      <link rel="stylesheet" href={ctx.view.asset('public-report.css')} />
    <h1>{ctx.t('throttle.title')}</h1>
    <p class="alert alert-warn" role="alert">
      {lookup ? ctx.t('throttle.lookup', { seconds }) : ctx.t('throttle.body', { seconds })}
    </p>
    <p>
      <a href="/">{ctx.t('nav.home')}</a>
    </p>
  </Layout>
);
