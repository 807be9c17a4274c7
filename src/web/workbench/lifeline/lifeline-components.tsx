/**
 * Pieces of the lifeline pages: grade and status badges, a server-rendered SVG chart of a sensor's readings with
 * its alarm thresholds drawn, and a map of assets and alarms over the district outline. No JavaScript needed;
 * colours come from classes in lifeline.css (CSP: no inline style) and every colour is also said in text.
 */
import type { FC } from 'hono/jsx';
import type { MessageKey } from '../../../locales/index.js';
import { districtOutline } from '../../../modules/geography/index.js';
import type { Alarm, AlarmRule, AssetMapItem, Grade } from '../../../modules/lifeline/index.js';
import { formatDateTime } from '../../components/format.js';
import type { PageContext } from '../../components/layout.js';

export const GradeBadge: FC<{ ctx: PageContext; grade: Grade }> = ({ ctx, grade }) => <span class={`pill grade grade-${grade}`}>{ctx.t(`ll.grade.${grade}` as MessageKey)}</span>;

export const StatusBadge: FC<{ ctx: PageContext; alarm: Alarm }> = ({ ctx, alarm }) => (
  <span class={`pill alarm-${alarm.status}`}>{ctx.t(`ll.status.${alarm.status}` as MessageKey)}</span>
);

export const label = (ctx: PageContext, key: string) => ctx.t(key as MessageKey);

export const fmtNumber = (v: number | null | undefined) => (v === null || v === undefined ? '—' : Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(4)).toString());

export interface Threshold {
  readonly grade: Grade;
  readonly value: number;
  readonly ruleKey: string;
}

/** The horizontal lines a sensor's rules draw on its chart: threshold levels, and deviation levels around its baseline. */
export function thresholdsOf(rules: readonly AlarmRule[], baseline: number | null): Threshold[] {
  const out: Threshold[] = [];
  for (const r of rules) {
    if (r.kind === 'threshold') for (const l of r.levels) out.push({ grade: l.grade, value: l.value, ruleKey: r.key });
    if (r.kind === 'deviation' && baseline !== null) for (const l of r.levels) out.push({ grade: l.grade, value: baseline * (1 + l.value / 100), ruleKey: r.key });
  }
  return out;
}

function niceTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo || 1;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step0)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export interface ChartPoint {
  readonly t: number;
  readonly avg: number;
  readonly min: number;
  readonly max: number;
}

/** A line chart: the values (with a min–max band for roll-ups), the thresholds dashed in their grade's colour, marks for alarm times. */
export const SeriesChart: FC<{
  ctx: PageContext;
  title: string;
  points: readonly ChartPoint[];
  from: number;
  to: number;
  unit: string;
  thresholds: readonly Threshold[];
  marks?: readonly { t: number; grade: Grade }[];
  band?: boolean;
  id: string;
}> = ({ ctx, title, points, from, to, unit, thresholds, marks = [], band = false, id }) => {
  const W = 760;
  const H = 280;
  const L = 58;
  const R = 86;
  const T = 12;
  const B = 34;
  const values = points.flatMap((p) => [p.min, p.max]);
  const all = [...values, ...thresholds.map((th) => th.value)];
  let lo = all.length ? Math.min(...all) : 0;
  let hi = all.length ? Math.max(...all) : 1;
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const pad = (hi - lo) * 0.06;
  lo -= pad;
  hi += pad;
  const x = (t: number) => L + ((t - from) / Math.max(1, to - from)) * (W - L - R);
  const y = (v: number) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)} ${y(p.avg).toFixed(1)}`).join('');
  const bandPath = band && points.length > 1 ? `${points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)} ${y(p.max).toFixed(1)}`).join('')}${[...points].reverse().map((p) => `L${x(p.t).toFixed(1)} ${y(p.min).toFixed(1)}`).join('')}Z` : '';
  const span = to - from;
  const timeLabel = (t: number) => {
    const s = formatDateTime(new Date(t), ctx.locale);
    return span <= 2 * 86_400_000 ? s.slice(-5) : s.slice(0, 10);
  };
  const xTicks = Array.from({ length: 5 }, (_, i) => from + (span * i) / 4);
  return (
    <figure class="ll-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title`} class="ll-chart-svg">
        <title id={`${id}-title`}>{title}</title>
        {niceTicks(lo, hi, 5).map((v) => (
          <g class="ll-axis">
            <line x1={L} x2={W - R} y1={y(v)} y2={y(v)} class="ll-grid" />
            <text x={L - 6} y={y(v) + 4} text-anchor="end">
              {fmtNumber(v)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text class="ll-axis" x={x(t)} y={H - 10} text-anchor="middle">
            {timeLabel(t)}
          </text>
        ))}
        <text class="ll-axis" x={4} y={T + 8}>
          {unit}
        </text>
        {bandPath && <path d={bandPath} class="ll-band" />}
        {thresholds.map((th) => (
          <g class={`ll-threshold grade-${th.grade}`}>
            <line x1={L} x2={W - R} y1={y(th.value)} y2={y(th.value)} />
            <text x={W - R + 4} y={y(th.value) + 4}>
              {`${['', 'Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ'][th.grade]} ${fmtNumber(th.value)}`}
            </text>
          </g>
        ))}
        {marks.map((m) => (
          <line class={`ll-mark grade-${m.grade}`} x1={x(m.t)} x2={x(m.t)} y1={T} y2={H - B} />
        ))}
        {line && <path d={line} class="ll-line" />}
        {points.length === 1 && <circle cx={x(points[0]!.t)} cy={y(points[0]!.avg)} r={3} class="ll-dot" />}
      </svg>
    </figure>
  );
};

interface Projection {
  readonly width: number;
  readonly height: number;
  p(lon: number, lat: number): [number, number];
}

function projection(bbox: [number, number, number, number], width: number): Projection {
  let [minLon, minLat, maxLon, maxLat] = bbox;
  // Never closer than about 3 km across, and a margin around what is shown.
  const minSpan = 0.03;
  if (maxLon - minLon < minSpan) [minLon, maxLon] = [(minLon + maxLon) / 2 - minSpan / 2, (minLon + maxLon) / 2 + minSpan / 2];
  if (maxLat - minLat < minSpan) [minLat, maxLat] = [(minLat + maxLat) / 2 - minSpan / 2, (minLat + maxLat) / 2 + minSpan / 2];
  const mx = (maxLon - minLon) * 0.08;
  const my = (maxLat - minLat) * 0.08;
  minLon -= mx;
  maxLon += mx;
  minLat -= my;
  maxLat += my;
  // An equirectangular sketch with longitude scaled by cos(latitude), like the district map.
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = width / ((maxLon - minLon) * kx);
  const height = Math.round((maxLat - minLat) * scale);
  return { width, height, p: (lon, lat) => [(lon - minLon) * kx * scale, (maxLat - lat) * scale] };
}

const pathOf = (pr: Projection, coords: readonly (readonly [number, number] | number[])[]) =>
  coords.map((c, i) => {
    const [px, py] = pr.p(c[0]!, c[1]!);
    return `${i === 0 ? 'M' : 'L'}${px.toFixed(1)} ${py.toFixed(1)}`;
  }).join('');

/** Assets (lines and points, coloured by risk) and active alarms (dots, coloured by grade), each a link to its page. */
export const LifelineMap: FC<{ ctx: PageContext; assets: readonly AssetMapItem[]; alarms: readonly Alarm[]; width?: number; id: string }> = ({ ctx, assets, alarms, width = 760, id }) => {
  const coords: [number, number][] = [
    ...assets.flatMap((a) => (a.geometry.type === 'Point' ? [a.geometry.coordinates] : a.geometry.type === 'LineString' ? a.geometry.coordinates : a.geometry.coordinates.flat())),
    ...alarms.map((a) => [a.lon, a.lat] as [number, number]),
  ];
  if (coords.length === 0) return <p class="muted">{ctx.t('ll.map.noAssets')}</p>;
  const bbox: [number, number, number, number] = [Math.min(...coords.map((c) => c[0])), Math.min(...coords.map((c) => c[1])), Math.max(...coords.map((c) => c[0])), Math.max(...coords.map((c) => c[1]))];
  const pr = projection(bbox, width);
  const outline = districtOutline()
    .geometry.coordinates.flatMap((poly) => poly.map((ring) => `${pathOf(pr, ring)}Z`))
    .join('');
  return (
    <figure class="ll-map">
      <svg viewBox={`0 0 ${pr.width} ${pr.height}`} role="group" aria-labelledby={`${id}-title`} class="ll-map-svg">
        <title id={`${id}-title`}>{ctx.t('ll.board.mapTitle')}</title>
        <path d={outline} class="ll-outline" />
        {assets.map((a) => {
          const name = `${a.name}（${label(ctx, `ll.assetKind.${a.kind}`)}，${label(ctx, `ll.risk.${a.riskLevel}`)}）`;
          if (a.geometry.type === 'Point') {
            const [px, py] = pr.p(a.geometry.coordinates[0], a.geometry.coordinates[1]);
            return (
              <a href={`/workbench/lifeline/assets/${a.id}`} aria-label={name}>
                <rect x={px - 5} y={py - 5} width={10} height={10} class={`ll-asset-point risk-${a.riskLevel}`}>
                  <title>{name}</title>
                </rect>
              </a>
            );
          }
          const lines = a.geometry.type === 'LineString' ? [a.geometry.coordinates] : a.geometry.coordinates;
          return (
            <a href={`/workbench/lifeline/assets/${a.id}`} aria-label={name}>
              <path d={lines.map((l) => pathOf(pr, l)).join('')} class={`ll-asset risk-${a.riskLevel}`}>
                <title>{name}</title>
              </path>
            </a>
          );
        })}
        {[...alarms].sort((a, b) => b.grade - a.grade).map((a) => {
          const [px, py] = pr.p(a.lon, a.lat);
          const name = `${label(ctx, `ll.grade.${a.grade}`)} ${a.assetName} ${a.sensorCode} ${fmtNumber(a.lastValue)} ${a.unit}`;
          return (
            <a href={`/workbench/lifeline/alarms/${a.id}`} aria-label={name}>
              <circle cx={px} cy={py} r={a.grade <= 2 ? 9 : 7} class={`ll-alarm grade-${a.grade}`}>
                <title>{name}</title>
              </circle>
            </a>
          );
        })}
      </svg>
      <figcaption class="figure-note">{ctx.t('ll.map.legend')}</figcaption>
    </figure>
  );
};

/** The active-alarm table of the board and the alarm list. */
export const AlarmTable: FC<{ ctx: PageContext; alarms: readonly Alarm[]; caption?: string }> = ({ ctx, alarms, caption }) => (
  <div class="table-scroll">
    <table class="data ll-alarms">
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">{ctx.t('ll.col.grade')}</th>
          <th scope="col">{ctx.t('ll.col.asset')}</th>
          <th scope="col">{ctx.t('ll.col.sensor')}</th>
          <th scope="col">{ctx.t('ll.col.type')}</th>
          <th scope="col">{ctx.t('ll.col.value')}</th>
          <th scope="col">{ctx.t('ll.col.raisedAt')}</th>
          <th scope="col">{ctx.t('ll.col.owner')}</th>
          <th scope="col">{ctx.t('ll.col.status')}</th>
        </tr>
      </thead>
      <tbody>
        {alarms.map((a) => (
          <tr class={`grade-row-${a.grade}`}>
            <td>
              <a href={`/workbench/lifeline/alarms/${a.id}`}>
                <GradeBadge ctx={ctx} grade={a.grade} />
              </a>
            </td>
            <td>
              <a href={`/workbench/lifeline/assets/${a.assetId}`}>{a.assetName}</a>
            </td>
            <td>
              <a href={`/workbench/lifeline/sensors/${a.sensorId}`}>
                <code>{a.sensorCode}</code>
              </a>
            </td>
            <td>
              {label(ctx, `ll.quantity.${a.quantity}`)} · {a.type} <span class="muted">({label(ctx, `ll.ruleKind.${a.ruleKind}`)})</span>
            </td>
            <td>
              {fmtNumber(a.lastValue)} {a.lastValue === null ? '' : a.unit}
            </td>
            <td>{formatDateTime(a.raisedAt, ctx.locale)}</td>
            <td>{a.ownerUnitName}</td>
            <td>
              <StatusBadge ctx={ctx} alarm={a} /> {a.acknowledgedAt ? ctx.t('ll.ack.yes') : ctx.t('ll.ack.no')}
              {a.judgement && <span class="muted"> · {label(ctx, `ll.judgement.${a.judgement}`)}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);
