/**
 * The editors' pages for documents: the list (by state, "awaiting review" first), a new document, the editing
 * page (fields, body, images with alt text and captions, attachments, the pre-publication check, the workflow's
 * buttons from allowedActions, pinning, policy marks, scheduled withdrawal, revisions and history) and the
 * readable difference between two revisions. Every page works without JavaScript.
 */
import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import { raw } from 'hono/html';
import { DomainError } from '../../../kernel/errors.js';
import { can } from '../../../modules/access/index.js';
import type { Unit } from '../../../modules/organization/index.js';
import {
  DOCUMENT_KINDS,
  DOCUMENT_STATES,
  POLICY_STATUSES,
  PERSON_ACTIONS,
  trail,
  type CheckFinding,
  type Column,
  type DocumentInput,
  type DocumentKind,
  type DocumentSummary,
  type PersonAction,
  type PolicyStatus,
  type Removal,
  type RevisionDiff,
  type Revision,
  type StaffDocument,
} from '../../../modules/portal/index.js';
import { CsrfField, pageContext, renderPage, type PageContext } from '../../components/layout.js';
import type { AppEnv } from '../../context.js';
import { initiatorOf } from '../../initiator.js';
import { describe } from '../../middleware/errors.js';
import { formatDateTime } from '../../portal/common.js';
import { Notice, ProblemAlert, attempt, file, optionalInt, readForm, text, type FormBody } from '../forms.js';
import { WorkbenchLayout, requireActor, requireCan } from '../shell.js';

const CONTENT_STAFF = ['content.edit', 'content.review', 'content.publish'] as const;

function requireContentStaff(c: Context<AppEnv>) {
  const actor = requireActor(c);
  if (!CONTENT_STAFF.some((a) => can(actor, a))) requireCan(c, 'content.edit');
  return actor;
}

/** A datetime-local value (China Standard Time) as a Date, or undefined. */
export function parseLocalTime(s: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(s)) return undefined;
  const d = new Date(`${s.length === 16 ? `${s}:00` : s}+08:00`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const toLocalInput = (d: Date | null | undefined) => (d ? new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16) : '');

const columnLabel = (columns: readonly Column[], id: number) =>
  trail(columns, id)
    .map((c) => c.name)
    .join(' › ');

export const StateBadge: FC<{ ctx: PageContext; state: string }> = ({ ctx, state }) => <span class={`pill state-${state}`}>{ctx.t(`content.state.${state}` as never)}</span>;

const RemovedNotice: FC<{ ctx: PageContext; removed: readonly Removal[] }> = ({ ctx, removed }) =>
  removed.length ? (
    <div class="alert alert-warn" role="status">
      <p>{ctx.t('content.removedTitle')}</p>
      <ul>
        {removed.map((r) => (
          <li>{ctx.t(`content.removed.${r.kind}`, { what: r.what, count: r.count })}</li>
        ))}
      </ul>
    </div>
  ) : null;

const Findings: FC<{ ctx: PageContext; findings: readonly CheckFinding[] }> = ({ ctx, findings }) => {
  const { t } = ctx;
  return (
    <section class="card" aria-labelledby="check-heading">
      <h2 id="check-heading">{t('content.check')}</h2>
      {findings.length === 0 ? (
        <p class="ok-text">{t('content.checkClean')}</p>
      ) : (
        <ul class="findings">
          {findings.map((f) => (
            <li class={`finding finding-${f.level}`}>
              <span class="pill">{t(f.level === 'error' ? 'content.findingError' : 'content.findingWarning')}</span> {describe(t, f.code, f.code, f.params)}
              {f.excerpt && <span class="muted"> — “{f.excerpt}”</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};

interface FormValues {
  columnId?: number;
  kind?: DocumentKind;
  title?: string;
  source?: string | null;
  author?: string | null;
  docNumber?: string | null;
  summary?: string | null;
  bodyHtml?: string;
  interpretsId?: number | null;
  unitId?: number | null;
  note?: string | null;
}

const DocumentFields: FC<{ ctx: PageContext; columns: readonly Column[]; policies: readonly DocumentSummary[]; units: readonly Unit[]; values: FormValues }> = ({ ctx, columns, policies, units, values }) => {
  const { t } = ctx;
  const input = (name: keyof FormValues, label: string, value: string | null | undefined, opts: { required?: boolean; max?: number; help?: string } = {}) => (
    <div class="field">
      <label for={`doc-${name}`}>{label}</label>
      <input id={`doc-${name}`} name={name} type="text" value={value ?? ''} required={opts.required} maxlength={opts.max} aria-describedby={opts.help ? `doc-${name}-help` : undefined} />
      {opts.help && (
        <p class="help" id={`doc-${name}-help`}>
          {opts.help}
        </p>
      )}
    </div>
  );
  return (
    <>
      <div class="field">
        <label for="doc-columnId">{t('content.column')}</label>
        <select id="doc-columnId" name="columnId" required>
          {columns
            .filter((c) => c.kind !== 'directory')
            .map((c) => (
              <option value={String(c.id)} selected={c.id === values.columnId}>
                {columnLabel(columns, c.id)}
              </option>
            ))}
        </select>
      </div>
      <div class="field">
        <label for="doc-kind">{t('content.kind')}</label>
        <select id="doc-kind" name="kind">
          {DOCUMENT_KINDS.map((k) => (
            <option value={k} selected={k === (values.kind ?? 'article')}>
              {t(`content.kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      {input('title', t('content.title'), values.title, { required: true, max: 200 })}
      {input('docNumber', t('content.docNumber'), values.docNumber, { max: 100 })}
      {input('source', t('content.source'), values.source, { max: 100 })}
      {input('author', t('content.author'), values.author, { max: 100 })}
      <div class="field">
        <label for="doc-summary">{t('content.summary')}</label>
        <textarea id="doc-summary" name="summary" rows={2} maxlength={500}>
          {values.summary ?? ''}
        </textarea>
      </div>
      <div class="field">
        <label for="doc-bodyHtml">{t('content.body')}</label>
        <textarea id="doc-bodyHtml" name="bodyHtml" rows={16} class="body-editor" aria-describedby="doc-body-help">
          {values.bodyHtml ?? ''}
        </textarea>
        <p class="help" id="doc-body-help">
          {t('content.bodyHelp')}
        </p>
      </div>
      <div class="field">
        <label for="doc-interpretsId">{t('content.interprets')}</label>
        <select id="doc-interpretsId" name="interpretsId" aria-describedby="doc-interprets-help">
          <option value="">{t('content.none')}</option>
          {policies.map((p) => (
            <option value={String(p.id)} selected={p.id === values.interpretsId}>
              {p.title}
            </option>
          ))}
        </select>
        <p class="help" id="doc-interprets-help">
          {t('content.interpretsHelp')}
        </p>
      </div>
      <div class="field">
        <label for="doc-unitId">{t('content.unit')}</label>
        <select id="doc-unitId" name="unitId">
          <option value="">{t('content.none')}</option>
          {units.map((u) => (
            <option value={String(u.id)} selected={u.id === values.unitId}>
              {u.name}
            </option>
          ))}
        </select>
      </div>
      {input('note', t('content.changeNote'), values.note, { max: 500, help: t('content.changeNoteHelp') })}
    </>
  );
};

function readDocument(body: FormBody): DocumentInput {
  const kind = text(body, 'kind', 40) as DocumentKind;
  return {
    columnId: optionalInt(body, 'columnId') ?? 0,
    kind: (DOCUMENT_KINDS as readonly string[]).includes(kind) ? kind : 'article',
    title: text(body, 'title', 400),
    source: text(body, 'source', 200) || null,
    author: text(body, 'author', 200) || null,
    docNumber: text(body, 'docNumber', 200) || null,
    summary: text(body, 'summary', 1000) || null,
    bodyHtml: typeof body.bodyHtml === 'string' ? body.bodyHtml.slice(0, 400_000) : '',
    interpretsId: optionalInt(body, 'interpretsId') ?? null,
    unitId: optionalInt(body, 'unitId') ?? null,
    note: text(body, 'note', 1000) || null,
  };
}

async function formData(c: Context<AppEnv>) {
  const { portal, organization } = c.get('services');
  const columns = c.get('site')?.columns ?? [];
  const policyColumnIds = columns.filter((x) => x.kind === 'policy').map((x) => x.id);
  const [{ items: policies }, towns, departments] = await Promise.all([
    portal.content.listPublic(policyColumnIds, { limit: 100, offset: 0 }),
    organization.listTowns(),
    organization.listByKinds(['department']),
  ]);
  return { columns, policies: policies.filter((p) => p.kind === 'policy'), units: [...departments, ...towns] };
}

const ListPage: FC<{ ctx: PageContext; items: readonly DocumentSummary[]; total: number; state: string; columns: readonly Column[]; review: readonly DocumentSummary[] }> = ({ ctx, items, total, state, columns, review }) => {
  const { t } = ctx;
  return (
    <WorkbenchLayout ctx={ctx} title={t('content.title.list')}>
      <h1>{t('content.title.list')}</h1>
      {can(ctx.actor, 'content.edit') && (
        <p>
          <a class="button" href="/workbench/content/new">
            {t('content.new')}
          </a>
        </p>
      )}
      {review.length > 0 && can(ctx.actor, 'content.review') && (
        <section class="card" aria-labelledby="review-heading">
          <h2 id="review-heading">{t('content.awaitingReview', { count: review.length })}</h2>
          <ul>
            {review.map((d) => (
              <li>
                <a href={`/workbench/content/${d.id}`}>{d.title}</a> <span class="muted">{formatDateTime(d.updatedAt)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <nav aria-label={t('content.filter')} class="state-tabs">
        <ul>
          {['', ...DOCUMENT_STATES].map((s) => (
            <li>
              <a href={s ? `/workbench/content?state=${s}` : '/workbench/content'} aria-current={s === state ? 'page' : undefined}>
                {s ? t(`content.state.${s}` as never) : t('content.allStates')}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="table-scroll">
        <table class="data">
          <caption>{t('content.listCaption', { count: total })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('content.title')}</th>
              <th scope="col">{t('content.column')}</th>
              <th scope="col">{t('content.stateLabel')}</th>
              <th scope="col">{t('content.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr>
                <td>
                  <a href={`/workbench/content/${d.id}`}>{d.title}</a>
                  {d.pinned && <span class="mark mark-pinned">{t('portal.pinned')}</span>}
                  {d.isDemo && <span class="badge badge-demo">{t('site.demoBadge')}</span>}
                </td>
                <td>{columnLabel(columns, d.columnId)}</td>
                <td>
                  <StateBadge ctx={ctx} state={d.state} /> {d.live && d.state !== 'published' && <span class="pill">{t('content.liveCopy')}</span>}
                </td>
                <td>{formatDateTime(d.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </WorkbenchLayout>
  );
};

const NewPage: FC<{ ctx: PageContext; data: Awaited<ReturnType<typeof formData>>; values: FormValues; problems?: string[] }> = ({ ctx, data, values, problems }) => (
  <WorkbenchLayout ctx={ctx} title={ctx.t('content.new')} crumbs={[{ label: ctx.t('content.title.list'), href: '/workbench/content' }, { label: ctx.t('content.new') }]}>
    <h1>{ctx.t('content.new')}</h1>
    <ProblemAlert lines={problems} />
    <form method="post" action="/workbench/content" class="form form-wide">
      <CsrfField token={ctx.csrfToken} />
      <DocumentFields ctx={ctx} columns={data.columns} policies={data.policies} units={data.units} values={values} />
      <button class="button" type="submit">
        {ctx.t('content.createDraft')}
      </button>
    </form>
  </WorkbenchLayout>
);

const ACTION_STYLE: Record<PersonAction, string> = {
  submit: 'button',
  approve: 'button',
  publish: 'button',
  schedule: 'button button-secondary',
  reject: 'button button-secondary',
  unschedule: 'button button-secondary',
  withdraw: 'button button-danger',
};

const EditPage: FC<{ ctx: PageContext; doc: StaffDocument; data: Awaited<ReturnType<typeof formData>>; problems?: string[]; notice?: string; removed?: readonly Removal[]; values?: FormValues }> = ({
  ctx,
  doc,
  data,
  problems,
  notice,
  removed,
  values,
}) => {
  const { t } = ctx;
  const { record, revision } = doc;
  const post = (what: string) => `/workbench/content/${record.id}/${what}`;
  const v: FormValues = values ?? {
    columnId: record.columnId,
    kind: record.kind,
    title: revision.title,
    source: revision.source,
    author: revision.author,
    docNumber: revision.docNumber,
    summary: revision.summary,
    bodyHtml: revision.bodyHtml,
    interpretsId: record.interpretsId,
    unitId: record.unitId,
  };
  const canEdit = can(ctx.actor, 'content.edit');
  const canPublish = can(ctx.actor, 'content.publish');
  return (
    <WorkbenchLayout ctx={ctx} title={revision.title} crumbs={[{ label: t('content.title.list'), href: '/workbench/content' }, { label: revision.title }]}>
      <h1>
        {revision.title} <StateBadge ctx={ctx} state={record.state} />
      </h1>
      <ProblemAlert lines={problems} />
      <Notice text={notice} />
      <RemovedNotice ctx={ctx} removed={removed ?? []} />
      <dl class="facts">
        <dt>{t('content.stateLabel')}</dt>
        <dd>
          {t(`content.state.${record.state}` as never)} · {t('content.revisionN', { n: record.revisionNo })}
        </dd>
        <dt>{t('content.online')}</dt>
        <dd>
          {record.liveRevisionNo !== null ? (
            <>
              <a href={`/articles/${record.id}`}>{t('content.liveRevision', { n: record.liveRevisionNo })}</a>
              {record.liveRevisionNo !== record.revisionNo && <span class="muted"> {t('content.liveOlder')}</span>}
            </>
          ) : (
            t('content.notOnline')
          )}
        </dd>
        {record.publishedAt && (
          <>
            <dt>{t('content.publishedAt')}</dt>
            <dd>{formatDateTime(record.publishedAt)}</dd>
          </>
        )}
        {record.scheduledAt && (
          <>
            <dt>{t('content.scheduledAt')}</dt>
            <dd>{formatDateTime(record.scheduledAt)}</dd>
          </>
        )}
        {record.withdrawAt && (
          <>
            <dt>{t('content.withdrawAt')}</dt>
            <dd>{formatDateTime(record.withdrawAt)}</dd>
          </>
        )}
        {doc.interprets && (
          <>
            <dt>{t('content.interprets')}</dt>
            <dd>
              <a href={`/workbench/content/${doc.interprets.id}`}>{doc.interprets.title}</a>
            </dd>
          </>
        )}
        {record.policyStatus && (
          <>
            <dt>{t('content.policyStatus')}</dt>
            <dd>{t(`policy.status.${record.policyStatus}`)}</dd>
          </>
        )}
      </dl>
      <Findings ctx={ctx} findings={doc.findings} />
      {doc.actions.length > 0 && (
        <section class="card" aria-labelledby="workflow-heading">
          <h2 id="workflow-heading">{t('content.workflow')}</h2>
          <form method="post" action={post('transition')} class="form">
            <CsrfField token={ctx.csrfToken} />
            <div class="field">
              <label for="wf-note">{t('content.workflowNote')}</label>
              <textarea id="wf-note" name="note" rows={2} maxlength={500} aria-describedby="wf-note-help"></textarea>
              <p class="help" id="wf-note-help">
                {t('content.workflowNoteHelp')}
              </p>
            </div>
            {doc.actions.includes('schedule') && (
              <div class="field">
                <label for="wf-at">{t('content.scheduleAt')}</label>
                <input id="wf-at" name="at" type="datetime-local" />
              </div>
            )}
            <div class="button-row">
              {doc.actions.map((a) => (
                <button type="submit" name="action" value={a} class={ACTION_STYLE[a]}>
                  {t(`content.action.${a}`)}
                </button>
              ))}
            </div>
          </form>
        </section>
      )}
      {canPublish && (
        <details class="card">
          <summary>{t('content.publishing')}</summary>
          {record.liveRevisionNo !== null && (
            <form method="post" action={post('pin')} class="form">
              <CsrfField token={ctx.csrfToken} />
              <input type="hidden" name="pinned" value={record.pinnedAt ? '0' : '1'} />
              <button type="submit" class="button button-secondary">
                {record.pinnedAt ? t('content.unpin') : t('content.pin')}
              </button>
            </form>
          )}
          <form method="post" action={post('withdraw-at')} class="form">
            <CsrfField token={ctx.csrfToken} />
            <div class="field">
              <label for="withdraw-at">{t('content.withdrawAt')}</label>
              <input id="withdraw-at" name="at" type="datetime-local" value={toLocalInput(record.withdrawAt)} aria-describedby="withdraw-at-help" />
              <p class="help" id="withdraw-at-help">
                {t('content.withdrawAtHelp')}
              </p>
            </div>
            <button type="submit" class="button button-secondary">
              {t('wb.save')}
            </button>
          </form>
          {record.kind === 'policy' && (
            <form method="post" action={post('policy-status')} class="form">
              <CsrfField token={ctx.csrfToken} />
              <div class="field">
                <label for="policy-status">{t('content.policyStatus')}</label>
                <select id="policy-status" name="status">
                  {POLICY_STATUSES.map((s) => (
                    <option value={s} selected={s === record.policyStatus}>
                      {t(`policy.status.${s}`)}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="policy-note">{t('content.policyNote')}</label>
                <input id="policy-note" name="note" type="text" value={record.policyStatusNote ?? ''} maxlength={500} />
              </div>
              <div class="field">
                <label for="policy-by">{t('content.supersededBy')}</label>
                <select id="policy-by" name="supersededById">
                  <option value="">{t('content.none')}</option>
                  {data.policies
                    .filter((p) => p.id !== record.id)
                    .map((p) => (
                      <option value={String(p.id)} selected={p.id === record.supersededById}>
                        {p.title}
                      </option>
                    ))}
                </select>
              </div>
              <button type="submit" class="button button-secondary">
                {t('wb.save')}
              </button>
            </form>
          )}
        </details>
      )}
      {canEdit && (
        <section class="card" aria-labelledby="edit-heading">
          <h2 id="edit-heading">{t('content.edit')}</h2>
          {record.liveRevisionNo !== null && <p class="help">{t('content.editLiveHelp')}</p>}
          <form method="post" action={post('save')} class="form form-wide">
            <CsrfField token={ctx.csrfToken} />
            <DocumentFields ctx={ctx} columns={data.columns} policies={data.policies.filter((p) => p.id !== record.id)} units={data.units} values={v} />
            <button class="button" type="submit">
              {t('content.saveRevision')}
            </button>
          </form>
        </section>
      )}
      {canEdit && (
        <div class="grid-2">
          <section class="card" aria-labelledby="image-heading">
            <h2 id="image-heading">{t('content.addImage')}</h2>
            <form method="post" action={post('images')} enctype="multipart/form-data" class="form">
              <CsrfField token={ctx.csrfToken} />
              <div class="field">
                <label for="img-file">{t('content.imageFile')}</label>
                <input id="img-file" name="file" type="file" accept="image/png,image/jpeg,image/gif,image/webp" required />
              </div>
              <div class="field">
                <label for="img-alt">{t('content.imageAlt')}</label>
                <input id="img-alt" name="alt" type="text" required maxlength={200} aria-describedby="img-alt-help" />
                <p class="help" id="img-alt-help">
                  {t('content.imageAltHelp')}
                </p>
              </div>
              <div class="field">
                <label for="img-caption">{t('content.imageCaption')}</label>
                <input id="img-caption" name="caption" type="text" maxlength={300} />
              </div>
              <button class="button" type="submit">
                {t('content.upload')}
              </button>
            </form>
          </section>
          <section class="card" aria-labelledby="attachment-heading">
            <h2 id="attachment-heading">{t('content.attachments')}</h2>
            {revision.attachments.length > 0 && (
              <ul class="attachment-list">
                {revision.attachments.map((a) => (
                  <li>
                    <a href={`/files/${a.sha256}/${encodeURIComponent(a.name)}`}>{a.title}</a>
                    <form method="post" action={post('attachments/remove')} class="inline-form">
                      <CsrfField token={ctx.csrfToken} />
                      <input type="hidden" name="sha256" value={a.sha256} />
                      <button type="submit" class="link-button" aria-label={t('content.removeAttachmentLabel', { title: a.title })}>
                        {t('content.remove')}
                      </button>
                    </form>
                  </li>
                ))}
              </ul>
            )}
            <form method="post" action={post('attachments')} enctype="multipart/form-data" class="form">
              <CsrfField token={ctx.csrfToken} />
              <div class="field">
                <label for="att-file">{t('content.attachmentFile')}</label>
                <input id="att-file" name="file" type="file" required aria-describedby="att-help" />
                <p class="help" id="att-help">
                  {t('content.attachmentHelp')}
                </p>
              </div>
              <div class="field">
                <label for="att-title">{t('content.attachmentTitle')}</label>
                <input id="att-title" name="title" type="text" maxlength={200} />
              </div>
              <button class="button" type="submit">
                {t('content.upload')}
              </button>
            </form>
          </section>
        </div>
      )}
      <section aria-labelledby="preview-heading">
        <h2 id="preview-heading">{t('content.preview')}</h2>
        <div class="article-body preview">{raw(revision.bodyHtml)}</div>
      </section>
      <section aria-labelledby="revisions-heading">
        <h2 id="revisions-heading">{t('content.revisions')}</h2>
        <ol reversed class="revisions">
          {doc.revisions.map((r: Revision) => (
            <li>
              {t('content.revisionN', { n: r.number })} · {formatDateTime(r.createdAt)} {r.note && <span class="muted">— {r.note}</span>}
              {r.number === record.liveRevisionNo && <span class="pill">{t('content.liveCopy')}</span>}
              {r.number > 1 && (
                <>
                  {' '}
                  <a href={`/workbench/content/${record.id}/diff?from=${r.number - 1}&to=${r.number}`}>{t('content.compareWithPrevious')}</a>
                </>
              )}
              {record.liveRevisionNo !== null && r.number === record.revisionNo && record.liveRevisionNo !== r.number && (
                <>
                  {' '}
                  <a href={`/workbench/content/${record.id}/diff?from=${record.liveRevisionNo}&to=${r.number}`}>{t('content.compareWithLive')}</a>
                </>
              )}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">{t('content.history')}</h2>
        <div class="table-scroll">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{t('content.when')}</th>
                <th scope="col">{t('content.who')}</th>
                <th scope="col">{t('content.what')}</th>
                <th scope="col">{t('content.note')}</th>
              </tr>
            </thead>
            <tbody>
              {doc.events.map((e) => (
                <tr>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{e.actorLabel}</td>
                  <td>
                    {(PERSON_ACTIONS as readonly string[]).includes(e.action) || ['publish_due', 'withdraw_due'].includes(e.action) ? t(`content.action.${e.action as PersonAction}`) : t(`content.event.${e.action}` as never)}
                    {e.revisionNo !== null && <span class="muted"> · {t('content.revisionN', { n: e.revisionNo })}</span>}
                  </td>
                  <td>{e.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </WorkbenchLayout>
  );
};

const DiffParts: FC<{ parts: readonly { text: string; change: string }[] }> = ({ parts }) => (
  <>{parts.map((p) => (p.change === 'added' ? <ins>{p.text}</ins> : p.change === 'removed' ? <del>{p.text}</del> : p.text))}</>
);

const DiffPage: FC<{ ctx: PageContext; id: number; title: string; from: number; to: number; diff: RevisionDiff }> = ({ ctx, id, title, from, to, diff }) => {
  const { t } = ctx;
  return (
    <WorkbenchLayout ctx={ctx} title={t('content.diffTitle', { from, to })} crumbs={[{ label: t('content.title.list'), href: '/workbench/content' }, { label: title, href: `/workbench/content/${id}` }, { label: t('content.diffTitle', { from, to }) }]}>
      <h1>{t('content.diffTitle', { from, to })}</h1>
      <p class="help">{t('content.diffHelp')}</p>
      {diff.unchanged && <p>{t('content.diffNone')}</p>}
      {diff.fields.length > 0 && (
        <dl class="facts diff">
          {diff.fields.map((f) => (
            <>
              <dt>{t(`content.field.${f.field}`)}</dt>
              <dd>
                <DiffParts parts={f.parts} />
              </dd>
            </>
          ))}
        </dl>
      )}
      {diff.body.length > 0 && (
        <section aria-labelledby="diff-body-heading">
          <h2 id="diff-body-heading">{t('content.body')}</h2>
          <div class="diff">
            {diff.body.map((b) => (
              <p class={b.changed ? 'diff-changed' : 'diff-context'}>
                <DiffParts parts={b.parts} />
              </p>
            ))}
          </div>
        </section>
      )}
      <p>
        <a href={`/workbench/content/${id}`}>{t('content.backToDocument')}</a>
      </p>
    </WorkbenchLayout>
  );
};

const NOTICE_KEYS = ['created', 'saved', 'submit', 'reject', 'approve', 'publish', 'schedule', 'unschedule', 'withdraw', 'pin', 'unpin', 'image', 'attachment', 'attachmentRemoved', 'withdrawAt', 'policyStatus'] as const;

export function contentRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const ctxOf = (c: Context<AppEnv>) => ({ actor: c.get('actor')!, by: initiatorOf(c) });
  const idOf = (c: Context<AppEnv>) => Number(c.req.param('id'));

  async function showEdit(c: Context<AppEnv>, id: number, extra: { problems?: string[]; notice?: string; removed?: readonly Removal[]; values?: FormValues } = {}, status = 200) {
    const actor = requireContentStaff(c);
    const [doc, data] = await Promise.all([c.get('services').portal.content.forStaff(actor, id), formData(c)]);
    return renderPage(c, <EditPage ctx={pageContext(c)} doc={doc} data={data} {...extra} />, status);
  }

  app.get('/workbench/content', async (c) => {
    const actor = requireContentStaff(c);
    const state = c.req.query('state') ?? '';
    const content = c.get('services').portal.content;
    const [list, review] = await Promise.all([
      content.listForStaff(actor, { ...((DOCUMENT_STATES as readonly string[]).includes(state) ? { states: [state] } : {}), page: 1 }),
      content.listForStaff(actor, { states: ['in_review'], page: 1 }),
    ]);
    return renderPage(c, <ListPage ctx={pageContext(c)} items={list.items} total={list.total} state={state} columns={c.get('site')?.columns ?? []} review={review.items} />);
  });

  app.get('/workbench/content/new', async (c) => {
    requireCan(c, 'content.edit');
    const columnId = Number(c.req.query('column') ?? '') || undefined;
    return renderPage(c, <NewPage ctx={pageContext(c)} data={await formData(c)} values={columnId ? { columnId } : {}} />);
  });

  app.post('/workbench/content', async (c) => {
    requireCan(c, 'content.edit');
    const input = readDocument(await readForm(c));
    const ctx = pageContext(c);
    const r = await attempt(ctx.t, () => c.get('services').portal.content.create(ctxOf(c), input));
    if (!r.ok) return renderPage(c, <NewPage ctx={ctx} data={await formData(c)} values={input} problems={r.lines} />, 422);
    return c.redirect(`/workbench/content/${r.value.id}?done=created`, 303);
  });

  app.get('/workbench/content/:id{[0-9]{1,12}}', async (c) => {
    const done = c.req.query('done');
    const notice = NOTICE_KEYS.find((k) => k === done);
    const id = idOf(c);
    // After a save, the editor is told what the sanitiser removed from the body they sent.
    let removed: readonly Removal[] | undefined;
    if (done === 'saved' || done === 'created') {
      const actor = requireContentStaff(c);
      removed = (await c.get('services').portal.content.forStaff(actor, id)).revision.removed;
    }
    return showEdit(c, id, { ...(notice ? { notice: c.get('t')(`content.done.${notice}`) } : {}), ...(removed ? { removed } : {}) });
  });

  app.post('/workbench/content/:id{[0-9]{1,12}}/save', async (c) => {
    requireCan(c, 'content.edit');
    const input = readDocument(await readForm(c));
    const t = c.get('t');
    const r = await attempt(t, () => c.get('services').portal.content.save(ctxOf(c), idOf(c), input));
    if (!r.ok) return showEdit(c, idOf(c), { problems: r.lines, values: input }, r.error.kind === 'NotFound' ? 404 : 422);
    return c.redirect(`/workbench/content/${idOf(c)}?done=saved`, 303);
  });

  app.post('/workbench/content/:id{[0-9]{1,12}}/transition', async (c) => {
    requireContentStaff(c);
    const body = await readForm(c);
    const action = text(body, 'action', 40) as PersonAction;
    if (!(PERSON_ACTIONS as readonly string[]).includes(action)) throw new DomainError('BadRequest', 'REQUEST.INVALID', 'unknown action');
    const at = parseLocalTime(text(body, 'at', 40));
    const t = c.get('t');
    const r = await attempt(t, () => c.get('services').portal.content.transition(ctxOf(c), idOf(c), action, { note: text(body, 'note', 500), ...(at ? { at } : {}) }));
    if (!r.ok) return showEdit(c, idOf(c), { problems: r.lines }, r.error.kind === 'Conflict' ? 409 : 422);
    return c.redirect(`/workbench/content/${idOf(c)}?done=${action}`, 303);
  });

  app.post('/workbench/content/:id{[0-9]{1,12}}/pin', async (c) => {
    requireCan(c, 'content.publish');
    const pinned = text(await readForm(c), 'pinned', 2) === '1';
    const r = await attempt(c.get('t'), () => c.get('services').portal.content.setPinned(ctxOf(c), idOf(c), pinned));
    if (!r.ok) return showEdit(c, idOf(c), { problems: r.lines }, 409);
    return c.redirect(`/workbench/content/${idOf(c)}?done=${pinned ? 'pin' : 'unpin'}`, 303);
  });

  app.post('/workbench/content/:id{[0-9]{1,12}}/withdraw-at', async (c) => {
    requireCan(c, 'content.publish');
    const raw = text(await readForm(c), 'at', 40);
    const at = raw ? parseLocalTime(raw) : null;
    const r = await attempt(c.get('t'), async () => {
      if (at === undefined) throw new DomainError('Invalid', 'CONTENT.TIME_REQUIRED', 'time');
      return c.get('services').portal.content.setWithdrawAt(ctxOf(c), idOf(c), at);
    });
    if (!r.ok) return showEdit(c, idOf(c), { problems: r.lines }, 422);
    return c.redirect(`/workbench/content/${idOf(c)}?done=withdrawAt`, 303);
  });

  app.post('/workbench/content/:id{[0-9]{1,12}}/policy-status', async (c) => {
    requireCan(c, 'content.publish');
    const body = await readForm(c);
    const status = text(body, 'status', 20) as PolicyStatus;
    const r = await attempt(c.get('t'), async () => {
      if (!(POLICY_STATUSES as readonly string[]).includes(status)) throw new DomainError('Invalid', 'REQUEST.INVALID', 'status');
      return c.get('services').portal.content.setPolicyStatus(ctxOf(c), idOf(c), status, text(body, 'note', 500), optionalInt(body, 'supersededById') ?? null);
    });
    if (!r.ok) return showEdit(c, idOf(c), { problems: r.lines }, 422);
    return c.redirect(`/workbench/content/${idOf(c)}?done=policyStatus`, 303);
  });

  const upload = (kind: 'images' | 'attachments') => async (c: Context<AppEnv>) => {
    requireCan(c, 'content.edit');
    const body = await readForm(c);
    const f = file(body, 'file');
    const t = c.get('t');
    const r = await attempt(t, async () => {
      if (!f) throw new DomainError('Invalid', 'CONTENT.FILE_REQUIRED', 'choose a file', { fields: [{ path: 'file', code: 'field.required', message: 'file' }] });
      const uploaded = { name: f.name || 'file', bytes: new Uint8Array(await f.arrayBuffer()) };
      const content = c.get('services').portal.content;
      return kind === 'images' ? content.addImage(ctxOf(c), idOf(c), uploaded, text(body, 'alt', 400), text(body, 'caption', 600)) : content.addAttachment(ctxOf(c), idOf(c), uploaded, text(body, 'title', 400));
    });
    if (!r.ok) return showEdit(c, idOf(c), { problems: r.lines }, 422);
    return c.redirect(`/workbench/content/${idOf(c)}?done=${kind === 'images' ? 'image' : 'attachment'}`, 303);
  };
  app.post('/workbench/content/:id{[0-9]{1,12}}/images', upload('images'));
  app.post('/workbench/content/:id{[0-9]{1,12}}/attachments', upload('attachments'));

  app.post('/workbench/content/:id{[0-9]{1,12}}/attachments/remove', async (c) => {
    requireCan(c, 'content.edit');
    const sha = text(await readForm(c), 'sha256', 64);
    await c.get('services').portal.content.removeAttachment(ctxOf(c), idOf(c), sha);
    return c.redirect(`/workbench/content/${idOf(c)}?done=attachmentRemoved`, 303);
  });

  app.get('/workbench/content/:id{[0-9]{1,12}}/diff', async (c) => {
    const actor = requireContentStaff(c);
    const from = Number(c.req.query('from'));
    const to = Number(c.req.query('to'));
    if (!Number.isInteger(from) || !Number.isInteger(to)) throw new DomainError('BadRequest', 'REQUEST.INVALID', 'from and to');
    const { after, diff } = await c.get('services').portal.content.diff(actor, idOf(c), from, to);
    return renderPage(c, <DiffPage ctx={pageContext(c)} id={idOf(c)} title={after.title} from={from} to={to} diff={diff} />);
  });

  return app;
}
