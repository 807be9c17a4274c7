/**
 * The lifeline pages of the workbench: the district center's board (map and active alarms, refreshed every second
 * by lifeline.js, and complete without it), the alarm list and alarm page with its actions, assets and sensors
 * with charts, imports, statistics, device credentials and alarm rules. Each page only validates input, calls a
 * lifeline use case and presents the result.
 */
import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { DomainError } from '../../../kernel/errors.js';
import { can } from '../../../modules/access/index.js';
import {
  ALARM_ACTIONS,
  ASSET_KINDS,
  RISK_LEVELS,
  type AlarmAction,
  type AlarmDetail,
  type AlarmFilter,
  type AlarmRule,
  type AssetImportResult,
  type AssetKind,
  type Credential,
  type Grade,
  type RiskLevel,
  type SensorProfile,
} from '../../../modules/lifeline/index.js';
import { formatDateTime, formatDuration } from '../../components/format.js';
import { CsrfField, pageContext, renderPage, type PageContext } from '../../components/layout.js';
import type { AppEnv } from '../../context.js';
import { initiatorOf } from '../../initiator.js';
import { ImportProblemTable, Notice, ProblemAlert, attempt, file, readForm, text } from '../forms.js';
import { WorkbenchLayout, requireCan } from '../shell.js';
import { AlarmTable, GradeBadge, LifelineMap, SeriesChart, StatusBadge, fmtNumber, label, thresholdsOf } from './lifeline-components.js';

const BASE = '/workbench/lifeline';

const Assets: FC<{ ctx: PageContext; script?: boolean }> = ({ ctx, script }) => (
  <>
    <link rel="stylesheet" href={ctx.view.asset('lifeline.css')} />
    {script && <script src={ctx.view.asset('lifeline.js')} defer />}
  </>
);

const idParam = (c: Context<AppEnv>) => {
  const id = Number(c.req.param('id'));
  return Number.isInteger(id) && id > 0 ? id : 0;
};

// ---------------------------------------------------------------------------------------------------- the board

async function liveData(c: Context<AppEnv>) {
  const actor = requireCan(c, 'alarm.read');
  const lifeline = c.get('services').lifeline;
  const [alarms, assets] = await Promise.all([
    lifeline.alarms.list(actor, { status: 'active' }, { limit: 500 }),
    can(actor, 'asset.read') ? lifeline.assets.mapItems(actor) : Promise.resolve([]),
  ]);
  return { alarms, assets };
}

const Live: FC<{ ctx: PageContext; data: Awaited<ReturnType<typeof liveData>>; now: Date }> = ({ ctx, data, now }) => (
  <>
    <p class="muted ll-updated">{ctx.t('ll.board.updated', { time: formatDateTime(now, ctx.locale) })}</p>
    <div class="ll-board">
      <section class="card" aria-labelledby="ll-map-h">
        <h2 id="ll-map-h">{ctx.t('ll.board.map')}</h2>
        <LifelineMap ctx={ctx} assets={data.assets} alarms={data.alarms} id="ll-board-map" />
      </section>
      <section class="card" aria-labelledby="ll-active-h">
        <h2 id="ll-active-h">
          {ctx.t('ll.board.active')} <span class="pill">{data.alarms.length}</span>
        </h2>
        {data.alarms.length ? <AlarmTable ctx={ctx} alarms={data.alarms} /> : <p class="muted">{ctx.t('ll.board.noActive')}</p>}
      </section>
    </div>
  </>
);

// ---------------------------------------------------------------------------------------------------- alarms

const ALARM_EVENT_TEXT = (ctx: PageContext, e: AlarmDetail['events'][number]) =>
  e.kind === 'incident_opened' ? ctx.t('ll.event.incident_opened', { number: String(e.details.number ?? '') }) : label(ctx, `ll.event.${e.kind}`);

const AlarmPage: FC<{ ctx: PageContext; detail: AlarmDetail; chart: Awaited<ReturnType<typeof sensorChart>>; problems?: string[]; notice?: string }> = ({ ctx, detail, chart, problems, notice }) => {
  const { t } = ctx;
  const a = detail.alarm;
  const title = t('ll.alarm.title', { id: a.id });
  return (
    <WorkbenchLayout ctx={ctx} title={title} crumbs={[{ label: t('ll.alarms.title'), href: `${BASE}/alarms` }, { label: title }]}>
      <Assets ctx={ctx} />
      <h1>
        {title} <GradeBadge ctx={ctx} grade={a.grade} /> <StatusBadge ctx={ctx} alarm={a} />
      </h1>
      <ProblemAlert lines={problems} />
      <Notice text={notice} />
      <div class="grid-2">
        <section class="card" aria-labelledby="ll-facts">
          <h2 id="ll-facts">{t('ll.alarm.facts')}</h2>
          <dl class="facts">
            <dt>{t('ll.col.asset')}</dt>
            <dd>
              <a href={`${BASE}/assets/${a.assetId}`}>{a.assetName}</a> <span class="muted">{label(ctx, `ll.assetKind.${a.assetKind}`)}</span>
            </dd>
            <dt>{t('ll.col.sensor')}</dt>
            <dd>
              <a href={`${BASE}/sensors/${a.sensorId}`}>
                <code>{a.sensorCode}</code>
              </a>{' '}
              {label(ctx, `ll.quantity.${a.quantity}`)}
            </dd>
            <dt>{t('ll.col.type')}</dt>
            <dd>
              {a.type} ({label(ctx, `ll.ruleKind.${a.ruleKind}`)})
            </dd>
            <dt>{t('ll.alarm.highest')}</dt>
            <dd>
              <GradeBadge ctx={ctx} grade={a.highestGrade} />
            </dd>
            <dt>{t('ll.alarm.trigger')}</dt>
            <dd>
              {fmtNumber(a.triggerValue)} {a.unit}
            </dd>
            <dt>{t('ll.col.value')}</dt>
            <dd>
              {fmtNumber(a.lastValue)} {a.unit} <span class="muted">{formatDateTime(a.lastReadingAt, ctx.locale)}</span>
            </dd>
            <dt>{t('ll.col.raisedAt')}</dt>
            <dd>{formatDateTime(a.raisedAt, ctx.locale)}</dd>
            <dt>{t('ll.col.owner')}</dt>
            <dd>{a.ownerUnitName}</dd>
            <dt>{t('ll.col.judgement')}</dt>
            <dd>
              {a.judgement ? label(ctx, `ll.judgement.${a.judgement}`) : t('ll.judgement.none')}
              {a.judgementReason && <span class="muted"> — {a.judgementReason}</span>}
            </dd>
            {a.judgement === 'confirmed' && (
              <>
                <dt>{t('ll.alarm.incident')}</dt>
                <dd>
                  {a.incidentId ? (
                    <a href={`/workbench/incidents/${a.incidentId}`}>{a.incidentNumber}</a>
                  ) : (
                    <span class="alert-inline">{t('ll.alarm.incidentPending', { error: a.incidentError ?? '' })}</span>
                  )}
                </dd>
              </>
            )}
          </dl>
        </section>
        {detail.actions.length > 0 && (
          <section class="card" aria-labelledby="ll-actions">
            <h2 id="ll-actions">{t('wb.actions')}</h2>
            <form method="post" action={`${BASE}/alarms/${a.id}/act`} class="form">
              <CsrfField token={ctx.csrfToken} />
              {detail.actions.some((x) => x !== 'acknowledge' && x !== 'retry_incident') && (
                <div class="field">
                  <label for="reason">{t('ll.alarm.reason')}</label>
                  <textarea id="reason" name="reason" rows={3} aria-describedby="reason-help"></textarea>
                  <p id="reason-help" class="muted">
                    {t('ll.alarm.reasonHelp')}
                  </p>
                </div>
              )}
              <div class="ll-buttons">
                {detail.actions.map((x) => (
                  <button type="submit" name="action" value={x} class={`button ${x === 'confirm' ? 'button-danger' : x === 'acknowledge' ? '' : 'button-secondary'}`}>
                    {label(ctx, `ll.action.${x}`)}
                  </button>
                ))}
              </div>
            </form>
          </section>
        )}
      </div>
      <section aria-labelledby="ll-chart-h">
        <h2 id="ll-chart-h">{t('ll.alarm.chart')}</h2>
        <ChartBlock ctx={ctx} chart={chart} id="ll-alarm-chart" />
      </section>
      <section aria-labelledby="ll-history">
        <h2 id="ll-history">{t('ll.alarm.history')}</h2>
        <ol class="ll-timeline">
          {detail.events.map((e) => (
            <li>
              <time datetime={e.at.toISOString()}>{formatDateTime(e.at, ctx.locale)}</time> {ALARM_EVENT_TEXT(ctx, e)}
              {e.grade && (
                <>
                  {' '}
                  <GradeBadge ctx={ctx} grade={e.grade} />
                </>
              )}
              {e.value !== null && <span class="muted"> {fmtNumber(e.value)} {a.unit}</span>}
              <span class="muted"> · {e.actorName ?? (e.details.auto ? `${t('ll.event.system')}${t('ll.event.auto')}` : t('ll.event.system'))}</span>
              {typeof e.details.reason === 'string' && e.details.reason && <span> — {e.details.reason}</span>}
              {typeof e.details.message === 'string' && <span class="muted"> — {e.details.message}</span>}
            </li>
          ))}
        </ol>
      </section>
      {detail.notifications.length > 0 && (
        <section aria-labelledby="ll-notify">
          <h2 id="ll-notify">{t('ll.alarm.notifications')}</h2>
          <ul>
            {detail.notifications.map((n) => (
              <li>
                {n.unit_name} · {label(ctx, `ll.event.${n.event_kind === 'escalated' ? 'grade_changed' : n.event_kind}`)} · {n.delivered_at ? `${t('ll.notify.delivered')} ${formatDateTime(n.delivered_at, ctx.locale)}` : t('ll.notify.pending')}
              </li>
            ))}
          </ul>
        </section>
      )}
    </WorkbenchLayout>
  );
};

// ---------------------------------------------------------------------------------------------------- charts

const RANGES = { '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
type RangeKey = keyof typeof RANGES;

async function sensorChart(c: Context<AppEnv>, sensorId: number, from: Date, to: Date, marks: { t: number; grade: Grade }[] = []) {
  const actor = requireCan(c, 'asset.read');
  const lifeline = c.get('services').lifeline;
  const { sensor, profile } = await lifeline.assets.getSensor(actor, sensorId);
  const series = await lifeline.telemetry.series(actor, sensorId, from, to);
  return { sensor, profile, series, from: from.getTime(), to: to.getTime(), marks };
}

const ChartBlock: FC<{ ctx: PageContext; chart: Awaited<ReturnType<typeof sensorChart>>; id: string }> = ({ ctx, chart, id }) => {
  const { sensor, profile, series } = chart;
  const pts = series.points;
  if (pts.length === 0) return <p class="muted">{ctx.t('ll.sensor.noData')}</p>;
  const last = pts[pts.length - 1]!;
  return (
    <>
      <SeriesChart
        ctx={ctx}
        id={id}
        title={ctx.t('ll.chart.title', { sensor: sensor.code })}
        points={pts}
        from={chart.from}
        to={chart.to}
        unit={sensor.unit}
        thresholds={thresholdsOf(profile.rules, sensor.baseline)}
        marks={chart.marks}
        band={series.resolution !== 'raw'}
      />
      <p class="figure-note">
        {label(ctx, `ll.sensor.resolution.${series.resolution}`).replace('{bin}', String(series.binSeconds))}{' '}
        {ctx.t('ll.sensor.summary', { n: pts.length, min: fmtNumber(Math.min(...pts.map((p) => p.min))), max: fmtNumber(Math.max(...pts.map((p) => p.max))), last: fmtNumber(last.avg), unit: sensor.unit })}
      </p>
    </>
  );
};

const RuleList: FC<{ ctx: PageContext; rules: readonly AlarmRule[]; unit: string }> = ({ ctx, rules, unit }) => (
  <table class="data">
    <thead>
      <tr>
        <th scope="col">{ctx.t('ll.col.type')}</th>
        <th scope="col">{ctx.t('ll.rule.levels')}</th>
        <th scope="col">{ctx.t('ll.rule.conditions')}</th>
      </tr>
    </thead>
    <tbody>
      {rules.map((r) => (
        <tr>
          <td>
            <code>{r.key}</code> {label(ctx, `ll.ruleKind.${r.kind}`)}
            {r.kind !== 'silence' && <span class="muted"> {r.direction}</span>}
          </td>
          <td>
            {r.kind === 'silence' ? (
              <GradeBadge ctx={ctx} grade={r.grade} />
            ) : (
              r.levels.map((l) => (
                <span class="ll-level">
                  <GradeBadge ctx={ctx} grade={l.grade} /> {fmtNumber(l.value)} {r.kind === 'deviation' ? '%' : r.kind === 'rate' ? `${unit}/min` : unit}
                </span>
              ))
            )}
          </td>
          <td>
            {r.kind === 'silence'
              ? ctx.t('ll.rule.silence', { n: r.factor })
              : [
                  r.forSeconds ? ctx.t('ll.rule.forSeconds', { n: r.forSeconds }) : null,
                  r.count > 1 ? ctx.t('ll.rule.count', { n: r.count }) : null,
                  r.hysteresis ? ctx.t('ll.rule.hysteresis', { n: r.hysteresis }) : null,
                  r.clearForSeconds || r.clearCount > 1 ? ctx.t('ll.rule.clear', { s: r.clearForSeconds, n: r.clearCount }) : null,
                  r.kind === 'rate' ? ctx.t('ll.rule.window', { n: r.windowSeconds }) : null,
                  r.kind === 'deviation' ? ctx.t('ll.rule.deviation') : null,
                ]
                  .filter(Boolean)
                  .join('；')}
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);

// ---------------------------------------------------------------------------------------------------- assets

const ImportCard: FC<{ ctx: PageContext; result?: AssetImportResult; error?: DomainError; problems?: string[] }> = ({ ctx, result, error, problems }) => {
  const { t } = ctx;
  const rows = error?.details.fields ?? [];
  return (
    <section class="card" aria-labelledby="ll-import">
      <h2 id="ll-import">{t('ll.assets.import')}</h2>
      <p class="muted">{t('ll.assets.importHelp')}</p>
      {result && <Notice text={t('ll.assets.importDone', { ac: result.assets.created, au: result.assets.updated, sc: result.sensors.created, su: result.sensors.updated })} />}
      <ProblemAlert lines={problems?.length ? [problems[0]!] : undefined} />
      <ImportProblemTable t={ctx.t} rows={rows} linesFromPath={false} />
      <form method="post" action={`${BASE}/assets/import`} enctype="multipart/form-data" class="form">
        <CsrfField token={ctx.csrfToken} />
        <fieldset>
          <legend>{t('ll.assets.importWhat')}</legend>
          {(['assets', 'sensors', 'geojson'] as const).map((w, i) => (
            <label class="ll-radio">
              <input type="radio" name="what" value={w} checked={i === 0} /> {t(w === 'assets' ? 'll.assets.importAssets' : w === 'sensors' ? 'll.assets.importSensors' : 'll.assets.importGeoJson')}
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for="ll-file">{t('ll.assets.importFile')}</label>
          <input id="ll-file" name="file" type="file" accept=".csv,.geojson,.json,text/csv,application/geo+json,application/json" required />
        </div>
        <button class="button" type="submit">
          {t('ll.assets.importSubmit')}
        </button>
      </form>
    </section>
  );
};

async function assetsPage(c: Context<AppEnv>, extra: { result?: AssetImportResult; error?: DomainError; problems?: string[] } = {}) {
  const actor = requireCan(c, 'asset.read');
  const ctx = pageContext(c);
  const kind = (ASSET_KINDS as readonly string[]).includes(c.req.query('kind') ?? '') ? (c.req.query('kind') as AssetKind) : undefined;
  const risk = (RISK_LEVELS as readonly string[]).includes(c.req.query('risk') ?? '') ? (c.req.query('risk') as RiskLevel) : undefined;
  const q = (c.req.query('q') ?? '').trim().slice(0, 50);
  const lifeline = c.get('services').lifeline;
  const [assets, active] = await Promise.all([lifeline.assets.listAssets(actor, { kind, riskLevel: risk, text: q || undefined }), can(actor, 'alarm.read') ? lifeline.alarms.activeByAsset(actor) : Promise.resolve(new Map())]);
  const { t } = ctx;
  return renderPage(
    c,
    <WorkbenchLayout ctx={ctx} title={t('ll.assets.title')}>
      <Assets ctx={ctx} />
      <h1>{t('ll.assets.title')}</h1>
      <form method="get" action={`${BASE}/assets`} class="filters">
        <div class="field">
          <label for="f-kind">{t('ll.col.kind')}</label>
          <select id="f-kind" name="kind">
            <option value="">{t('ll.alarms.all')}</option>
            {ASSET_KINDS.map((k) => (
              <option value={k} selected={k === kind}>
                {label(ctx, `ll.assetKind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-risk">{t('ll.col.risk')}</label>
          <select id="f-risk" name="risk">
            <option value="">{t('ll.alarms.all')}</option>
            {RISK_LEVELS.map((r) => (
              <option value={r} selected={r === risk}>
                {label(ctx, `ll.risk.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-q">{t('wb.search')}</label>
          <input id="f-q" name="q" value={q} />
        </div>
        <button class="button" type="submit">
          {t('ll.assets.filter')}
        </button>
      </form>
      {assets.length === 0 ? (
        <p class="muted">{t('ll.assets.none')}</p>
      ) : (
        <div class="table-scroll">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{t('ll.col.code')}</th>
                <th scope="col">{t('ll.col.name')}</th>
                <th scope="col">{t('ll.col.kind')}</th>
                <th scope="col">{t('ll.col.risk')}</th>
                <th scope="col">{t('ll.col.owner')}</th>
                <th scope="col">{t('ll.col.area')}</th>
                <th scope="col">{t('ll.board.active')}</th>
              </tr>
            </thead>
            <tbody>
              {assets.map((a) => {
                const act = active.get(a.id);
                return (
                  <tr>
                    <td>
                      <code>{a.code}</code>
                    </td>
                    <td>
                      <a href={`${BASE}/assets/${a.id}`}>{a.name}</a> {a.isDemo && <span class="badge badge-demo">{t('site.demoBadge')}</span>}
                    </td>
                    <td>{label(ctx, `ll.assetKind.${a.kind}`)}</td>
                    <td>
                      <span class={`pill risk-pill risk-${a.riskLevel}`}>{label(ctx, `ll.risk.${a.riskLevel}`)}</span>
                    </td>
                    <td>{a.ownerUnitName}</td>
                    <td>{a.areaUnitName ?? ''}</td>
                    <td>
                      {act ? (
                        <>
                          <GradeBadge ctx={ctx} grade={act.grade} /> × {act.count}
                        </>
                      ) : (
                        ''
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {can(actor, 'asset.manage') && <ImportCard ctx={ctx} {...extra} />}
    </WorkbenchLayout>,
    extra.error ? 422 : 200,
  );
}

// ---------------------------------------------------------------------------------------------------- credentials, profiles

async function credentialsPage(c: Context<AppEnv>, extra: { problems?: string[]; notice?: string } = {}) {
  const actor = requireCan(c, 'asset.manage');
  const ctx = pageContext(c);
  const { t } = ctx;
  const list: Credential[] = await c.get('services').lifeline.assets.listCredentials(actor);
  return renderPage(
    c,
    <WorkbenchLayout ctx={ctx} title={t('ll.cred.title')}>
      <Assets ctx={ctx} />
      <h1>{t('ll.cred.title')}</h1>
      <p class="muted">{t('ll.cred.lead')}</p>
      <ProblemAlert lines={extra.problems} />
      {extra.notice && (
        <p class="alert alert-info ll-secret" role="status">
          {extra.notice}
        </p>
      )}
      {list.length === 0 ? (
        <p class="muted">{t('ll.cred.none')}</p>
      ) : (
        <div class="table-scroll">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{t('ll.cred.key')}</th>
                <th scope="col">{t('ll.cred.name')}</th>
                <th scope="col">{t('ll.cred.kind')}</th>
                <th scope="col">{t('ll.col.owner')}</th>
                <th scope="col">{t('wb.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((x) => (
                <tr>
                  <td>
                    <code>{x.key}</code>
                  </td>
                  <td>{x.name}</td>
                  <td>
                    {label(ctx, `ll.cred.kind.${x.kind}`)} {x.sensorCode && <code>{x.sensorCode}</code>}
                  </td>
                  <td>{x.unitName}</td>
                  <td>
                    {x.revokedAt ? (
                      <span class="pill pill-retired">{t('ll.cred.revoked')}</span>
                    ) : (
                      <form method="post" action={`${BASE}/credentials/${x.id}/revoke`} class="inline-form">
                        <CsrfField token={ctx.csrfToken} />
                        <button class="button button-secondary" type="submit" aria-label={`${t('ll.cred.revoke')} ${x.key}`}>
                          {t('ll.cred.revoke')}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section class="card" aria-labelledby="ll-cred-new">
        <h2 id="ll-cred-new">{t('ll.cred.create')}</h2>
        <form method="post" action={`${BASE}/credentials`} class="form">
          <CsrfField token={ctx.csrfToken} />
          <div class="field">
            <label for="c-key">{t('ll.cred.key')}</label>
            <input id="c-key" name="key" required pattern="[A-Za-z0-9_\-]{3,64}" />
          </div>
          <div class="field">
            <label for="c-name">{t('ll.cred.name')}</label>
            <input id="c-name" name="name" required />
          </div>
          <fieldset>
            <legend>{t('ll.cred.kind')}</legend>
            <label class="ll-radio">
              <input type="radio" name="kind" value="gateway" checked /> {t('ll.cred.kind.gateway')}
            </label>
            <label class="ll-radio">
              <input type="radio" name="kind" value="sensor" /> {t('ll.cred.kind.sensor')}
            </label>
          </fieldset>
          <div class="field">
            <label for="c-unit">{t('ll.cred.unit')}</label>
            <input id="c-unit" name="unitCode" />
          </div>
          <div class="field">
            <label for="c-sensor">{t('ll.cred.sensor')}</label>
            <input id="c-sensor" name="sensorCode" />
          </div>
          <button class="button" type="submit">
            {t('ll.cred.create')}
          </button>
        </form>
      </section>
    </WorkbenchLayout>,
    extra.problems ? 422 : 200,
  );
}

async function profilePage(c: Context<AppEnv>, profile: SensorProfile, extra: { problems?: string[]; notice?: string; draft?: string } = {}) {
  const actor = requireCan(c, 'asset.read');
  const ctx = pageContext(c);
  const { t } = ctx;
  const editable = can(actor, 'asset.manage') && actor.posts.some((p) => p.role === 'admin');
  return renderPage(
    c,
    <WorkbenchLayout ctx={ctx} title={profile.name} crumbs={[{ label: t('ll.profiles.title'), href: `${BASE}/profiles` }, { label: profile.name }]}>
      <Assets ctx={ctx} />
      <h1>
        {profile.name} <code>{profile.code}</code>
      </h1>
      <ProblemAlert lines={extra.problems} />
      <Notice text={extra.notice} />
      <p>{label(ctx, `ll.quantity.${profile.quantity}`)}</p>
      <RuleList ctx={ctx} rules={profile.rules} unit="" />
      {editable && (
        <details class="card" open={!!extra.problems}>
          <summary>{t('ll.profile.edit')}</summary>
          <form method="post" action={`${BASE}/profiles/${profile.id}`} class="form">
            <CsrfField token={ctx.csrfToken} />
            <div class="field">
              <label for="p-rules">{t('ll.profile.rules')}</label>
              <textarea id="p-rules" name="rules" rows={18} class="mono">
                {extra.draft ?? JSON.stringify(profile.rules, null, 2)}
              </textarea>
            </div>
            <button class="button" type="submit">
              {t('ll.profile.save')}
            </button>
          </form>
        </details>
      )}
    </WorkbenchLayout>,
    extra.problems ? 422 : 200,
  );
}

// ---------------------------------------------------------------------------------------------------- routes

export function lifelineRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get(BASE, async (c) => {
    const data = await liveData(c);
    const ctx = pageContext(c);
    return renderPage(
      c,
      <WorkbenchLayout ctx={ctx} title={ctx.t('ll.board.title')}>
        <Assets ctx={ctx} script />
        <h1>{ctx.t('ll.board.title')}</h1>
        <p class="lead">{ctx.t('ll.board.lead')}</p>
        <div id="ll-live" data-live-src={`${BASE}/live`}>
          <Live ctx={ctx} data={data} now={new Date()} />
        </div>
      </WorkbenchLayout>,
    );
  });

  // The board's live part alone, fetched every second by lifeline.js.
  app.get(`${BASE}/live`, async (c) => {
    const data = await liveData(c);
    c.header('Cache-Control', 'no-store');
    const html = await (<Live ctx={pageContext(c)} data={data} now={new Date()} />).toString();
    return c.html(html);
  });

  app.get(`${BASE}/alarms`, async (c) => {
    const actor = requireCan(c, 'alarm.read');
    const ctx = pageContext(c);
    const { t } = ctx;
    const status = c.req.query('status');
    const grade = Number(c.req.query('grade'));
    const judgement = c.req.query('judgement');
    const filter: AlarmFilter = {
      status: status === 'active' || status === 'cleared' ? status : undefined,
      grade: [1, 2, 3, 4].includes(grade) ? (grade as Grade) : undefined,
      judgement: judgement === 'confirmed' || judgement === 'false_alarm' || judgement === 'none' ? judgement : undefined,
    };
    const alarms = await c.get('services').lifeline.alarms.list(actor, filter, { limit: 200 });
    const select = (name: string, id: string, labelKey: string, options: [string, string][], current: string | undefined) => (
      <div class="field">
        <label for={id}>{label(ctx, labelKey)}</label>
        <select id={id} name={name}>
          <option value="">{t('ll.alarms.all')}</option>
          {options.map(([v, l]) => (
            <option value={v} selected={v === current}>
              {l}
            </option>
          ))}
        </select>
      </div>
    );
    return renderPage(
      c,
      <WorkbenchLayout ctx={ctx} title={t('ll.alarms.title')}>
        <Assets ctx={ctx} />
        <h1>{t('ll.alarms.title')}</h1>
        <form method="get" action={`${BASE}/alarms`} class="filters">
          {select('status', 'f-status', 'll.alarms.filterStatus', [['active', t('ll.status.active')], ['cleared', t('ll.status.cleared')]], filter.status)}
          {select('grade', 'f-grade', 'll.alarms.filterGrade', [1, 2, 3, 4].map((g) => [String(g), label(ctx, `ll.grade.${g}`)]), filter.grade ? String(filter.grade) : undefined)}
          {select('judgement', 'f-judgement', 'll.alarms.filterJudgement', [['none', t('ll.judgement.none')], ['confirmed', t('ll.judgement.confirmed')], ['false_alarm', t('ll.judgement.false_alarm')]], filter.judgement)}
          <button class="button" type="submit">
            {t('wb.filter')}
          </button>
        </form>
        {alarms.length ? <AlarmTable ctx={ctx} alarms={alarms} /> : <p class="muted">{t('ll.alarms.none')}</p>}
      </WorkbenchLayout>,
    );
  });

  const showAlarm = async (c: Context<AppEnv>, extra: { problems?: string[]; notice?: string } = {}, status = 200) => {
    const actor = requireCan(c, 'alarm.read');
    const detail = await c.get('services').lifeline.alarms.get(actor, idParam(c));
    const a = detail.alarm;
    const from = new Date(a.raisedAt.getTime() - 30 * 60_000);
    const to = new Date(Math.max((a.clearedAt ?? new Date()).getTime(), a.raisedAt.getTime() + 10 * 60_000));
    const chart = await sensorChart(c, a.sensorId, from, to, [{ t: a.raisedAt.getTime(), grade: a.highestGrade }]);
    return renderPage(c, <AlarmPage ctx={pageContext(c)} detail={detail} chart={chart} {...extra} />, status);
  };

  app.get(`${BASE}/alarms/:id`, (c) => showAlarm(c, c.req.query('done') ? { notice: pageContext(c).t('ll.alarm.done') } : {}));

  app.post(`${BASE}/alarms/:id/act`, async (c) => {
    const actor = requireCan(c, 'alarm.read');
    const body = await readForm(c);
    const action = text(body, 'action', 40) as AlarmAction;
    const ctx = pageContext(c);
    if (!ALARM_ACTIONS.includes(action)) return showAlarm(c, { problems: [ctx.t('error.badRequest.title')] }, 400);
    const r = await attempt(ctx.t, () => c.get('services').lifeline.alarms.act({ actor, by: initiatorOf(c) }, idParam(c), action, { reason: text(body, 'reason', 1000) }));
    if (!r.ok) return showAlarm(c, { problems: r.lines }, r.error.kind === 'Conflict' ? 409 : 422);
    return c.redirect(`${BASE}/alarms/${idParam(c)}?done=1`, 303);
  });

  app.get(`${BASE}/assets`, (c) => assetsPage(c));

  app.post(`${BASE}/assets/import`, async (c) => {
    const actor = requireCan(c, 'asset.manage');
    const body = await readForm(c);
    const what = text(body, 'what', 20);
    const f = file(body, 'file');
    const ctx = pageContext(c);
    const bytes = f ? new Uint8Array(await f.arrayBuffer()) : new Uint8Array();
    const services = c.get('services').lifeline.assets;
    const r = await attempt(ctx.t, () =>
      what === 'geojson' ? services.importGeoJson({ actor, by: initiatorOf(c) }, bytes) : services.importCsv({ actor, by: initiatorOf(c) }, what === 'sensors' ? 'sensors' : 'assets', bytes),
    );
    if (!r.ok) return assetsPage(c, { error: r.error, problems: r.lines });
    return assetsPage(c, { result: r.value });
  });

  app.get(`${BASE}/assets/:id`, async (c) => {
    const actor = requireCan(c, 'asset.read');
    const ctx = pageContext(c);
    const { t } = ctx;
    const lifeline = c.get('services').lifeline;
    const { asset, sensors } = await lifeline.assets.getAsset(actor, idParam(c));
    const alarms = can(actor, 'alarm.read') ? await lifeline.alarms.list(actor, { assetId: asset.id }, { limit: 50 }) : [];
    const active = alarms.filter((a) => a.status === 'active');
    return renderPage(
      c,
      <WorkbenchLayout ctx={ctx} title={asset.name} crumbs={[{ label: t('ll.assets.title'), href: `${BASE}/assets` }, { label: asset.name }]}>
        <Assets ctx={ctx} />
        <h1>
          {asset.name} {asset.isDemo && <span class="badge badge-demo">{t('site.demoBadge')}</span>} {asset.retiredAt && <span class="pill pill-retired">{t('ll.asset.retired')}</span>}
        </h1>
        <div class="grid-2">
          <dl class="facts">
            <dt>{t('ll.col.code')}</dt>
            <dd>
              <code>{asset.code}</code>
            </dd>
            <dt>{t('ll.col.kind')}</dt>
            <dd>{label(ctx, `ll.assetKind.${asset.kind}`)}</dd>
            <dt>{t('ll.col.risk')}</dt>
            <dd>
              <span class={`pill risk-pill risk-${asset.riskLevel}`}>{label(ctx, `ll.risk.${asset.riskLevel}`)}</span>
            </dd>
            <dt>{t('ll.col.owner')}</dt>
            <dd>{asset.ownerUnitName}</dd>
            <dt>{t('ll.col.area')}</dt>
            <dd>{asset.areaUnitName ?? ''}</dd>
            {asset.address && (
              <>
                <dt>{t('ll.asset.address')}</dt>
                <dd>{asset.address}</dd>
              </>
            )}
          </dl>
          <section aria-labelledby="ll-asset-map">
            <h2 id="ll-asset-map" class="visually-hidden">
              {t('ll.asset.map')}
            </h2>
            <LifelineMap ctx={ctx} id="ll-asset-map-svg" width={420} assets={[{ id: asset.id, code: asset.code, name: asset.name, kind: asset.kind, riskLevel: asset.riskLevel, geometry: asset.geometry, anchor: [0, 0] }]} alarms={active} />
          </section>
        </div>
        <h2>{t('ll.asset.sensors')}</h2>
        {sensors.length === 0 ? (
          <p class="muted">{t('ll.asset.noSensors')}</p>
        ) : (
          <div class="table-scroll">
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{t('ll.col.sensor')}</th>
                  <th scope="col">{t('ll.col.quantity')}</th>
                  <th scope="col">{t('ll.col.last')}</th>
                  <th scope="col">{t('ll.col.interval')}</th>
                  <th scope="col">{t('ll.sensor.profile')}</th>
                </tr>
              </thead>
              <tbody>
                {sensors.map((s) => (
                  <tr>
                    <td>
                      <a href={`${BASE}/sensors/${s.id}`}>
                        <code>{s.code}</code>
                      </a>
                    </td>
                    <td>{label(ctx, `ll.quantity.${s.quantity}`)}</td>
                    <td>
                      {fmtNumber(s.lastValue)} {s.lastValue === null ? '' : s.unit} <span class="muted">{formatDateTime(s.lastTs, ctx.locale)}</span>
                    </td>
                    <td>{formatDuration(s.intervalSeconds * 1000, ctx.locale).replace(/^0.*/, `${s.intervalSeconds} s`)}</td>
                    <td>
                      <code>{s.profileCode}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h2>{t('ll.asset.alarms')}</h2>
        {alarms.length ? <AlarmTable ctx={ctx} alarms={alarms} /> : <p class="muted">{t('ll.asset.noAlarms')}</p>}
      </WorkbenchLayout>,
    );
  });

  app.get(`${BASE}/sensors/:id`, async (c) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    const range: RangeKey = (Object.keys(RANGES) as RangeKey[]).includes(c.req.query('range') as RangeKey) ? (c.req.query('range') as RangeKey) : '6h';
    const to = new Date();
    const chart = await sensorChart(c, idParam(c), new Date(to.getTime() - RANGES[range]), to);
    const { sensor, profile } = chart;
    const title = t('ll.sensor.title', { code: sensor.code });
    return renderPage(
      c,
      <WorkbenchLayout ctx={ctx} title={title} crumbs={[{ label: t('ll.assets.title'), href: `${BASE}/assets` }, { label: title }]}>
        <Assets ctx={ctx} />
        <h1>{title}</h1>
        <p>
          <a href={`${BASE}/assets/${sensor.assetId}`}>{t('ll.col.asset')}</a> · {label(ctx, `ll.quantity.${sensor.quantity}`)} ({sensor.unit}) · {t('ll.col.interval')} {sensor.intervalSeconds} s
          {sensor.baseline !== null && ` · ${t('ll.sensor.baseline')} ${fmtNumber(sensor.baseline)} ${sensor.unit}`}
          {sensor.installedOn && ` · ${t('ll.sensor.installed')} ${sensor.installedOn}`}
        </p>
        <nav aria-label={t('ll.sensor.range')} class="ll-ranges">
          {(Object.keys(RANGES) as RangeKey[]).map((r) => (
            <a href={`${BASE}/sensors/${sensor.id}?range=${r}`} aria-current={r === range ? 'page' : undefined} class="pill">
              {label(ctx, `ll.sensor.range.${r}`)}
            </a>
          ))}
        </nav>
        <h2>{t('ll.sensor.chart')}</h2>
        <ChartBlock ctx={ctx} chart={chart} id="ll-sensor-chart" />
        <h2>
          {t('ll.sensor.profile')}: <a href={`${BASE}/profiles/${profile.id}`}>{profile.name}</a>
        </h2>
        <RuleList ctx={ctx} rules={profile.rules} unit={sensor.unit} />
      </WorkbenchLayout>,
    );
  });

  app.get(`${BASE}/statistics`, async (c) => {
    const actor = requireCan(c, 'alarm.read');
    const ctx = pageContext(c);
    const { t } = ctx;
    const days = [7, 30, 90, 365].includes(Number(c.req.query('days'))) ? Number(c.req.query('days')) : 30;
    const to = new Date();
    const s = await c.get('services').lifeline.alarms.statistics(actor, new Date(to.getTime() - days * 86_400_000), to);
    const secs = (v: number | null) => (v === null ? t('ll.stats.none') : formatDuration(v * 1000, ctx.locale));
    return renderPage(
      c,
      <WorkbenchLayout ctx={ctx} title={t('ll.stats.title')}>
        <Assets ctx={ctx} />
        <h1>{t('ll.stats.title')}</h1>
        <nav aria-label={t('ll.stats.period')} class="ll-ranges">
          {[7, 30, 90, 365].map((d) => (
            <a href={`${BASE}/statistics?days=${d}`} aria-current={d === days ? 'page' : undefined} class="pill">
              {t('ll.stats.days', { n: d })}
            </a>
          ))}
        </nav>
        <dl class="facts ll-stats">
          <dt>{t('ll.stats.total')}</dt>
          <dd>{s.total}</dd>
          <dt>{t('ll.stats.active')}</dt>
          <dd>{s.active}</dd>
          <dt>{t('ll.stats.judged')}</dt>
          <dd>{s.judged}</dd>
          <dt>{t('ll.stats.confirmed')}</dt>
          <dd>{s.confirmed}</dd>
          <dt>{t('ll.stats.falseAlarms')}</dt>
          <dd>{s.falseAlarms}</dd>
          <dt>{t('ll.stats.falseRate')}</dt>
          <dd>{s.falseAlarmRate === null ? t('ll.stats.none') : `${(s.falseAlarmRate * 100).toFixed(1)}%`}</dd>
          <dt>{t('ll.stats.ackTime')}</dt>
          <dd>
            {secs(s.ackSeconds.p50)} / {secs(s.ackSeconds.p90)}
          </dd>
          <dt>{t('ll.stats.judgeTime')}</dt>
          <dd>
            {secs(s.judgeSeconds.p50)} / {secs(s.judgeSeconds.p90)}
          </dd>
        </dl>
        <h2>{t('ll.stats.byGrade')}</h2>
        <ul class="ll-grade-counts">
          {([1, 2, 3, 4] as Grade[]).map((g) => (
            <li>
              <GradeBadge ctx={ctx} grade={g} /> {s.byGrade[g]}
            </li>
          ))}
        </ul>
        <h2>{t('ll.stats.byOwner')}</h2>
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{t('ll.col.owner')}</th>
              <th scope="col">{t('ll.stats.total')}</th>
              <th scope="col">{t('ll.stats.judged')}</th>
              <th scope="col">{t('ll.stats.falseAlarms')}</th>
            </tr>
          </thead>
          <tbody>
            {s.byOwner.map((o) => (
              <tr>
                <td>{o.unitName}</td>
                <td>{o.total}</td>
                <td>{o.judged}</td>
                <td>{o.falseAlarms}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </WorkbenchLayout>,
    );
  });

  app.get(`${BASE}/credentials`, (c) => credentialsPage(c));

  app.post(`${BASE}/credentials`, async (c) => {
    const actor = requireCan(c, 'asset.manage');
    const body = await readForm(c);
    const ctx = pageContext(c);
    const kind = text(body, 'kind', 10) === 'sensor' ? 'sensor' : 'gateway';
    const r = await attempt(ctx.t, () =>
      c.get('services').lifeline.assets.createCredential({ actor, by: initiatorOf(c) }, { key: text(body, 'key', 64), name: text(body, 'name', 200), kind, unitCode: text(body, 'unitCode', 64), sensorCode: text(body, 'sensorCode', 64) }),
    );
    if (!r.ok) return credentialsPage(c, { problems: r.lines });
    return credentialsPage(c, { notice: ctx.t('ll.cred.created', { secret: r.value.secret }) });
  });

  app.post(`${BASE}/credentials/:id/revoke`, async (c) => {
    const actor = requireCan(c, 'asset.manage');
    const ctx = pageContext(c);
    const r = await attempt(ctx.t, () => c.get('services').lifeline.assets.revokeCredential({ actor, by: initiatorOf(c) }, idParam(c)));
    if (!r.ok) return credentialsPage(c, { problems: r.lines });
    return c.redirect(`${BASE}/credentials`, 303);
  });

  app.get(`${BASE}/profiles`, async (c) => {
    requireCan(c, 'asset.read');
    const ctx = pageContext(c);
    const { t } = ctx;
    const profiles = await c.get('services').lifeline.assets.listProfiles();
    return renderPage(
      c,
      <WorkbenchLayout ctx={ctx} title={t('ll.profiles.title')}>
        <Assets ctx={ctx} />
        <h1>{t('ll.profiles.title')}</h1>
        <p class="muted">{t('ll.profiles.lead')}</p>
        <ul>
          {profiles.map((p) => (
            <li>
              <a href={`${BASE}/profiles/${p.id}`}>{p.name}</a> <code>{p.code}</code> <span class="muted">{label(ctx, `ll.quantity.${p.quantity}`)}</span>
            </li>
          ))}
        </ul>
      </WorkbenchLayout>,
    );
  });

  app.get(`${BASE}/profiles/:id`, async (c) => profilePage(c, await c.get('services').lifeline.assets.getProfile(idParam(c))));

  app.post(`${BASE}/profiles/:id`, async (c) => {
    const actor = requireCan(c, 'asset.manage');
    const body = await readForm(c);
    const ctx = pageContext(c);
    const draft = text(body, 'rules', 50_000);
    const profile = await c.get('services').lifeline.assets.getProfile(idParam(c));
    let parsed: unknown;
    try {
      parsed = JSON.parse(draft);
    } catch {
      return profilePage(c, profile, { problems: [ctx.t('GEOJSON.SYNTAX')], draft });
    }
    const r = await attempt(ctx.t, () => c.get('services').lifeline.assets.updateProfileRules({ actor, by: initiatorOf(c) }, profile.id, parsed));
    if (!r.ok) return profilePage(c, profile, { problems: r.lines, draft });
    return profilePage(c, r.value, { notice: ctx.t('ll.profile.saved') });
  });

  return app;
}
