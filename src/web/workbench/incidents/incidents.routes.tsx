/**
 * The case flow in the workbench: the dispatch console with queues, counts and countdowns (urgent and overdue
 * pinned), bulk actions, staff intake, the incident page with its timeline, map and photos and the allowed
 * actions as forms, the grid worker's patrol page for phones, the notification inbox, and attachment files.
 */
import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import { DomainError } from '../../../kernel/errors.js';
import type { MessageKey } from '../../../locales/index.js';
import { can } from '../../../modules/access/index.js';
import type { Actor } from '../../../modules/identity/index.js';
import {
  CHANNELS,
  QUEUES,
  REQUEST_TYPES,
  STATES,
  URGENCIES,
  type ActCommand,
  type ActionName,
  type Category,
  type Channel,
  type Incident,
  type IncidentView,
  type ListFilter,
  type Publication,
  type QueueName,
  type RequestType,
  type State,
  type Urgency,
} from '../../../modules/incidents/index.js';
import { ACTION_NAMES } from '../../../modules/incidents/index.js';
import { districtOutline } from '../../../modules/geography/index.js';
import type { Notification } from '../../../modules/notifications/index.js';
import { CsrfField, pageContext, renderPage, type PageContext } from '../../components/layout.js';
import { DistrictMap } from '../../components/district-map.js';
import { formatDateTime } from '../../components/format.js';
import type { AppEnv } from '../../context.js';
import { initiatorOf } from '../../initiator.js';
import { ProblemAlert, Notice, attempt, readForm, text, type FormBody } from '../forms.js';
import { WorkbenchLayout, requireActor, requireCan } from '../shell.js';
import { ActionForm, Clock, StateBadge, UrgencyBadge } from './incident-components.js';
import type { SafetyReport } from '../../../modules/safety/index.js';
import { SafetyPanel } from '../safety/safety.routes.js';
import { PublishReply } from './publication.routes.js';

const PAGE_SIZE = 30;

const label = (ctx: PageContext, key: string) => ctx.t(key as MessageKey);

function filterFrom(c: Context<AppEnv>): ListFilter & { queue: QueueName; page: number } {
  const q = (k: string) => (c.req.query(k) ?? '').trim();
  const queue = (QUEUES as readonly string[]).includes(q('queue')) ? (q('queue') as QueueName) : 'all';
  const state = q('state');
  return {
    queue,
    page: Math.max(0, Math.min(1000, Number(q('page')) || 0)),
    states: (STATES as readonly string[]).includes(state) ? [state as State] : undefined,
    sla: ['green', 'yellow', 'red'].includes(q('sla')) ? (q('sla') as 'red') : undefined,
    urgency: (URGENCIES as readonly string[]).includes(q('urgency')) ? (q('urgency') as Urgency) : undefined,
    categoryId: Number(q('category')) || undefined,
    channel: (CHANNELS as readonly string[]).includes(q('channel')) ? (q('channel') as Channel) : undefined,
    text: q('q').slice(0, 50) || undefined,
  };
}

const IncidentRow: FC<{ ctx: PageContext; incident: Incident; now: Date; names: ReadonlyMap<number, string>; selectable: boolean }> = ({ ctx, incident, now, names, selectable }) => (
  <tr class={incident.sla === 'red' ? 'row-red' : incident.urgency !== 'normal' ? 'row-urgent' : undefined}>
    {selectable && (
      <td>
        <input type="checkbox" name="ids" value={String(incident.id)} form="bulk-form" aria-label={ctx.t('inc.select', { number: incident.number })} />
      </td>
    )}
    <td data-label={ctx.t('inc.number')}>
      <a href={`/workbench/incidents/${incident.id}`}>
        <code>{incident.number}</code>
      </a>
      {incident.isDemo && <span class="badge badge-demo"> {ctx.t('inc.demo')}</span>}
    </td>
    <td class="cell-subject" data-label={ctx.t('inc.subject')}>
      <a href={`/workbench/incidents/${incident.id}`}>{incident.title}</a> <UrgencyBadge ctx={ctx} incident={incident} />
      {incident.pendingRequest && <span class="pill">{ctx.t(incident.pendingRequest === 'return' ? 'action.request_return' : 'action.request_extension')}</span>}
    </td>
    <td data-label={ctx.t('inc.state')}>
      <StateBadge ctx={ctx} incident={incident} />
    </td>
    <td data-label={ctx.t('inc.town')}>{incident.townUnitId ? (names.get(incident.townUnitId) ?? '') : ''}</td>
    <td data-label={ctx.t('inc.lead')}>{incident.leadUnitId ? (names.get(incident.leadUnitId) ?? '') : ''}</td>
    <td data-label={ctx.t('inc.due')}>
      <Clock ctx={ctx} incident={incident} now={now} />
    </td>
  </tr>
);

const IncidentTable: FC<{ ctx: PageContext; items: readonly Incident[]; now: Date; names: ReadonlyMap<number, string>; selectable: boolean; caption: string }> = ({ ctx, items, now, names, selectable, caption }) => (
  <div class="table-scroll">
    <table class="data incidents">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {selectable && (
            <th scope="col">
              <span class="visually-hidden">{ctx.t('inc.bulk')}</span>
            </th>
          )}
          <th scope="col">{ctx.t('inc.number')}</th>
          <th scope="col">{ctx.t('inc.subject')}</th>
          <th scope="col">{ctx.t('inc.state')}</th>
          <th scope="col">{ctx.t('inc.town')}</th>
          <th scope="col">{ctx.t('inc.lead')}</th>
          <th scope="col">{ctx.t('inc.due')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <IncidentRow ctx={ctx} incident={i} now={now} names={names} selectable={selectable} />
        ))}
      </tbody>
    </table>
  </div>
);

const BULK_ACTIONS: readonly ActionName[] = ['accept', 'file', 'dispatch', 'sign', 'verify_pass', 'close'];

interface ConsoleProps {
  ctx: PageContext;
  filter: ReturnType<typeof filterFrom>;
  counts: Partial<Record<QueueName, number>>;
  pinned: readonly Incident[];
  items: readonly Incident[];
  total: number;
  names: ReadonlyMap<number, string>;
  categories: readonly Category[];
  now: Date;
  notice?: string;
}

const ConsolePage: FC<ConsoleProps> = ({ ctx, filter, counts, pinned, items, total, names, categories, now, notice }) => {
  const { t } = ctx;
  const qs = (over: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    const base: Record<string, string | number | undefined> = {
      queue: filter.queue,
      state: filter.states?.[0],
      sla: filter.sla,
      urgency: filter.urgency,
      category: filter.categoryId,
      channel: filter.channel,
      q: filter.text,
      ...over,
    };
    for (const [k, v] of Object.entries(base)) if (v !== undefined && v !== '' && v !== 0) p.set(k, String(v));
    return `/workbench/incidents?${p}`;
  };
  const from = filter.page * PAGE_SIZE;
  return (
    <WorkbenchLayout ctx={ctx} title={t('inc.console')}>
      <h1>{t('inc.console')}</h1>
      <Notice text={notice} />
      <nav class="queue-tabs" aria-label={t('inc.title')}>
        <ul>
          {QUEUES.filter((q) => q === 'all' || counts[q] !== undefined).map((q) => (
            <li>
              <a href={qs({ queue: q, page: undefined })} aria-current={filter.queue === q ? 'page' : undefined}>
                {t(`queue.${q}`)}
                {q !== 'all' && <span class={`count${q === 'overdue' && counts[q] ? ' count-alert' : ''}`}>{counts[q] ?? 0}</span>}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {pinned.length > 0 && (
        <section class="pinned" aria-labelledby="pinned-heading">
          <h2 id="pinned-heading">{t('inc.pinned')}</h2>
          <IncidentTable ctx={ctx} items={pinned} now={now} names={names} selectable={false} caption={t('inc.pinned')} />
        </section>
      )}
      <form method="get" action="/workbench/incidents" class="toolbar" role="search">
        <input type="hidden" name="queue" value={filter.queue} />
        <div class="field">
          <label for="f-q">{t('inc.search')}</label>
          <input id="f-q" name="q" type="text" value={filter.text ?? ''} maxlength={50} />
        </div>
        <div class="field">
          <label for="f-state">{t('inc.state')}</label>
          <select id="f-state" name="state">
            <option value="">{t('inc.all')}</option>
            {STATES.map((s) => (
              <option value={s} selected={filter.states?.[0] === s}>
                {t(`state.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-urgency">{t('inc.urgency')}</label>
          <select id="f-urgency" name="urgency">
            <option value="">{t('inc.all')}</option>
            {URGENCIES.map((u) => (
              <option value={u} selected={filter.urgency === u}>
                {t(`urgency.${u}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-category">{t('inc.category')}</label>
          <select id="f-category" name="category">
            <option value="">{t('inc.all')}</option>
            {categories.map((c) => (
              <option value={String(c.id)} selected={filter.categoryId === c.id}>
                {c.parentId ? '　' : ''}
                {c.current.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-channel">{t('inc.channel')}</label>
          <select id="f-channel" name="channel">
            <option value="">{t('inc.all')}</option>
            {CHANNELS.map((ch) => (
              <option value={ch} selected={filter.channel === ch}>
                {t(`channel.${ch}`)}
              </option>
            ))}
          </select>
        </div>
        <button class="button button-secondary" type="submit">
          {t('wb.filter')}
        </button>
      </form>
      {items.length === 0 ? (
        <p class="muted">{t('inc.empty')}</p>
      ) : (
        <>
          <IncidentTable ctx={ctx} items={items} now={now} names={names} selectable={true} caption={t(`queue.${filter.queue}`)} />
          <p class="muted">{t('inc.page', { from: from + 1, to: from + items.length, total })}</p>
          <p class="pager">
            {filter.page > 0 && <a href={qs({ page: filter.page - 1 })}>{t('inc.prev')}</a>} {from + items.length < total && <a href={qs({ page: filter.page + 1 })}>{t('inc.next')}</a>}
          </p>
          <form id="bulk-form" method="post" action="/workbench/incidents/bulk" class="toolbar">
            <CsrfField token={ctx.csrfToken} />
            <input type="hidden" name="back" value={qs({})} />
            <div class="field">
              <label for="bulk-action">{t('inc.bulk')}</label>
              <select id="bulk-action" name="action">
                {BULK_ACTIONS.map((a) => (
                  <option value={a}>{t(`action.${a}`)}</option>
                ))}
              </select>
            </div>
            <button class="button button-secondary" type="submit">
              {t('inc.bulkApply')}
            </button>
          </form>
        </>
      )}
    </WorkbenchLayout>
  );
};

const IncidentPage: FC<{
  ctx: PageContext;
  view: IncidentView;
  categories: readonly Category[];
  now: Date;
  suggestion?: string;
  problems?: string[];
  notice?: string;
  safety?: SafetyReport;
  publication?: { current: Publication | undefined };
}> = ({ ctx, view, categories, now, suggestion, problems, notice, safety, publication }) => {
  const { t } = ctx;
  const i = view.incident;
  const unit = (id: number | null) => (id === null ? '' : (view.units.get(id)?.name ?? String(id)));
  const images = view.attachments;
  return (
    <WorkbenchLayout ctx={ctx} title={i.number} crumbs={[{ label: t('inc.console'), href: '/workbench/incidents' }, { label: i.number }]}>
      <h1>
        <code>{i.number}</code> {i.title} <StateBadge ctx={ctx} incident={i} /> <UrgencyBadge ctx={ctx} incident={i} />
        {i.isDemo && <span class="badge badge-demo"> {t('inc.demo')}</span>}
      </h1>
      <ProblemAlert lines={problems} />
      <Notice text={notice} />
      <div class="grid-2">
        <section aria-labelledby="facts-heading">
          <h2 id="facts-heading" class="visually-hidden">
            {t('inc.title')}
          </h2>
          <dl class="facts">
            <dt>{t('inc.due')}</dt>
            <dd>
              <Clock ctx={ctx} incident={i} now={now} /> {i.dueAt && <span class="muted">（{formatDateTime(i.dueAt, ctx.locale)}）</span>}
            </dd>
            <dt>{t('inc.category')}</dt>
            <dd>{view.category?.name ?? t('inc.categoryNone')}</dd>
            <dt>{t('inc.channel')}</dt>
            <dd>
              {label(ctx, `channel.${i.channel}`)}
              {i.requestType && ` · ${label(ctx, `request.${i.requestType}`)}`}
            </dd>
            <dt>{t('inc.area')}</dt>
            <dd>
              {unit(i.areaUnitId)}
              {i.address && ` · ${i.address}`}
            </dd>
            <dt>{t('inc.level')}</dt>
            <dd>
              {label(ctx, `level.${i.level}`)} · {unit(i.coordinatorUnitId)}
            </dd>
            {i.leadUnitId && (
              <>
                <dt>{t('inc.lead')}</dt>
                <dd>
                  {unit(i.leadUnitId)}
                  {i.coUnitIds.length > 0 && ` · ${t('inc.co')}：${i.coUnitIds.map(unit).join('、')}`}
                </dd>
              </>
            )}
            <dt>{t('inc.reportedAt')}</dt>
            <dd>{formatDateTime(i.reportedAt, ctx.locale)}</dd>
            {i.supervision && (
              <>
                <dt>{t('inc.supervisions')}</dt>
                <dd>
                  <span class={`pill supervision-${i.supervision}`}>{t(`supervision.${i.supervision}`)}</span>
                </dd>
              </>
            )}
            {(i.supporters > 0 || i.reworkCount > 0) && (
              <>
                <dt>—</dt>
                <dd>
                  {i.supporters > 0 && t('inc.supporters', { count: i.supporters })} {i.reworkCount > 0 && t('inc.rework', { count: i.reworkCount })}
                </dd>
              </>
            )}
            {i.result && (
              <>
                <dt>{t('inc.result')}</dt>
                <dd>{i.result}</dd>
              </>
            )}
            {i.reply && (
              <>
                <dt>{t('inc.reply')}</dt>
                <dd>{i.reply}</dd>
              </>
            )}
            {i.rating && (
              <>
                <dt>{t('inc.rating')}</dt>
                <dd>
                  {t(`rating.${i.rating}`)}
                  {i.ratingComment && `：${i.ratingComment}`}
                </dd>
              </>
            )}
          </dl>
          <h2>{t('inc.description')}</h2>
          <p class="prewrap">{i.description}</p>
        </section>
        <section aria-labelledby="where-heading">
          <h2 id="where-heading">{t('inc.location')}</h2>
          <DistrictMap feature={districtOutline()} title={`${t('inc.location')}：${i.address ?? unit(i.areaUnitId)}`} width={360} points={i.lon !== null && i.lat !== null ? [[i.lon, i.lat]] : []} />
          {images.length > 0 && (
            <>
              <h2>{t('inc.photos')}</h2>
              <ul class="thumbs">
                {images.map((a) => (
                  <li>
                    <a href={`/files/${a.attachment_id}/clean`}>
                      <img src={`/files/${a.attachment_id}/thumb`} alt={`${t('inc.photo')} ${a.attachment_id}`} loading="lazy" width="160" height="120" />
                    </a>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>
      {safety && <SafetyPanel ctx={ctx} incidentId={i.id} report={safety} handleDueAt={i.handleDueAt} />}
      {view.pendingRequest && (
        <section class="card" aria-labelledby="pending-heading">
          <h2 id="pending-heading">{t('inc.pending')}</h2>
          <p>
            {t(view.pendingRequest.kind === 'return' ? 'action.request_return' : 'action.request_extension')}：{view.pendingRequest.reason}
            {view.pendingRequest.extra && `（+${view.pendingRequest.extra.amount} ${t(`unit.${view.pendingRequest.extra.unit}`)}）`}
          </p>
        </section>
      )}
      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading">{t('inc.actions')}</h2>
        {view.allowed.length === 0 ? (
          <p class="muted">{t('inc.noActions')}</p>
        ) : (
          <div class="actions">
            {view.allowed.map((a) => (
              <ActionForm ctx={ctx} incident={i} action={a} categories={categories} suggestion={a === 'dispatch' ? suggestion : undefined} />
            ))}
          </div>
        )}
      </section>
      {publication && <PublishReply ctx={ctx} incident={i} publication={publication.current} />}
      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t('inc.timeline')}</h2>
        <ol class="timeline">
          {view.events.map((e) => (
            <li>
              <time datetime={e.at.toISOString()}>{formatDateTime(e.at, ctx.locale)}</time> <strong>{label(ctx, `action.${e.action}`)}</strong> · {e.actor_label}
              {e.actor_unit_name && `（${e.actor_unit_name}）`}
              {e.to_state && e.from_state !== e.to_state && <span class="muted"> → {label(ctx, `state.${e.to_state}`)}</span>}
              {e.note && <p class="prewrap">{e.note}</p>}
            </li>
          ))}
        </ol>
      </section>
    </WorkbenchLayout>
  );
};

const IntakePage: FC<{ ctx: PageContext; categories: readonly Category[]; patrol: boolean; body?: FormBody; problems?: string[]; notice?: string; tasks?: readonly Incident[]; names?: ReadonlyMap<number, string>; now: Date }> = ({
  ctx,
  categories,
  patrol,
  body,
  problems,
  notice,
  tasks,
  names,
  now,
}) => {
  const { t } = ctx;
  const v = (k: string) => (body ? text(body, k) : '');
  const title = patrol ? t('inc.patrol') : t('inc.new');
  return (
    <WorkbenchLayout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <ProblemAlert lines={problems} />
      <Notice text={notice} />
      <form method="post" action={patrol ? '/workbench/patrol' : '/workbench/incidents/new'} enctype="multipart/form-data" class="form intake">
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="idempotencyKey" value={v('idempotencyKey') || crypto.randomUUID()} />
        {patrol && (
          <div class="field">
            <label for="in-photo">{t('inc.photo')}</label>
            <input id="in-photo" name="files" type="file" accept="image/*" capture="environment" multiple />
          </div>
        )}
        <div class="field">
          <label for="in-category">{t('inc.category')}</label>
          <select id="in-category" name="categoryId">
            <option value="">{t('inc.categoryNone')}</option>
            {categories
              .filter((c) => c.parentId !== null)
              .map((c) => (
                <option value={String(c.id)} selected={v('categoryId') === String(c.id)}>
                  {c.current.name}
                </option>
              ))}
          </select>
        </div>
        <div class="field">
          <label for="in-description">{t('inc.description')}</label>
          <textarea id="in-description" name="description" rows={4} required maxlength={4000}>
            {v('description')}
          </textarea>
        </div>
        <div class="field">
          <label for="in-address">{t('inc.address')}</label>
          <input id="in-address" name="address" type="text" maxlength={200} value={v('address')} />
        </div>
        <fieldset class="field location" data-locate>
          <legend>{t('inc.location')}</legend>
          <div class="field-row">
            <div class="field">
              <label for="in-lon">{t('inc.lon')}</label>
              <input id="in-lon" name="lon" type="text" inputmode="decimal" value={v('lon')} />
            </div>
            <div class="field">
              <label for="in-lat">{t('inc.lat')}</label>
              <input id="in-lat" name="lat" type="text" inputmode="decimal" value={v('lat')} />
            </div>
          </div>
          <button type="button" class="button button-secondary js-only" data-locate-button>
            {t('inc.useLocation')}
          </button>
        </fieldset>
        {!patrol && (
          <>
            <div class="field">
              <label for="in-channel">{t('inc.channel')}</label>
              <select id="in-channel" name="channel">
                {(['phone', 'hotline_12345', 'staff', 'leader', 'media'] as const).map((ch) => (
                  <option value={ch} selected={v('channel') === ch}>
                    {t(`channel.${ch}`)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="in-request">{t('inc.requestType')}</label>
              <select id="in-request" name="requestType">
                {REQUEST_TYPES.map((r) => (
                  <option value={r} selected={v('requestType') === r}>
                    {t(`request.${r}`)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="in-reporter">{t('inc.reporter')}</label>
              <input id="in-reporter" name="reporterName" type="text" maxlength={50} value={v('reporterName')} autocomplete="off" />
            </div>
            <div class="field">
              <label for="in-phone">{t('inc.reporter')} · ☎</label>
              <input id="in-phone" name="reporterPhone" type="tel" maxlength={20} value={v('reporterPhone')} autocomplete="off" />
            </div>
          </>
        )}
        <div class="field">
          <label for="in-urgency">{t('inc.urgency')}</label>
          <select id="in-urgency" name="urgency">
            <option value="">—</option>
            {URGENCIES.map((u) => (
              <option value={u} selected={v('urgency') === u}>
                {t(`urgency.${u}`)}
              </option>
            ))}
          </select>
        </div>
        {patrol && (
          <div class="field">
            <label for="in-resolved">{t('inc.resolvedResult')}</label>
            <input id="in-resolved" name="resolvedOnSite" type="text" maxlength={500} value={v('resolvedOnSite')} aria-describedby="in-resolved-help" />
            <p id="in-resolved-help" class="muted">
              {t('inc.resolvedOnSite')}
            </p>
          </div>
        )}
        <button class="button" type="submit">
          {t('inc.submit')}
        </button>
      </form>
      {tasks && tasks.length > 0 && (
        <section aria-labelledby="tasks-heading">
          <h2 id="tasks-heading">{t('queue.to_verify')}</h2>
          <IncidentTable ctx={ctx} items={tasks} now={now} names={names ?? new Map()} selectable={false} caption={t('queue.to_verify')} />
        </section>
      )}
      <script src={ctx.view.asset('workbench.js')} defer />
    </WorkbenchLayout>
  );
};

const NotificationsPage: FC<{ ctx: PageContext; items: readonly Notification[] }> = ({ ctx, items }) => {
  const { t } = ctx;
  return (
    <WorkbenchLayout ctx={ctx} title={t('inc.notifications')}>
      <h1>{t('inc.notifications')}</h1>
      <form method="post" action="/workbench/notifications/read" class="toolbar">
        <CsrfField token={ctx.csrfToken} />
        <button class="button button-secondary" type="submit">
          {t('inc.markAllRead')}
        </button>
      </form>
      {items.length === 0 ? (
        <p class="muted">{t('wb.empty')}</p>
      ) : (
        <ul class="notices">
          {items.map((n) => (
            <li class={n.readAt ? undefined : 'unread'}>
              {!n.readAt && <span class="pill">{t('inc.unread')}</span>} <time datetime={n.createdAt.toISOString()}>{formatDateTime(n.createdAt, ctx.locale)}</time>{' '}
              {n.link ? <a href={n.link}>{noticeText(ctx, n)}</a> : noticeText(ctx, n)}
            </li>
          ))}
        </ul>
      )}
    </WorkbenchLayout>
  );
};

function noticeText(ctx: PageContext, n: Notification): string {
  const key = `notify.${n.kind}`;
  const params = Object.fromEntries(Object.entries(n.params).map(([k, v]) => [k, String(v)]));
  return ctx.t(key as MessageKey, params) === key ? n.kind : ctx.t(key as MessageKey, params);
}

/** Reads an action's form into a command; unit codes become ids. */
async function commandFrom(c: Context<AppEnv>, action: ActionName, body: FormBody): Promise<ActCommand> {
  const org = c.get('services').organization;
  const codes = async (s: string) => Promise.all(s.split(/[\s,，]+/).filter(Boolean).map(async (code) => (await org.getUnitByCode(code)).id));
  const lead = text(body, 'leadUnit', 40);
  const target = text(body, 'targetNumber', 20);
  const extraAmount = Number(text(body, 'extraAmount', 10));
  const extraUnit = text(body, 'extraUnit', 20);
  const expected = Number(text(body, 'expectedVersion', 10));
  return {
    action,
    expectedVersion: Number.isInteger(expected) && expected > 0 ? expected : undefined,
    reason: text(body, 'reason') || undefined,
    result: text(body, 'result') || undefined,
    reply: text(body, 'reply') || undefined,
    publicNote: text(body, 'publicNote', 500) || undefined,
    rating: (['satisfied', 'basically_satisfied', 'unsatisfied'] as const).find((r) => r === text(body, 'rating', 30)),
    ratingComment: text(body, 'ratingComment', 500) || undefined,
    categoryId: Number(text(body, 'categoryId', 12)) || undefined,
    leadUnitId: lead ? (await codes(lead))[0] : undefined,
    coUnitIds: text(body, 'coUnits') ? await codes(text(body, 'coUnits')) : undefined,
    targetIncidentId: target ? (await c.get('services').incidents.findByNumber(target))?.id ?? -1 : undefined,
    reviewDate: text(body, 'reviewDate', 10) || undefined,
    extra: extraAmount > 0 && ['hours', 'days', 'natural_hours', 'natural_days'].includes(extraUnit) ? { amount: extraAmount, unit: extraUnit as 'hours' } : undefined,
    supervision: (['blue', 'yellow', 'red'] as const).find((s) => s === text(body, 'supervision', 10)),
  };
}

/** Stores the uploaded files of a form; returns their ids. */
async function storeFiles(c: Context<AppEnv>, body: FormBody, allow: 'image' | 'any'): Promise<number[]> {
  const raw = body.files;
  const files = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((f): f is File => f instanceof File && f.size > 0);
  const ids: number[] = [];
  for (const f of files.slice(0, 9)) {
    const stored = await c.get('services').attachments.store(new Uint8Array(await f.arrayBuffer()), { name: f.name, allow }, initiatorOf(c));
    ids.push(stored.id);
  }
  return ids;
}

function parseLocation(body: FormBody): { lon: number; lat: number } | null {
  const lon = Number(text(body, 'lon', 20));
  const lat = Number(text(body, 'lat', 20));
  return text(body, 'lon') && text(body, 'lat') && Number.isFinite(lon) && Number.isFinite(lat) ? { lon, lat } : null;
}

async function unitNames(c: Context<AppEnv>, incidents: readonly Incident[]): Promise<Map<number, string>> {
  const ids = [...new Set(incidents.flatMap((i) => [i.townUnitId, i.leadUnitId]).filter((x): x is number => x !== null))];
  const org = c.get('services').organization;
  const units = await Promise.all(ids.map((id) => org.getUnitById(id).catch(() => undefined)));
  return new Map(units.filter((u) => u !== undefined).map((u) => [u!.id, u!.name]));
}

export function incidentRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/workbench/incidents', async (c) => {
    const actor = requireCan(c, 'incident.read');
    const services = c.get('services');
    const filter = filterFrom(c);
    const [counts, page, urgent, overdue, categories] = await Promise.all([
      services.incidents.counts(actor),
      services.incidents.list(actor, filter.queue, filter, { limit: PAGE_SIZE, offset: filter.page * PAGE_SIZE }),
      services.incidents.list(actor, 'all', { urgency: 'critical', states: ['reported', 'accepted', 'filed', 'dispatched', 'signed'] }, { limit: 5, offset: 0 }),
      services.incidents.list(actor, 'overdue', {}, { limit: 10, offset: 0 }),
      services.catalog.list(),
    ]);
    const urgentToo = await services.incidents.list(actor, 'all', { urgency: 'urgent', states: ['reported', 'accepted', 'filed', 'dispatched', 'signed'] }, { limit: 5, offset: 0 });
    const pinned = [...new Map([...urgent.items, ...urgentToo.items, ...overdue.items].map((i) => [i.id, i])).values()].slice(0, 12);
    const names = await unitNames(c, [...page.items, ...pinned]);
    const done = c.req.query('done');
    const notice = done !== undefined ? c.get('t')('inc.bulkResult', { ok: Number(done) || 0, failed: Number(c.req.query('failed')) || 0 }) : undefined;
    return renderPage(
      c,
      <ConsolePage ctx={pageContext(c)} filter={filter} counts={counts} pinned={pinned} items={page.items} total={page.total} names={names} categories={categories} now={c.get('view').now()} notice={notice} />,
    );
  });

  app.post('/workbench/incidents/bulk', async (c) => {
    const actor = requireCan(c, 'incident.read');
    const body = await readForm(c);
    const action = text(body, 'action', 30) as ActionName;
    if (!(ACTION_NAMES as readonly string[]).includes(action) || !BULK_ACTIONS.includes(action)) throw new DomainError('BadRequest', 'REQUEST.INVALID', 'Unknown bulk action');
    const raw = body.ids;
    const ids = (Array.isArray(raw) ? raw : raw ? [raw] : []).map((x) => Number(x)).filter((x) => Number.isInteger(x) && x > 0).slice(0, 100);
    let ok = 0;
    let failed = 0;
    for (const id of ids) {
      try {
        await c.get('services').incidents.act(id, { action }, actor, initiatorOf(c));
        ok++;
      } catch (e) {
        if (e instanceof DomainError) failed++;
        else throw e;
      }
    }
    const back = text(body, 'back', 500);
    const target = back.startsWith('/workbench/incidents') ? back : '/workbench/incidents';
    return c.redirect(`${target}${target.includes('?') ? '&' : '?'}done=${ok}&failed=${failed}`, 303);
  });

  const showIncident = async (c: Context<AppEnv>, actor: Actor, id: number, extra: { problems?: string[]; notice?: string } = {}, status = 200) => {
    const services = c.get('services');
    const view = await services.incidents.view(id, actor);
    const [categories, route, safety] = await Promise.all([
      services.catalog.list(),
      view.allowed.includes('dispatch') ? services.incidents.suggestRoute(view.incident) : Promise.resolve(undefined),
      services.safety.details(view),
    ]);
    const suggestion = route ? (await services.organization.getUnitById(route.leadUnitId)).name : undefined;
    // 信件选登: a reply may be published by whoever coordinates the incident.
    const publication = view.incident.reply && can(actor, 'incident.accept') ? { current: await services.incidents.publication(id) } : undefined;
    return renderPage(c, <IncidentPage ctx={pageContext(c)} view={view} categories={categories} now={c.get('view').now()} suggestion={suggestion} safety={safety} publication={publication} {...extra} />, status);
  };

  app.get('/workbench/incidents/:id{[0-9]+}', (c) => showIncident(c, requireCan(c, 'incident.read'), Number(c.req.param('id'))));

  app.post('/workbench/incidents/:id{[0-9]+}/act/:action', async (c) => {
    const actor = requireActor(c);
    const id = Number(c.req.param('id'));
    const action = c.req.param('action') as ActionName;
    if (!(ACTION_NAMES as readonly string[]).includes(action)) return c.notFound();
    const body = await readForm(c);
    const t = c.get('t');
    const result = await attempt(t, async () => {
      const attachmentIds = await storeFiles(c, body, 'any');
      const cmd = await commandFrom(c, action, body);
      // Result photos marked public show on the citizen's tracking page (the metadata-free copies).
      return c.get('services').incidents.act(id, { ...cmd, attachmentIds, publicAttachments: text(body, 'publicFiles', 5) === 'yes' }, actor, initiatorOf(c));
    });
    if (!result.ok) return showIncident(c, actor, id, { problems: result.lines }, result.error.kind === 'Conflict' ? 409 : 422);
    return c.redirect(`/workbench/incidents/${id}`, 303);
  });

  const intake = async (c: Context<AppEnv>, patrol: boolean, extra: { body?: FormBody; problems?: string[]; notice?: string } = {}, status = 200) => {
    const actor = requireCan(c, 'incident.report');
    const services = c.get('services');
    const categories = await services.catalog.list();
    const tasks = patrol ? (await services.incidents.list(actor, 'to_verify', {}, { limit: 20, offset: 0 })).items : undefined;
    const names = tasks ? await unitNames(c, tasks) : undefined;
    return renderPage(c, <IntakePage ctx={pageContext(c)} categories={categories} patrol={patrol} tasks={tasks} names={names} now={c.get('view').now()} {...extra} />, status);
  };

  app.get('/workbench/incidents/new', (c) => intake(c, false));
  app.get('/workbench/patrol', (c) => intake(c, true));

  const submit = (patrol: boolean) => async (c: Context<AppEnv>) => {
    const actor = requireCan(c, 'incident.report');
    const body = await readForm(c);
    const t = c.get('t');
    const result = await attempt(t, async () => {
      const attachmentIds = await storeFiles(c, body, patrol ? 'image' : 'any');
      const channel = patrol ? 'grid_patrol' : ((CHANNELS as readonly string[]).includes(text(body, 'channel', 30)) ? (text(body, 'channel', 30) as Channel) : 'staff');
      const location = parseLocation(body);
      // Without a location, a staff member's report belongs to where their post is: their grid, else their town.
      const post = actor.posts.find((p) => p.role === 'grid_worker' || p.role === 'town_dispatcher' || p.role === 'board_handler');
      const homeUnit = location || !post ? null : post.unitKind === 'grid' ? post.unitId : post.townPath ? Number(post.townPath.split('/').filter(Boolean).pop()) : null;
      const resolved = patrol ? text(body, 'resolvedOnSite', 500) : '';
      return c.get('services').incidents.report(
        {
          channel,
          requestType: patrol ? null : ((REQUEST_TYPES as readonly string[]).includes(text(body, 'requestType', 20)) ? (text(body, 'requestType', 20) as RequestType) : null),
          categoryId: Number(text(body, 'categoryId', 12)) || null,
          description: text(body, 'description', 5000),
          address: text(body, 'address', 300) || null,
          location,
          areaUnitId: homeUnit,
          urgency: (URGENCIES as readonly string[]).includes(text(body, 'urgency', 10)) ? (text(body, 'urgency', 10) as Urgency) : undefined,
          reporter: patrol ? { userId: actor.userId } : { userId: null, name: text(body, 'reporterName', 50) || null, phone: text(body, 'reporterPhone', 20) || null },
          idempotencyKey: text(body, 'idempotencyKey', 80) || null,
          attachmentIds,
          then: resolved ? { resolvedOnSite: resolved } : undefined,
        },
        initiatorOf(c),
      );
    });
    if (!result.ok) return intake(c, patrol, { body, problems: result.lines }, 422);
    if (patrol) return intake(c, true, { notice: t('inc.reported', { number: result.value.incident.number }) });
    return c.redirect(`/workbench/incidents/${result.value.incident.id}`, 303);
  };
  app.post('/workbench/incidents/new', submit(false));
  app.post('/workbench/patrol', submit(true));

  app.get('/workbench/notifications', async (c) => {
    const actor = requireActor(c);
    const items = await c.get('services').notifications.inbox(actor.userId, 100);
    return renderPage(c, <NotificationsPage ctx={pageContext(c)} items={items} />);
  });

  app.post('/workbench/notifications/read', async (c) => {
    const actor = requireActor(c);
    await c.get('services').notifications.markRead(actor.userId, 'all');
    return c.redirect('/workbench/notifications', 303);
  });

  // Files of incidents: staff who may read an incident may see its files; the public sees only the public,
  // metadata-free copies (served by the public pages).
  app.get('/files/:id{[0-9]+}/:variant{original|clean|thumb}', async (c) => {
    const actor = requireActor(c);
    const id = Number(c.req.param('id'));
    const services = c.get('services');
    const incidentIds = await services.incidents.incidentsWithAttachment(id);
    let allowed = false;
    for (const incidentId of incidentIds) {
      if (await services.incidents.view(incidentId, actor).then(() => true, () => false)) {
        allowed = true;
        break;
      }
    }
    if (!allowed || !can(actor, 'incident.read')) throw new DomainError('NotFound', 'ATTACHMENT.NOT_FOUND', 'No such file');
    const file = await services.attachments.read(id, c.req.param('variant') as 'clean');
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': file.mime,
      'Cache-Control': 'private, max-age=3600',
      'Content-Disposition': file.mime.startsWith('image/') ? 'inline' : `attachment; filename="file-${id}"`,
    });
  });

  return app;
}
