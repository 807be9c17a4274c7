/** Evaluation (考核评价): indicators per town or handling unit over a period, ranked; CSV and Excel export. */
import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import { CSV_BOM, csvLine } from '../../../kernel/csv.js';
import type { MessageKey, Translate } from '../../../locales/index.js';
import type { UnitScore } from '../../../modules/incidents/index.js';
import { pageContext, renderPage, type PageContext } from '../../components/layout.js';
import { formatDuration } from '../../components/format.js';
import type { AppEnv } from '../../context.js';
import { WorkbenchLayout, requireCan } from '../shell.js';

type Row = UnitScore & { unitName: string; unitCode: string; unitKind: string };

const CST = 8 * 3600_000;

/** The period from the query (dates in China Standard Time, `to` inclusive), defaulting to this month so far. */
function periodOf(c: Context<AppEnv>): { from: Date; to: Date; fromText: string; toText: string; by: 'town' | 'lead' } {
  const today = new Date(c.get('view').now().getTime() + CST).toISOString().slice(0, 10);
  const valid = (s: string | undefined) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) ? s : undefined);
  const fromText = valid(c.req.query('from')) ?? `${today.slice(0, 8)}01`;
  const toText = valid(c.req.query('to')) ?? today;
  return {
    from: new Date(`${fromText}T00:00:00+08:00`),
    to: new Date(new Date(`${toText}T00:00:00+08:00`).getTime() + 86_400_000),
    fromText,
    toText,
    by: c.req.query('by') === 'lead' ? 'lead' : 'town',
  };
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

const COLUMNS: readonly { key: MessageKey; value: (r: Row, t: Translate, locale: PageContext['locale']) => string | number }[] = [
  { key: 'stats.rank', value: (r) => r.rank ?? '—' },
  { key: 'stats.unit', value: (r) => r.unitName },
  { key: 'stats.received', value: (r) => r.received },
  { key: 'stats.closed', value: (r) => r.closed },
  { key: 'stats.onTimeRate', value: (r) => pct(r.onTimeRate) },
  { key: 'stats.closureRate', value: (r) => pct(r.closureRate) },
  { key: 'stats.reworkRate', value: (r) => pct(r.reworkRate) },
  { key: 'stats.returnRate', value: (r) => pct(r.returnRate) },
  { key: 'stats.satisfactionRate', value: (r) => pct(r.satisfactionRate) },
  { key: 'stats.openOverdue', value: (r) => r.openOverdue },
  { key: 'stats.medianHandle', value: (r, _t, locale) => (r.medianHandleSeconds === null ? '—' : formatDuration(r.medianHandleSeconds * 1000, locale)) },
];

const StatsPage: FC<{ ctx: PageContext; rows: readonly Row[]; period: ReturnType<typeof periodOf> }> = ({ ctx, rows, period }) => {
  const { t } = ctx;
  const qs = new URLSearchParams({ by: period.by, from: period.fromText, to: period.toText });
  return (
    <WorkbenchLayout ctx={ctx} title={t('inc.stats')}>
      <h1>{t('inc.stats')}</h1>
      <form method="get" action="/workbench/stats" class="toolbar">
        <div class="field">
          <label for="st-by">{t('stats.by')}</label>
          <select id="st-by" name="by">
            <option value="town" selected={period.by === 'town'}>
              {t('stats.byTown')}
            </option>
            <option value="lead" selected={period.by === 'lead'}>
              {t('stats.byLead')}
            </option>
          </select>
        </div>
        <div class="field">
          <label for="st-from">{t('audit.from')}</label>
          <input id="st-from" name="from" type="date" value={period.fromText} />
        </div>
        <div class="field">
          <label for="st-to">{t('audit.to')}</label>
          <input id="st-to" name="to" type="date" value={period.toText} />
        </div>
        <button class="button button-secondary" type="submit">
          {t('wb.filter')}
        </button>
        <a class="button button-secondary" href={`/workbench/stats.csv?${qs}`}>
          {t('wb.exportCsv')}
        </a>
        <a class="button button-secondary" href={`/workbench/stats.xlsx?${qs}`}>
          {t('stats.exportXlsx')}
        </a>
      </form>
      <p class="muted">{t('stats.definition')}</p>
      {rows.length === 0 ? (
        <p class="muted">{t('wb.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table class="data">
            <caption class="visually-hidden">{t('inc.stats')}</caption>
            <thead>
              <tr>
                {COLUMNS.map((col) => (
                  <th scope="col">{t(col.key)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  {COLUMNS.map((col) => (
                    <td>{col.value(r, t, ctx.locale)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </WorkbenchLayout>
  );
};

export function statsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const load = async (c: Context<AppEnv>) => {
    const actor = requireCan(c, 'stats.read');
    const period = periodOf(c);
    const rows = await c.get('services').incidents.evaluate(actor, period);
    return { period, rows };
  };

  app.get('/workbench/stats', async (c) => {
    const { period, rows } = await load(c);
    return renderPage(c, <StatsPage ctx={pageContext(c)} rows={rows} period={period} />);
  });

  app.get('/workbench/stats.csv', async (c) => {
    const { period, rows } = await load(c);
    const t = c.get('t');
    const locale = c.get('locale');
    const body = CSV_BOM + csvLine(['code', ...COLUMNS.map((col) => t(col.key))]) + rows.map((r) => csvLine([r.unitCode, ...COLUMNS.map((col) => col.value(r, t, locale))])).join('');
    return c.body(body, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="evaluation-${period.by}-${period.fromText}-${period.toText}.csv"`,
    });
  });

  app.get('/workbench/stats.xlsx', async (c) => {
    const { period, rows } = await load(c);
    const t = c.get('t');
    // Loaded on the first export, not at start: the library alone costs half a second of every start.
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    book.creator = 'Zhizhi';
    const sheet = book.addWorksheet(t('inc.stats'));
    sheet.columns = [
      { header: t('stats.rank'), key: 'rank', width: 6 },
      { header: t('stats.unit'), key: 'unit', width: 28 },
      { header: 'code', key: 'code', width: 16 },
      { header: t('stats.received'), key: 'received', width: 10 },
      { header: t('stats.closed'), key: 'closed', width: 10 },
      { header: t('stats.onTimeRate'), key: 'onTime', width: 12, style: { numFmt: '0.0%' } },
      { header: t('stats.closureRate'), key: 'closure', width: 12, style: { numFmt: '0.0%' } },
      { header: t('stats.reworkRate'), key: 'rework', width: 12, style: { numFmt: '0.0%' } },
      { header: t('stats.returnRate'), key: 'return', width: 12, style: { numFmt: '0.0%' } },
      { header: t('stats.satisfactionRate'), key: 'satisfaction', width: 12, style: { numFmt: '0.0%' } },
      { header: t('stats.openOverdue'), key: 'overdue', width: 10 },
      { header: `${t('stats.medianHandle')} (h)`, key: 'median', width: 14, style: { numFmt: '0.0' } },
    ];
    sheet.getRow(1).font = { bold: true };
    for (const r of rows) {
      sheet.addRow({
        rank: r.rank,
        unit: r.unitName,
        code: r.unitCode,
        received: r.received,
        closed: r.closed,
        onTime: r.onTimeRate,
        closure: r.closureRate,
        rework: r.reworkRate,
        return: r.returnRate,
        satisfaction: r.satisfactionRate,
        overdue: r.openOverdue,
        median: r.medianHandleSeconds === null ? null : r.medianHandleSeconds / 3600,
      });
    }
    const buffer = await book.xlsx.writeBuffer();
    return c.body(new Uint8Array(buffer as ArrayBuffer), 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="evaluation-${period.by}-${period.fromText}-${period.toText}.xlsx"`,
    });
  });

  return app;
}
