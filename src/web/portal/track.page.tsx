/**
 * Tracking pages: the lookup form (/track), the public page of one report (/reports/{number}) with, for the
 * reporter holding the lookup code, the private details and the rating and reopening forms; and 信件选登.
 * The public part shows state labels and public notes only: never names, phone numbers or staff notes.
 */
import type { FC } from 'hono/jsx';
import { citizenActions, expectedBy, reopenUntil, RATINGS, type CitizenSettings, type PublicIncidentView, type Publication } from '../../modules/incidents/index.js';
import type { MessageKey } from '../../locales/index.js';
import { CsrfField, Layout, type PageContext } from '../components/layout.js';
import { Pager, formatDateTime, FieldError } from './common.js';

export interface TrackForm {
  readonly number: string;
  readonly code: string;
  readonly errors: Readonly<Record<string, string>>;
}

const LookupForm: FC<{ ctx: PageContext; form: TrackForm; numberHidden?: boolean }> = ({ ctx, form, numberHidden }) => {
  const { t } = ctx;
  return (
    <form method="post" action="/track" class="form track-form">
      <CsrfField token={ctx.csrfToken} />
      {numberHidden ? (
        <input type="hidden" name="number" value={form.number} />
      ) : (
        <div class="field">
          <label for="t-number">{t('track.number')}</label>
          <input
            id="t-number"
            name="number"
            type="text"
            required
            maxlength={20}
            autocomplete="off"
            value={form.number}
            aria-invalid={form.errors.number ? 'true' : undefined}
            aria-describedby={form.errors.number ? 't-number-help e-number' : 't-number-help'}
          />
          <p id="t-number-help" class="muted field-hint">
            {t('track.numberHelp')}
          </p>
          <FieldError id="e-number" text={form.errors.number} />
        </div>
      )}
      <div class="field">
        <label for="t-code">{t('track.code')}</label>
        <input
          id="t-code"
          name="code"
          type="text"
          required
          maxlength={8}
          autocomplete="off"
          autocapitalize="characters"
          value={form.code}
          aria-invalid={form.errors.code ? 'true' : undefined}
          aria-describedby={form.errors.code ? 't-code-help e-code' : 't-code-help'}
        />
        <p id="t-code-help" class="muted field-hint">
          {t('track.codeHelp')}
        </p>
        <FieldError id="e-code" text={form.errors.code} />
      </div>
      <button class="button" type="submit">
        {t('track.submit')}
      </button>
    </form>
  );
};

export const TrackPage: FC<{ ctx: PageContext; form: TrackForm }> = ({ ctx, form }) => {
  const { t } = ctx;
  const problems = Object.values(form.errors);
  return (
    <Layout ctx={ctx} title={t('track.title')} crumbs={[{ label: t('interaction.title'), href: '/columns/interaction' }, { label: t('track.title') }]} noindex>
      <link rel="stylesheet" href={ctx.view.asset('public-report.css')} />
      <h1>{t('track.title')}</h1>
      <p>{t('track.intro')}</p>
      {problems.length > 0 && (
        <div class="alert alert-error" role="alert">
          {problems.map((p) => (
            <p>{p}</p>
          ))}
        </div>
      )}
      <LookupForm ctx={ctx} form={form} />
    </Layout>
  );
};

const stepLabel = (ctx: PageContext, action: string): string => {
  const key = `step.${action}`;
  const text = ctx.t(key as MessageKey);
  return text === key ? ctx.t('step.other') : text;
};

const Photos: FC<{ ctx: PageContext; number: string; ids: readonly number[]; heading: string }> = ({ ctx, number, ids, heading }) =>
  ids.length === 0 ? null : (
    <section class="report-photos" aria-label={heading}>
      <h2>{heading}</h2>
      <ul class="photo-grid">
        {ids.map((id, i) => (
          <li>
            <a href={`/reports/${number}/photos/${id}/clean`}>
              <img src={`/reports/${number}/photos/${id}/thumb`} alt={ctx.t('reports.photoAlt', { n: i + 1 })} width={160} height={160} loading="lazy" />
            </a>
          </li>
        ))}
      </ul>
    </section>
  );

export const PublicReportPage: FC<{
  ctx: PageContext;
  view: PublicIncidentView;
  settings: CitizenSettings;
  now: Date;
  notice?: string;
  errors: Readonly<Record<string, string>>;
  values: Readonly<Record<string, string>>;
}> = ({ ctx, view, settings, now, notice, errors, values }) => {
  const { t } = ctx;
  const i = view.incident;
  const expected = expectedBy(i);
  const actions = view.withCode ? citizenActions(i, now, settings) : [];
  const until = reopenUntil(i, settings);
  const done = new URL(`http://x${ctx.url}`).searchParams.get('done');
  const problems = Object.values(errors);
  // Without the code the service has already removed personal data from the texts.
  const description = i.description;
  return (
    <Layout ctx={ctx} title={t('reportPage.title', { number: i.number })} crumbs={[{ label: t('track.title'), href: '/track' }, { label: i.number }]} noindex={!view.category?.publicVisible}>
      <link rel="stylesheet" href={ctx.view.asset('public-report.css')} />
      <h1>
        {i.title} <span class="muted report-number">{i.number}</span>
      </h1>
      {notice && (
        <p class="alert alert-info" role="status">
          {notice}
        </p>
      )}
      {done === 'rate' && (
        <p class="alert alert-info" role="status">
          {t('reports.rateThanks')}
        </p>
      )}
      {done === 'reopen' && (
        <p class="alert alert-info" role="status">
          {t('reports.reopened')}
        </p>
      )}
      {problems.length > 0 && (
        <div class="alert alert-error" role="alert">
          {problems.map((p) => (
            <p>{p}</p>
          ))}
        </div>
      )}
      <dl class="report-facts">
        {view.category && (
          <>
            <dt>{t('reportPage.category')}</dt>
            <dd>{view.category.name}</dd>
          </>
        )}
        <dt>{t('reports.state')}</dt>
        <dd>
          <strong class={`state state-${i.state}`}>{t(`state.${i.state}`)}</strong>
        </dd>
        <dt>{t('reportPage.reportedAt')}</dt>
        <dd>
          <time datetime={i.reportedAt.toISOString()}>{formatDateTime(i.reportedAt)}</time>
        </dd>
        {expected && (
          <>
            <dt>{t('reports.expected')}</dt>
            <dd>
              <time datetime={expected.toISOString()}>{formatDateTime(expected)}</time>
            </dd>
          </>
        )}
        {i.address && (
          <>
            <dt>{t('reports.address')}</dt>
            <dd>{i.address}</dd>
          </>
        )}
      </dl>
      {i.supporters > 0 && <p>{t('reports.supporters', { count: i.supporters })}</p>}
      <section aria-labelledby="desc-heading">
        <h2 id="desc-heading">{t('reports.description')}</h2>
        <p class="report-description">{description}</p>
      </section>

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t('reports.timeline')}</h2>
        <ol class="timeline public-timeline">
          {view.timeline.map((s) => (
            <li>
              <time datetime={s.at.toISOString()}>{formatDateTime(s.at)}</time> <strong>{stepLabel(ctx, s.action)}</strong>
              {s.note && <span> — {s.note}</span>}
            </li>
          ))}
        </ol>
      </section>

      {(i.result || i.reply) && i.state === 'closed' && (
        <section aria-labelledby="result-heading">
          <h2 id="result-heading">{i.reply ? t('reports.reply') : t('reports.result')}</h2>
          <p class="prewrap">{i.reply ?? i.result}</p>
        </section>
      )}
      <Photos ctx={ctx} number={i.number} ids={view.publicPhotos} heading={t('reports.resultPhotos')} />

      {view.withCode ? (
        <section class="private-details card" aria-labelledby="private-heading">
          <h2 id="private-heading">{t('reports.private')}</h2>
          <p class="muted">{t('track.unlocked', { minutes: 30 })}</p>
          <dl class="report-facts">
            <dt>{t('reports.reporter')}</dt>
            <dd>{i.isAnonymous ? t('reports.anonymous') : t('report.named')}</dd>
            {i.rating && (
              <>
                <dt>{t('reports.rating')}</dt>
                <dd>{t('reports.rated', { rating: t(`rating.${i.rating}`) })}</dd>
              </>
            )}
          </dl>
          <Photos ctx={ctx} number={i.number} ids={view.privatePhotos} heading={t('reports.photos')} />
          {actions.includes('rate') && (
            <form method="post" action={`/reports/${i.number}/rate`} class="form rate-form">
              <CsrfField token={ctx.csrfToken} />
              <fieldset class="field" aria-invalid={errors.rating ? 'true' : undefined}>
                <legend>{t('reports.rateTitle')}</legend>
                {RATINGS.map((r) => (
                  <div class="field-check">
                    <input id={`r-${r}`} type="radio" name="rating" value={r} checked={values.rating === r} aria-describedby={errors.rating ? 'e-rating' : undefined} />
                    <label for={`r-${r}`}>{t(`rating.${r}`)}</label>
                  </div>
                ))}
                <FieldError id="e-rating" text={errors.rating} />
              </fieldset>
              <div class="field">
                <label for="r-comment">{t('reports.rateComment')}</label>
                <textarea id="r-comment" name="ratingComment" rows={3} maxlength={500} aria-invalid={errors.ratingComment ? 'true' : undefined}>
                  {values.ratingComment ?? ''}
                </textarea>
                <FieldError id="e-ratingComment" text={errors.ratingComment} />
              </div>
              <button class="button" type="submit">
                {t('reports.rateSubmit')}
              </button>
            </form>
          )}
          {actions.includes('reopen') && until && (
            <form method="post" action={`/reports/${i.number}/reopen`} class="form reopen-form">
              <CsrfField token={ctx.csrfToken} />
              <h3>{t('reports.reopenTitle')}</h3>
              <p class="muted">{t('reports.reopenHelp', { days: settings.reopenDays, until: formatDateTime(until) })}</p>
              <div class="field">
                <label for="r-reason">{t('reports.reopenReason')}</label>
                <textarea id="r-reason" name="reason" rows={3} maxlength={1000} aria-invalid={errors.reason ? 'true' : undefined} aria-describedby={errors.reason ? 'e-reason' : undefined}>
                  {values.reason ?? ''}
                </textarea>
                <FieldError id="e-reason" text={errors.reason} />
              </div>
              <button class="button button-secondary" type="submit">
                {t('reports.reopenSubmit')}
              </button>
            </form>
          )}
          <form method="post" action={`/reports/${i.number}/lock`} class="form-inline">
            <CsrfField token={ctx.csrfToken} />
            <button class="button button-secondary" type="submit">
              {t('track.signOut')}
            </button>
          </form>
        </section>
      ) : (
        <section class="card" aria-labelledby="lookup-heading">
          <h2 id="lookup-heading">{t('reports.lookupHint')}</h2>
          <p>{t('reports.needCode')}</p>
          <LookupForm ctx={ctx} form={{ number: i.number, code: '', errors: {} }} numberHidden />
        </section>
      )}
    </Layout>
  );
};

export const LettersPage: FC<{ ctx: PageContext; items: readonly Publication[]; total: number; page: number }> = ({ ctx, items, total, page }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('letters.title')} crumbs={[{ label: t('interaction.title'), href: '/columns/interaction' }, { label: t('letters.title') }]}>
      <link rel="stylesheet" href={ctx.view.asset('public-report.css')} />
      <h1>{t('letters.title')}</h1>
      <p>{t('letters.intro')}</p>
      {items.length === 0 ? (
        <p class="muted">{t('letters.empty')}</p>
      ) : (
        <ol class="letters">
          {items.map((p) => (
            <li class="letter card" id={p.number}>
              <h2>
                {p.requestType && <span class="mark">{t(`request.${p.requestType}`)}</span>} {p.title}
              </h2>
              <p class="muted">
                {p.number} · {t('letters.publishedAt')} <time datetime={p.publishedAt.toISOString()}>{formatDateTime(p.publishedAt)}</time>
              </p>
              <h3>{t('letters.letter')}</h3>
              <p class="letter-text">{p.letter}</p>
              <h3>{t('letters.reply')}</h3>
              <p class="letter-text">{p.reply}</p>
            </li>
          ))}
        </ol>
      )}
      <Pager ctx={ctx} page={page} total={total} pageSize={10} href={(n) => `/interaction/letters?page=${n}`} />
    </Layout>
  );
};
