/**
 * bench/search — the portal's Chinese search method, measured against the alternatives the stack notes name
 * (../shared/reference/stack.md §2, §6), on the embedded engine and on PostgreSQL when it answers:
 *   A. tsvector of jieba-segmented text ('simple' configuration, GIN) with plainto_tsquery — what the portal uses;
 *   B. pg_trgm: substring match (ILIKE '%…%') accelerated by a GIN trigram index — exact, the reference for recall;
 *   C. pg_trgm word_similarity (<%), as the stack notes suggest for Chinese.
 * A generated corpus of N documents built from district sentences; for each query: latency (median of repeats),
 * hits, and recall/precision against B.
 *
 *   npm run bench:search [-- --docs 5000 --repeats 15]
 * Ends with one JSON line: method A's median latency against B's.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle, type DatabaseTarget } from '../src/db/database.js';
import { indexTokens, queryTokens } from '../src/modules/portal/segmenter.js';
import { postgresReachable } from './support.js';

const { values } = parseArgs({ options: { docs: { type: 'string', default: '5000' }, repeats: { type: 'string', default: '15' } } });
const DOCS = Number(values.docs);
const REPEATS = Number(values.repeats);

const SENTENCES = [
  '汉丰街道组织网格员开展安全隐患排查，发现井盖破损并及时处置。',
  '全区推进城市更新，老旧小区改造纳入年度计划，征求居民意见。',
  '防汛期间，各镇街落实值班值守，地质灾害隐患点落实群测群防员。',
  '城乡居民养老保险参保登记可在镇街社保所办理，也可网上办理。',
  '滨湖路部分路段路灯夜间不亮，维修单位已更换线路。',
  '汉丰湖步道增设无障碍坡道、休息座椅和夜间照明。',
  '居住证办理需提交居民身份证和居住证明材料，15 个工作日内办结。',
  '温泉镇召开院坝会，村民议定村道维修方案并公示。',
  '“一件事一次办”新增企业开办、不动产登记等事项。',
  '区城市管理局开展占道经营专项整治，规范摊点设置。',
  '基层治理指挥中心接单即响应、派单即处置、办结即回访。',
  '学校周边交通拥堵问题纳入网格事件办理，交警部门增派警力。',
];
const QUERIES = ['城市更新', '网格员', '汉丰街道', '防汛', '安全隐患', '老旧小区', '养老保险', '路灯', '无障碍', '居住证', '交通拥堵', '井盖'];

function corpus(n: number): { title: string; body: string }[] {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: n }, (_, i) => {
    const parts = Array.from({ length: 4 + Math.floor(rnd() * 6) }, () => SENTENCES[Math.floor(rnd() * SENTENCES.length)]!);
    return { title: `第 ${i} 号 ${parts[0]!.slice(0, 14)}`, body: parts.join('') };
  });
}

interface Row {
  engine: string;
  query: string;
  method: 'A tsvector+jieba' | 'B trigram substring' | 'C word_similarity';
  ms: number;
  hits: number;
  recall: number;
  precision: number;
}

async function run(engine: string, target: DatabaseTarget, docs: { title: string; body: string }[]): Promise<Row[]> {
  const handle: DatabaseHandle = await openDatabase(target);
  const db = handle.db;
  const t = `bench_search_${process.pid}`;
  try {
    await sql.raw('create extension if not exists pg_trgm').execute(db);
    await sql.raw(`drop table if exists ${t}`).execute(db);
    await sql.raw(`create table ${t} (id int primary key, title text, body text, v tsvector)`).execute(db);
    const batch = 500;
    for (let i = 0; i < docs.length; i += batch) {
      const slice = docs.slice(i, i + batch);
      await sql`insert into ${sql.table(t)} (id, title, body, v)
        select * from unnest(${slice.map((_, k) => i + k)}::int[], ${slice.map((d) => d.title)}::text[], ${slice.map((d) => d.body)}::text[],
          ${slice.map((d) => `${indexTokens(d.title).join(' ')} ${indexTokens(d.body).join(' ')}`)}::text[]) as x(id, title, body, w)
        cross join lateral (select to_tsvector('simple', x.w)) as y(v)`.execute(db).catch(async () => {
        // unnest with a lateral cross join is not needed: plain form as a fallback
        for (const [k, d] of slice.entries()) {
          await sql`insert into ${sql.table(t)} values (${i + k}, ${d.title}, ${d.body}, to_tsvector('simple', ${`${indexTokens(d.title).join(' ')} ${indexTokens(d.body).join(' ')}`}))`.execute(db);
        }
      });
    }
    await sql.raw(`create index on ${t} using gin (v)`).execute(db);
    await sql.raw(`create index on ${t} using gin (body gin_trgm_ops)`).execute(db);
    await sql.raw(`analyze ${t}`).execute(db);

    const timed = async (q: () => Promise<number[]>) => {
      const times: number[] = [];
      let ids: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        const t0 = performance.now();
        ids = await q();
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      return { ms: times[Math.floor(times.length / 2)]!, ids };
    };
    const rows: Row[] = [];
    for (const query of QUERIES) {
      const words = queryTokens(query).join(' ');
      const a = await timed(async () => (await sql<{ id: number }>`select id from ${sql.table(t)} where v @@ plainto_tsquery('simple', ${words})`.execute(db)).rows.map((r) => r.id));
      const b = await timed(async () => (await sql<{ id: number }>`select id from ${sql.table(t)} where body ilike ${`%${query}%`}`.execute(db)).rows.map((r) => r.id));
      const c = await timed(async () => (await sql<{ id: number }>`select id from ${sql.table(t)} where ${query} <% body`.execute(db)).rows.map((r) => r.id));
      const truth = new Set(b.ids);
      const score = (ids: number[]) => {
        const hit = ids.filter((id) => truth.has(id)).length;
        return { recall: truth.size ? hit / truth.size : 1, precision: ids.length ? hit / ids.length : 1 };
      };
      rows.push({ engine, query, method: 'A tsvector+jieba', ms: a.ms, hits: a.ids.length, ...score(a.ids) });
      rows.push({ engine, query, method: 'B trigram substring', ms: b.ms, hits: b.ids.length, ...score(b.ids) });
      rows.push({ engine, query, method: 'C word_similarity', ms: c.ms, hits: c.ids.length, ...score(c.ids) });
    }
    return rows;
  } finally {
    await sql.raw(`drop table if exists ${t}`).execute(db).catch(() => undefined);
    await handle.close();
  }
}

async function postgresUrl(): Promise<string | undefined> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  return (await postgresReachable(url)) ? url : undefined;
}

const docs = corpus(DOCS);
const rows = [...(await run('pglite', { kind: 'pglite-memory' }, docs))];
const pgUrl = await postgresUrl();
if (pgUrl) rows.push(...(await run('postgres', { kind: 'postgres', url: pgUrl, poolSize: 2 }, docs)));

console.log(`bench/search: ${DOCS} generated documents, ${QUERIES.length} queries, median of ${REPEATS} runs each`);
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const engine of [...new Set(rows.map((r) => r.engine))]) {
  for (const method of ['A tsvector+jieba', 'B trigram substring', 'C word_similarity'] as const) {
    const rs = rows.filter((r) => r.engine === engine && r.method === method);
    const avg = (f: (r: Row) => number) => rs.reduce((s, r) => s + f(r), 0) / rs.length;
    console.log(`${engine.padEnd(9)} ${method.padEnd(20)} median ${med(rs.map((r) => r.ms)).toFixed(2).padStart(7)} ms   recall ${avg((r) => r.recall).toFixed(2)}   precision ${avg((r) => r.precision).toFixed(2)}   hits/query ${avg((r) => r.hits).toFixed(0)}`);
  }
}
const a = med(rows.filter((r) => r.engine === 'pglite' && r.method === 'A tsvector+jieba').map((r) => r.ms));
const b = med(rows.filter((r) => r.engine === 'pglite' && r.method === 'B trigram substring').map((r) => r.ms));
console.log(JSON.stringify({ bench: 'search', metric: 'tsvector_jieba_median_ms_pglite', value: Math.round(a * 100) / 100, unit: 'ms', baseline: Math.round(b * 100) / 100, ratio: Math.round((a / b) * 100) / 100 }));
