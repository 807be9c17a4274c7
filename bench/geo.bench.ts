/**
 * bench/geo — how fast points are assigned to grids.
 *
 * The 2,500 demo grid polygons (the generator of a demo deployment, over the shipped outline), and seeded
 * random points over the district's bounding box (about 60 % fall outside the district, which is the costlier
 * case: the index then also looks for an edge within 0.1 mm, rule 2).
 *   1. the index the platform uses: flatbush over polygon boxes + the exact half-open ray cast, with the edge
 *      rule (LevelIndex.find, what every lookup runs per level);
 *   2. the baseline in the same run: a naive loop over all 2,500 polygons (box test, then the same ray cast);
 *   3. PostGIS ST_Contains with a GiST index on the same polygons and points, if the PostgreSQL server
 *      (DATABASE_URL, or the local one) has PostGIS installed; otherwise it says so.
 * The index (rule 1 alone, as the naive loop applies it) and the naive loop must agree on every point, or the
 * bench fails.
 *
 *   npm run bench:geo [-- --points 1000000 --rounds 5]
 * Ends with one JSON line: index points/s, against the naive loop.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generateDemoGeography, seededRandom } from '../src/modules/demo/demo-geography.js';
import { districtOutline, geometryContains, LevelIndex, type BoundaryRecord } from '../src/modules/geography/index.js';
import { REFERENCE_UNITS, type TownKind } from '../src/modules/organization/index.js';

const { values } = parseArgs({ options: { points: { type: 'string', default: '1000000' }, rounds: { type: 'string', default: '5' } } });
const N = Number(values.points);
const ROUNDS = Number(values.rounds);

const towns = REFERENCE_UNITS.filter((u) => u.kind === 'street' || u.kind === 'town' || u.kind === 'township').map((u) => ({ code: u.code, name: u.name, kind: u.kind as TownKind }));
let t0 = performance.now();
const geo = generateDemoGeography(districtOutline().geometry.coordinates, towns);
const generateMs = performance.now() - t0;
const records: BoundaryRecord[] = geo.grids.map((g, i) => ({
  unit: { id: i + 1, code: g.code, name: g.name, kind: 'grid', isDemo: true, parentId: null },
  level: 'grid',
  geometry: g.geometry,
  source: 'demo',
  areaM2: 0,
}));
t0 = performance.now();
const index = new LevelIndex(records);
const buildMs = performance.now() - t0;
// LevelIndex orders entries by code; the naive loop walks the same order, so "first hit" means the same polygon.
const polygons = index.entries.map((r) => ({ geometry: r.geometry, box: boxOf(r.geometry) }));

function boxOf(g: BoundaryRecord['geometry']): [number, number, number, number] {
  let [a, b, c, d] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of g.type === 'Polygon' ? [g.coordinates] : g.coordinates)
    for (const [x, y] of polygon[0]!) {
      a = Math.min(a, x);
      b = Math.min(b, y);
      c = Math.max(c, x);
      d = Math.max(d, y);
    }
  return [a, b, c, d];
}

const [minLon, minLat, maxLon, maxLat] = [107.9, 30.8, 108.95, 31.72];
const rand = seededRandom(42);
const xs = new Float64Array(N);
const ys = new Float64Array(N);
for (let i = 0; i < N; i++) {
  xs[i] = minLon + rand() * (maxLon - minLon);
  ys[i] = minLat + rand() * (maxLat - minLat);
}

function naive(x: number, y: number): number {
  for (let i = 0; i < polygons.length; i++) {
    const b = polygons[i]!.box;
    if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) continue;
    if (geometryContains(polygons[i]!.geometry, [x, y])) return i;
  }
  return -1;
}

const byIndex = new Int32Array(N);
const byNaive = new Int32Array(N);
const indexMs: number[] = [];
let sink = 0;
for (let r = 0; r < ROUNDS; r++) {
  const t = performance.now();
  for (let i = 0; i < N; i++) sink += index.find(xs[i]!, ys[i]!);
  indexMs.push(performance.now() - t);
}
for (let i = 0; i < N; i++) byIndex[i] = index.findStrict(xs[i]!, ys[i]!);
// The naive loop is slow: one full pass, which is also the agreement check.
t0 = performance.now();
for (let i = 0; i < N; i++) byNaive[i] = naive(xs[i]!, ys[i]!);
const naiveMs = performance.now() - t0;

let disagree = 0;
let assigned = 0;
for (let i = 0; i < N; i++) {
  if (byIndex[i] !== byNaive[i]) disagree++;
  if (byIndex[i]! >= 0) assigned++;
}
// Every point inside the outline must be in a grid, and none outside.
let outlineMismatch = 0;
const outline = districtOutline().geometry;
for (let i = 0; i < N; i += 10) if (geometryContains(outline, [xs[i]!, ys[i]!]) !== byIndex[i]! >= 0) outlineMismatch++;

const sorted = [...indexMs].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
const best = sorted[0]!;
const indexRate = N / (median / 1000);
const naiveRate = N / (naiveMs / 1000);

async function postgis(): Promise<string> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
  } catch {
    return `PostGIS: not measured (PostgreSQL at ${url.replace(/\/\/[^@/]*@/, '//***@')} is unreachable)`;
  }
  try {
    const available = await client.query("select 1 from pg_available_extensions where name = 'postgis'");
    if (available.rowCount === 0) return 'PostGIS: not measured — this PostgreSQL server does not have PostGIS installed (apt-get install postgresql-15-postgis-3 to compare)';
    const M = Math.min(N, 200_000);
    await client.query('create extension if not exists postgis');
    await client.query('create temp table bench_grids (id int primary key, geom geometry(Geometry, 4326))');
    for (let i = 0; i < polygons.length; i += 250)
      await client.query(
        `insert into bench_grids select (g->>'id')::int, st_setsrid(st_geomfromgeojson(g->'geometry'), 4326) from jsonb_array_elements($1::jsonb) g`,
        [JSON.stringify(polygons.slice(i, i + 250).map((p, k) => ({ id: i + k, geometry: p.geometry })))],
      );
    await client.query('create index on bench_grids using gist (geom)');
    await client.query('create temp table bench_points (id int primary key, geom geometry(Point, 4326))');
    for (let i = 0; i < M; i += 50_000) {
      const n = Math.min(50_000, M - i);
      await client.query('insert into bench_points select i, st_setsrid(st_makepoint(x, y), 4326) from unnest($1::int[], $2::float8[], $3::float8[]) as u(i, x, y)', [
        Array.from({ length: n }, (_, k) => i + k),
        Array.from(xs.subarray(i, i + n)),
        Array.from(ys.subarray(i, i + n)),
      ]);
    }
    await client.query('analyze bench_grids; analyze bench_points');
    const t = performance.now();
    const res = await client.query('select p.id, g.id as grid from bench_points p join bench_grids g on st_contains(g.geom, p.geom)');
    const ms = performance.now() - t;
    return `PostGIS ST_Contains join, GiST index, ${M.toLocaleString('en')} points: ${(ms / 1000).toFixed(2)} s = ${Math.round(M / (ms / 1000)).toLocaleString('en')} points/s (${res.rowCount} assigned)`;
  } finally {
    await client.end();
  }
}

console.log(`bench/geo: ${polygons.length} demo grid polygons (generated in ${generateMs.toFixed(0)} ms), ${N.toLocaleString('en')} seeded points over the district's bounding box`);
console.log(`index built in ${buildMs.toFixed(1)} ms; ${assigned.toLocaleString('en')} points fall in a grid, ${(N - assigned).toLocaleString('en')} outside the district`);
console.log('');
console.log(`flatbush + exact ray cast + edge rule (median of ${ROUNDS}): ${(median / 1000).toFixed(3)} s  ${Math.round(indexRate).toLocaleString('en').padStart(12)} points/s  (target ≥ 1,000,000)`);
console.log(`  (rounds: ${indexMs.map((ms) => (ms / 1000).toFixed(3)).join(', ')} s; best ${Math.round(N / (best / 1000)).toLocaleString('en')} points/s; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`);
console.log(`naive loop over all polygons (box, then ray cast):        ${(naiveMs / 1000).toFixed(3)} s  ${Math.round(naiveRate).toLocaleString('en').padStart(12)} points/s`);
console.log(await postgis());
console.log('');
if (sink === 0.5) console.log(''); // keeps the timed loop from being optimised away
console.log(`agreement: index and naive loop differ on ${disagree} of ${N.toLocaleString('en')} points; grid vs outline differ on ${outlineMismatch} of ${Math.ceil(N / 10).toLocaleString('en')} checked`);
if (disagree > 0 || outlineMismatch > 0) {
  console.error('FAILED: the methods disagree');
  process.exit(1);
}
console.log(
  JSON.stringify({
    bench: 'geo',
    metric: 'points_per_second_assigned_to_2500_grids (flatbush + exact ray cast)',
    value: Math.round(indexRate),
    unit: 'points/s',
    baseline: Math.round(naiveRate),
    ratio: Math.round((indexRate / naiveRate) * 100) / 100,
  }),
);
