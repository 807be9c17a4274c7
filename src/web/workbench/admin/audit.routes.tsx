/** The audit log for supervisors: search, CSV export (itself audited) and chain verification. */
import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import type { FC } from 'hono/jsx';
import { CSV_BOM, csvLine } from '../../../kernel/csv.js';
import { can } from '../../../modules/access/index.js';
import type { AuditFilter, AuditRecord, VerifyResult } from '../../../modules/audit/index.js';
import { CsrfField, pageContext, renderPage, type PageContext } from '../../components/layout.js';
import type { AppEnv } from '../../context.js';
import { initiatorOf } from '../../initiator.js';
import { WorkbenchLayout, requireCan } from '../shell.js';

const PAGE = 50;

function filterOf(c: Context<AppEnv>): AuditFilter {
  const q = (k: string) => (c.req.query(k) ?? '').trim().slice(0, 100) || undefined;
  const date = (k: string, endOfDay = false) => {
    const v = q(k);
    if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return undefined;
    // Dates are China Standard Time (UTC+8, no daylight saving).
    const d = new Date(`${v}T00:00:00+08:00`);
    return endOfDay ? new Date(d.getTime() + 86_400_000) : d;
  };
  return { actor: q('actor'), action: q('action'), targetType: q('targetType'), targetId: q('targetId'), from: date('from'), to: date('to', true) };
}

const fmt = (d: Date) => d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

const AuditPage: FC<{ ctx: PageContext; rows: readonly AuditRecord[]; query: Record<string, string>; verify?: VerifyResult }> = ({ ctx, rows, query, verify }) => {
  const { t } = ctx;
  const input = (name: string, label: string, type = 'text') => (
    <div class="field">
      <label for={`audit-${name}`}>{label}</label>
      <input id={`audit-${name}`} name={name} type={type} value={query[name] ?? ''} />
    </div>
  );
  const qs = new URLSearchParams(Object.entries(query).filter(([k, v]) => v && k !== 'before'));
  const next = rows.length === PAGE ? `/workbench/audit?${new URLSearchParams({ ...Object.fromEntries(qs), before: String(rows.at(-1)!.seq) })}` : undefined;
  return (
    <WorkbenchLayout ctx={ctx} title={t('audit.title')}>
      <h1>{t('audit.title')}</h1>
      {verify && (
        <p class={`alert ${verify.ok ? 'alert-info' : 'alert-error'}`} role="status">
          {verify.ok
            ? t('audit.verifyOk', { checked: verify.checked, lastSeq: verify.lastSeq })
            : t('audit.verifyBroken', { seq: verify.broken!.seq, reason: t(`audit.reason.${verify.broken!.reason}`) })}
        </p>
      )}
      <form method="get" action="/workbench/audit" class="toolbar" role="search">
        {input('actor', t('audit.actor'))}
        {input('action', t('audit.action'))}
        {input('targetType', t('audit.targetType'))}
        {input('targetId', t('audit.targetId'))}
        {input('from', t('audit.from'), 'date')}
        {input('to', t('audit.to'), 'date')}
        <button class="button button-secondary" type="submit">
          {t('wb.filter')}
        </button>
        {can(ctx.actor, 'audit.export') && (
          <a class="button button-secondary" href={`/workbench/audit/export.csv?${qs}`}>
            {t('wb.exportCsv')}
          </a>
        )}
      </form>
      {can(ctx.actor, 'audit.verify') && (
        <form method="post" action="/workbench/audit/verify" class="toolbar">
          <CsrfField token={ctx.csrfToken} />
          <button class="button button-secondary" type="submit">
            {t('audit.verify')}
          </button>
        </form>
      )}
      <div class="table-scroll">
        <table class="data">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('audit.at')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('audit.ip')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.target')}</th>
              <th scope="col">{t('audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>{r.seq}</td>
                <td>
                  <time datetime={r.at.toISOString()}>{fmt(r.at)}</time>
                </td>
                <td>{r.actorLabel}</td>
                <td>{r.ip ?? ''}</td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td>{r.targetType ? `${r.targetType}:${r.targetId}` : ''}</td>
                <td>
                  <code>{JSON.stringify(r.details)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 && <p class="muted">{t('wb.empty')}</p>}
      {next && (
        <p>
          <a href={next}>{t('wb.next')}</a>
        </p>
      )}
    </WorkbenchLayout>
  );
};

export function auditRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const page = async (c: Context<AppEnv>, verify?: VerifyResult) => {
    requireCan(c, 'audit.read');
    const before = Number(c.req.query('before')) || undefined;
    const rows = await c.get('services').audit.search(filterOf(c), { beforeSeq: before, limit: PAGE });
    return renderPage(c, <AuditPage ctx={pageContext(c)} rows={rows} query={c.req.query()} verify={verify} />);
  };

  app.get('/workbench/audit', (c) => page(c));

  app.post('/workbench/audit/verify', async (c) => {
    requireCan(c, 'audit.verify');
    const audit = c.get('services').audit;
    const result = await audit.verify();
    await audit.record({ action: 'audit.verify', details: { ok: result.ok, checked: result.checked, broken: result.broken ?? null } }, initiatorOf(c));
    return page(c, result);
  });

  app.get('/workbench/audit/export.csv', async (c) => {
    requireCan(c, 'audit.export');
    const audit = c.get('services').audit;
    const filter = filterOf(c);
    // Exporting the trail is itself on the trail.
    await audit.record({ action: 'audit.export', details: { filter: JSON.parse(JSON.stringify(filter)) } }, initiatorOf(c));
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`);
    return stream(c, async (s) => {
      await s.write(CSV_BOM + csvLine(['seq', 'at', 'actor_user_id', 'actor', 'ip', 'action', 'target_type', 'target_id', 'details', 'prev_hash', 'hash']));
      for await (const rows of audit.iterate(filter, 2000)) {
        await s.write(
          rows.map((r) => csvLine([r.seq, r.at, r.actorUserId, r.actorLabel, r.ip, r.action, r.targetType, r.targetId, JSON.stringify(r.details), r.prevHash, r.hash])).join(''),
        );
      }
    });
  });

  return app;
}
