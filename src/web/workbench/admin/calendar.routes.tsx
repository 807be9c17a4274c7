/**
 * Administration of the work calendar: a year of one level (the district or a unit) as a list of holidays and
 * make-up working days and as twelve month grids, with forms to add and remove entries, set the daily working
 * hours and publish a year. Every form posts to one use case of the calendar service and comes back here.
 */
import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import { cstDate, formatSessions, parseSessions, type CalendarOverview, type DayInfo, type DayKind } from '../../../modules/calendar/index.js';
import { hasMessage } from '../../../locales/index.js';
import { CsrfField, pageContext, renderPage, type PageContext } from '../../components/layout.js';
import type { AppEnv, Runtime } from '../../context.js';
import { initiatorOf } from '../../initiator.js';
import { Notice, ProblemAlert, attempt, readForm, text, type FormBody } from '../forms.js';
import { WorkbenchLayout, requireCan } from '../shell.js';

interface Where {
  readonly year: number;
  /** The unit's code; '' for the district. */
  readonly unit: string;
}

const address = (where: Where, extra: Record<string, string> = {}) =>
  `/workbench/calendar?${new URLSearchParams({ year: String(where.year), ...(where.unit ? { unit: where.unit } : {}), ...extra })}`;

const DoneKeys = ['added', 'removed', 'hours', 'cleared', 'published'] as const;

const Legend: FC<{ ctx: PageContext }> = ({ ctx }) => (
  <ul class="cal-legend" aria-label={ctx.t('calendar.legend')}>
    <li>
      <span class="cal-swatch cal-holiday">{ctx.t('calendar.mark.holiday')}</span> {ctx.t('calendar.legend.holiday')}
    </li>
    <li>
      <span class="cal-swatch cal-workday">{ctx.t('calendar.mark.workday')}</span> {ctx.t('calendar.legend.workday')}
    </li>
    <li>
      <span class="cal-swatch cal-weekend">6</span> {ctx.t('calendar.legend.weekend')}
    </li>
  </ul>
);

const dayClass = (d: DayInfo) =>
  d.exception?.kind === 'holiday' ? 'cal-holiday' : d.exception?.kind === 'workday' ? 'cal-workday' : d.working ? undefined : 'cal-weekend';

const Month: FC<{ ctx: PageContext; month: number; days: readonly DayInfo[] }> = ({ ctx, month, days }) => {
  const { t } = ctx;
  const cells: (DayInfo | null)[] = [...Array.from({ length: days[0]!.weekday - 1 }, () => null), ...days];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
  const wd = [1, 2, 3, 4, 5, 6, 7] as const;
  return (
    <table class="cal-month">
      <caption>{t('calendar.month', { month })}</caption>
      <thead>
        <tr>
          {wd.map((n) => (
            <th scope="col" abbr={t(`calendar.weekdayName.${n}`)}>
              {t(`calendar.wd.${n}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week) => (
          <tr>
            {week.map((d) =>
              d ? (
                <td class={dayClass(d)}>
                  {Number(d.date.slice(8))}
                  {d.exception && <span class="cal-mark">{t(`calendar.mark.${d.exception.kind}`)}</span>}
                </td>
              ) : (
                <td />
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
};

interface PageProps {
  readonly ctx: PageContext;
  readonly view: CalendarOverview;
  readonly yearChoices: readonly number[];
  /** Set in November and December while next year's schedule is not published. */
  readonly nextYearMissing?: number;
  readonly problems?: readonly string[];
  readonly notice?: string;
  /** Input to keep in the forms after a refused submission. */
  readonly form?: FormBody;
}

const CalendarPage: FC<PageProps> = ({ ctx, view, yearChoices, nextYearMissing, problems, notice, form }) => {
  const { t } = ctx;
  const where: Where = { year: view.year, unit: view.unit?.code ?? '' };
  const levelName = view.unit?.name ?? t('calendar.district');
  const levelId = view.unit?.id ?? null;
  const published = view.years.find((y) => y.year === view.year);
  const hidden = (
    <>
      <CsrfField token={ctx.csrfToken} />
      <input type="hidden" name="year" value={String(view.year)} />
      <input type="hidden" name="unit" value={where.unit} />
    </>
  );
  const kept = (name: string, fallback = '') => (form ? text(form, name) : fallback);
  const months = Array.from({ length: 12 }, (_, i) => view.days.filter((d) => Number(d.date.slice(5, 7)) === i + 1));
  const kind = (k: DayKind) => t(`calendar.kind.${k}`);
  return (
    <WorkbenchLayout ctx={ctx} title={t('calendar.title')}>
      <h1>{t('calendar.heading', { year: view.year, level: levelName })}</h1>
      <ProblemAlert lines={problems} />
      <Notice text={notice} />
      <form method="get" action="/workbench/calendar" class="toolbar">
        <div class="field">
          <label for="cal-year">{t('calendar.year')}</label>
          <select id="cal-year" name="year">
            {yearChoices.map((y) => (
              <option value={String(y)} selected={y === view.year}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="cal-unit">{t('calendar.unitCode')}</label>
          <input id="cal-unit" name="unit" type="text" value={where.unit} maxlength={40} />
        </div>
        <button class="button button-secondary" type="submit">
          {t('calendar.show')}
        </button>
      </form>
      {view.unit && (
        <p class="muted">
          {t('calendar.trail')}
          <a href={address({ ...where, unit: '' })}>{t('calendar.district')}</a>
          {view.ancestors.map((a) => (
            <>
              {' › '}
              <a href={address({ ...where, unit: a.code })}>{a.name}</a>
            </>
          ))}
          {' › '}
          {view.unit.name}
        </p>
      )}
      <p class="muted">{t('calendar.levelNote')}</p>

      {nextYearMissing && (
        <p class="alert alert-warn">
          {t('calendar.nextYearMissing', { year: nextYearMissing })} <a href={address({ ...where, year: nextYearMissing })}>{t('calendar.enterYear', { year: nextYearMissing })}</a>
        </p>
      )}
      {published ? (
        <p class="alert alert-info">
          {published.source ? t('calendar.published', { year: view.year, source: published.source }) : t('calendar.publishedNoSource', { year: view.year })}
        </p>
      ) : (
        <div class="alert alert-warn">
          <p>{t('calendar.unpublished', { year: view.year })}</p>
          <form method="post" action="/workbench/calendar/years" class="toolbar">
            {hidden}
            <div class="field">
              <label for="cal-publish-source">{t('calendar.source')}</label>
              <input id="cal-publish-source" name="source" type="text" maxlength={200} value={kept('source')} />
            </div>
            <button class="button" type="submit">
              {t('calendar.publish', { year: view.year })}
            </button>
          </form>
        </div>
      )}

      <h2 id="cal-months-heading">{t('calendar.months')}</h2>
      <p>
        {t('calendar.workingDays', { count: view.days.filter((d) => d.working).length })}
      </p>
      <Legend ctx={ctx} />
      <div class="cal-months">
        {months.map((days, i) => (
          <Month ctx={ctx} month={i + 1} days={days} />
        ))}
      </div>

      <h2 id="cal-exceptions-heading">{t('calendar.exceptions')}</h2>
      {view.exceptions.length === 0 ? (
        <p class="muted">{t('calendar.none')}</p>
      ) : (
        <div class="table-scroll">
          <table class="data">
            <caption>{t('calendar.exceptionsCaption', { year: view.year })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('calendar.date')}</th>
                <th scope="col">{t('calendar.weekday')}</th>
                <th scope="col">{t('calendar.kind')}</th>
                <th scope="col">{t('calendar.name')}</th>
                <th scope="col">{t('calendar.level')}</th>
                <th scope="col">{t('wb.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {view.exceptions.map((e) => {
                const weekday = view.days.find((d) => d.date === e.date)?.weekday ?? 1;
                return (
                  <tr>
                    <td>
                      <time datetime={e.date}>{e.date}</time>
                    </td>
                    <td>{t(`calendar.weekdayName.${weekday}` as never)}</td>
                    <td>
                      <span class={`pill cal-pill-${e.kind}`}>{kind(e.kind)}</span>
                    </td>
                    <td>{e.name}</td>
                    <td>{e.unit?.name ?? t('calendar.district')}</td>
                    <td>
                      {e.unitId === levelId ? (
                        <form method="post" action={`/workbench/calendar/exceptions/${e.id}/remove`} class="inline-form">
                          {hidden}
                          <button class="link-button" type="submit">
                            {t('calendar.remove')}
                            <span class="visually-hidden"> {t('calendar.removeLabel', { date: e.date, name: e.name })}</span>
                          </button>
                        </form>
                      ) : (
                        <span class="muted">{t('calendar.inherited')}</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <section class="card" aria-labelledby="cal-add-heading">
        <h2 id="cal-add-heading">{t('calendar.add')}</h2>
        <p class="muted">{t('calendar.addHelp')}</p>
        <form method="post" action="/workbench/calendar/exceptions" class="form">
          {hidden}
          <div class="field">
            <label for="cal-date">{t('calendar.date')}</label>
            <input id="cal-date" name="date" type="date" required min={`${view.year}-01-01`} max={`${view.year}-12-31`} value={kept('date')} />
          </div>
          <div class="field">
            <label for="cal-kind">{t('calendar.kind')}</label>
            <select id="cal-kind" name="kind">
              {(['holiday', 'workday'] as const).map((k) => (
                <option value={k} selected={kept('kind') === k}>
                  {kind(k)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="cal-name">{t('calendar.name')}</label>
            <input id="cal-name" name="name" type="text" required maxlength={50} value={kept('name')} />
          </div>
          <div class="field">
            <label for="cal-source">{t('calendar.source')}</label>
            <input id="cal-source" name="source" type="text" maxlength={200} value={form ? text(form, 'source') : ''} />
          </div>
          <button class="button" type="submit">
            {t('calendar.addSubmit')}
          </button>
        </form>
      </section>

      <section class="card" aria-labelledby="cal-hours-heading">
        <h2 id="cal-hours-heading">{t('calendar.hours')}</h2>
        <p>
          <strong>{formatSessions(view.sessions)}</strong> · {t('calendar.perDay', { hours: sessionHours(view) })} ·{' '}
          <span class="muted">
            {view.sessionsFrom?.id === levelId || (!view.unit && !view.sessionsFrom) ? t('calendar.hoursOwn') : t('calendar.hoursFrom', { level: view.sessionsFrom?.name ?? t('calendar.district') })}
          </span>
        </p>
        <form method="post" action="/workbench/calendar/hours" class="toolbar">
          {hidden}
          <div class="field">
            <label for="cal-sessions">{t('calendar.sessions')}</label>
            <input id="cal-sessions" name="sessions" type="text" maxlength={200} value={kept('sessions', formatSessions(view.sessions))} />
          </div>
          <button class="button" type="submit">
            {t('calendar.hoursSave')}
          </button>
        </form>
        {view.unit && view.sessionsFrom?.id === view.unit.id && (
          <form method="post" action="/workbench/calendar/hours/clear" class="toolbar">
            {hidden}
            <button class="button button-secondary" type="submit">
              {t('calendar.hoursClear')}
            </button>
          </form>
        )}
      </section>

      {view.overriddenUnits.length > 0 && (
        <>
          <h2>{t('calendar.overridden')}</h2>
          <ul class="town-list">
            {view.overriddenUnits.map((u) => (
              <li>
                <a href={address({ ...where, unit: u.code })} aria-current={u.id === levelId ? 'page' : undefined}>
                  {u.name}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </WorkbenchLayout>
  );
};

function sessionHours(view: CalendarOverview): string {
  const minutes = view.sessions.reduce((sum, s) => sum + toMinutes(s.end) - toMinutes(s.start), 0);
  return String(Math.round((minutes / 60) * 100) / 100);
}

const toMinutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

export function calendarAdminRoutes(runtime: Runtime): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const thisYear = () => Number(cstDate(runtime.clock.now()).slice(0, 4));

  function whereOf(year: string | undefined, unit: string | undefined): Where {
    const y = Number(year);
    return { year: Number.isInteger(y) && y >= 2000 && y <= 2100 ? y : thisYear(), unit: (unit ?? '').trim().slice(0, 40) };
  }

  async function unitIdOf(c: Context<AppEnv>, code: string): Promise<number | null> {
    return code ? (await c.get('services').organization.getUnitByCode(code)).id : null;
  }

  async function show(c: Context<AppEnv>, where: Where, extra: Partial<Omit<PageProps, 'ctx' | 'view' | 'yearChoices'>> = {}, status = 200) {
    const actor = requireCan(c, 'calendar.manage');
    const calendar = c.get('services').calendar;
    const t = c.get('t');
    let problems = extra.problems;
    let unitId: number | null = null;
    const found = await attempt(t, () => unitIdOf(c, where.unit));
    if (found.ok) unitId = found.value;
    else {
      problems = [...(problems ?? []), ...found.lines];
      where = { ...where, unit: '' };
      status = status === 200 ? 404 : status;
    }
    const view = await calendar.overview(actor, { year: where.year, unitId });
    const published = view.years.map((y) => y.year);
    const next = (published.length ? Math.max(...published) : thisYear()) + 1;
    const yearChoices = [...new Set([...published, thisYear(), next, view.year])].sort((a, b) => a - b);
    // The State Council publishes next year's schedule in early November; until it is entered, deadlines that
    // cross the year end are refused, so say so from November on.
    const month = Number(cstDate(runtime.clock.now()).slice(5, 7));
    const nextYearMissing = month >= 11 && !published.includes(thisYear() + 1) ? thisYear() + 1 : undefined;
    return renderPage(c, <CalendarPage ctx={pageContext(c)} view={view} yearChoices={yearChoices} nextYearMissing={nextYearMissing} {...extra} problems={problems} />, status);
  }

  app.get('/workbench/calendar', async (c) => {
    const done = c.req.query('done') ?? '';
    const t = c.get('t');
    const notice = (DoneKeys as readonly string[]).includes(done) && hasMessage(`calendar.done.${done}`) ? t(`calendar.done.${done}` as never) : undefined;
    return show(c, whereOf(c.req.query('year'), c.req.query('unit')), { notice });
  });

  /** Runs one change from a posted form: back to the page with a notice, or the page again with the problems. */
  const change = (path: string, done: (typeof DoneKeys)[number], run: (c: Context<AppEnv>, body: FormBody, where: Where, ctx: { actor: ReturnType<typeof requireCan>; by: ReturnType<typeof initiatorOf> }) => Promise<unknown>) =>
    app.post(path, async (c) => {
      const ctx = { actor: requireCan(c, 'calendar.manage'), by: initiatorOf(c) };
      const body = await readForm(c);
      const where = whereOf(text(body, 'year', 10), text(body, 'unit', 40));
      const result = await attempt(c.get('t'), () => run(c, body, where, ctx));
      if (!result.ok) return show(c, where, { problems: result.lines, form: body }, result.error.kind === 'NotFound' ? 404 : result.error.kind === 'Conflict' ? 409 : 422);
      return c.redirect(address(where, { done }), 303);
    });

  change('/workbench/calendar/exceptions', 'added', async (c, body, where, ctx) =>
    c.get('services').calendar.addException(ctx, {
      unitId: await unitIdOf(c, where.unit),
      date: text(body, 'date', 20),
      kind: text(body, 'kind', 20) as DayKind,
      name: text(body, 'name', 100),
      source: text(body, 'source', 300) || null,
    }),
  );

  change('/workbench/calendar/exceptions/:id{[0-9]+}/remove', 'removed', (c, _body, _where, ctx) => c.get('services').calendar.removeException(ctx, Number(c.req.param('id'))));

  change('/workbench/calendar/hours', 'hours', async (c, body, where, ctx) =>
    c.get('services').calendar.setWorkingHours(ctx, await unitIdOf(c, where.unit), parseSessions(text(body, 'sessions', 200))),
  );

  change('/workbench/calendar/hours/clear', 'cleared', async (c, _body, where, ctx) => {
    const unitId = await unitIdOf(c, where.unit);
    if (unitId === null) return c.get('services').calendar.clearWorkingHours(ctx, (await c.get('services').organization.listByKinds(['district']))[0]!.id);
    return c.get('services').calendar.clearWorkingHours(ctx, unitId);
  });

  change('/workbench/calendar/years', 'published', (c, body, where, ctx) => c.get('services').calendar.publishYear(ctx, where.year, text(body, 'source', 300) || null));

  return app;
}
