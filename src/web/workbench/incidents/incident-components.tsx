/** Pieces of the incident pages: badges, clocks, action forms. */
import type { FC } from 'hono/jsx';
import type { Category, Incident } from '../../../modules/incidents/index.js';
import { transitionOf, type ActionName } from '../../../modules/incidents/index.js';
import type { MessageKey } from '../../../locales/index.js';
import { CsrfField, type PageContext } from '../../components/layout.js';
import { formatDateTime, formatDuration } from '../../components/format.js';

export const StateBadge: FC<{ ctx: PageContext; incident: Incident }> = ({ ctx, incident }) => (
  <span class={`pill state-${incident.state}`}>{ctx.t(`state.${incident.state}` as MessageKey)}</span>
);

export const UrgencyBadge: FC<{ ctx: PageContext; incident: Incident }> = ({ ctx, incident }) =>
  incident.urgency === 'normal' ? null : <span class={`pill urgency-${incident.urgency}`}>{ctx.t(`urgency.${incident.urgency}` as MessageKey)}</span>;

/** The stage clock: time left, or how long overdue, coloured by the SLA state (never by colour alone: the text says it). */
export const Clock: FC<{ ctx: PageContext; incident: Incident; now: Date }> = ({ ctx, incident, now }) => {
  if (!incident.dueAt) return <span class="muted">{ctx.t('inc.noClock')}</span>;
  const left = incident.dueAt.getTime() - now.getTime();
  const text = left >= 0 ? ctx.t('inc.remaining', { time: formatDuration(left, ctx.locale) }) : ctx.t('inc.overdueBy', { time: formatDuration(left, ctx.locale) });
  return (
    <span class={`clock sla-${left < 0 ? 'red' : incident.sla}`} title={formatDateTime(incident.dueAt, ctx.locale)}>
      {text}
    </span>
  );
};

const Field: FC<{ id: string; label: string; children?: unknown }> = ({ id, label, children }) => (
  <div class="field">
    <label for={id}>{label}</label>
    {children as never}
  </div>
);

/** One action as a form with exactly the fields its transition requires. */
export const ActionForm: FC<{ ctx: PageContext; incident: Incident; action: ActionName; categories: readonly Category[]; suggestion?: string }> = ({ ctx, incident, action, categories, suggestion }) => {
  const { t } = ctx;
  const tr = transitionOf(action);
  const id = (name: string) => `${action}-${name}`;
  const needs = (r: string) => (tr.requires as readonly string[]).includes(r);
  const publicNote = ['report_back', 'close', 'answer', 'reject', 'note'].includes(action);
  const files = ['report_back', 'note', 'verify_pass', 'verify_fail', 'sign'].includes(action);
  const plain = tr.requires.length === 0 && !publicNote && !files && action !== 'dispatch';
  return (
    <details class={`action action-${action}`} open={plain ? undefined : undefined}>
      <summary>{t(`action.${action}` as MessageKey)}</summary>
      <form method="post" action={`/workbench/incidents/${incident.id}/act/${action}`} enctype={files ? 'multipart/form-data' : undefined} class="form">
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="expectedVersion" value={String(incident.version)} />
        {action === 'file' && (
          <Field id={id('category')} label={t('inc.category')}>
            <select id={id('category')} name="categoryId">
              <option value="">{incident.categoryId ? '—' : t('inc.categoryNone')}</option>
              {categories
                .filter((c) => c.parentId !== null)
                .map((c) => (
                  <option value={String(c.id)} selected={c.id === incident.categoryId}>
                    {c.current.name}
                  </option>
                ))}
            </select>
          </Field>
        )}
        {(action === 'dispatch' || action === 'reassign') && (
          <>
            {suggestion && <p class="muted">{t('inc.suggestedRoute', { unit: suggestion })}</p>}
            <Field id={id('lead')} label={t('field.leadUnit')}>
              <input id={id('lead')} name="leadUnit" type="text" required={action === 'reassign'} />
            </Field>
            <Field id={id('co')} label={t('field.coUnits')}>
              <input id={id('co')} name="coUnits" type="text" />
            </Field>
          </>
        )}
        {needs('result') && (
          <Field id={id('result')} label={t('field.result')}>
            <textarea id={id('result')} name="result" rows={3} required maxlength={2000} />
          </Field>
        )}
        {needs('reply') && (
          <Field id={id('reply')} label={t('field.reply')}>
            <textarea id={id('reply')} name="reply" rows={3} required maxlength={2000} />
          </Field>
        )}
        {needs('rating') && (
          <>
            <Field id={id('rating')} label={t('field.rating')}>
              <select id={id('rating')} name="rating" required>
                {(['satisfied', 'basically_satisfied', 'unsatisfied'] as const).map((r) => (
                  <option value={r}>{t(`rating.${r}`)}</option>
                ))}
              </select>
            </Field>
            <Field id={id('ratingComment')} label={t('field.ratingComment')}>
              <input id={id('ratingComment')} name="ratingComment" type="text" maxlength={500} />
            </Field>
          </>
        )}
        {needs('target') && (
          <Field id={id('target')} label={t('field.targetNumber')}>
            <input id={id('target')} name="targetNumber" type="text" required pattern="KZ[0-9]{14}" />
          </Field>
        )}
        {needs('reviewDate') && (
          <Field id={id('reviewDate')} label={t('field.reviewDate')}>
            <input id={id('reviewDate')} name="reviewDate" type="date" required />
          </Field>
        )}
        {(needs('extra') || action === 'approve_extension') && (
          <div class="field-row">
            <Field id={id('extraAmount')} label={t('field.extraAmount')}>
              <input id={id('extraAmount')} name="extraAmount" type="number" min="0.5" step="0.5" max="365" required={needs('extra')} />
            </Field>
            <Field id={id('extraUnit')} label={t('field.extraUnit')}>
              <select id={id('extraUnit')} name="extraUnit">
                {(['hours', 'days', 'natural_hours', 'natural_days'] as const).map((u) => (
                  <option value={u}>{t(`unit.${u}`)}</option>
                ))}
              </select>
            </Field>
          </div>
        )}
        {needs('supervision') && (
          <Field id={id('supervision')} label={t('field.supervision')}>
            <select id={id('supervision')} name="supervision" required>
              {(['blue', 'yellow', 'red'] as const).map((s) => (
                <option value={s}>{t(`supervision.${s}`)}</option>
              ))}
            </select>
          </Field>
        )}
        {(needs('reason') || needs('supervision') || action === 'approve_return' || action === 'approve_extension') && (
          <Field id={id('reason')} label={t('field.reason')}>
            <textarea id={id('reason')} name="reason" rows={2} required={needs('reason')} maxlength={2000} />
          </Field>
        )}
        {publicNote && (
          <Field id={id('publicNote')} label={t('field.publicNote')}>
            <input id={id('publicNote')} name="publicNote" type="text" maxlength={500} />
          </Field>
        )}
        {files && (
          <Field id={id('files')} label={t('field.attachments')}>
            <input id={id('files')} name="files" type="file" multiple accept="image/*,.pdf,.docx,.xlsx" />
          </Field>
        )}
        {files && action === 'report_back' && (
          <div class="field-check">
            <input id={id('publicFiles')} name="publicFiles" type="checkbox" value="yes" />
            <label for={id('publicFiles')}>{t('field.publicFiles')}</label>
          </div>
        )}
        <button class="button" type="submit">
          {t(`action.${action}` as MessageKey)}
        </button>
      </form>
    </details>
  );
};
