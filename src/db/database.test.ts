import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/db.js';
import { prepare } from '../kernel/db.js';
import { createMetrics } from '../kernel/metrics.js';
import { Mutex } from './mutex.js';

describeEachEngine('database layer', (suite) => {
  it('returns the same JavaScript types from both engines', async () => {
    const { rows } = await sql<{ big: number; d: string; t: Date; j: unknown; arr: number[]; n: string }>`
      select 9007199254740991::int8 as big, '2026-10-01'::date as d, '2026-10-01T08:00:00+08:00'::timestamptz as t,
             ${JSON.stringify({ a: [1, '二'] })}::jsonb as j, array[1, 2]::int8[] as arr, 1.50::numeric as n`.execute(suite.database.db);
    expect(rows[0]).toEqual({ big: 9007199254740991, d: '2026-10-01', t: new Date('2026-10-01T00:00:00Z'), j: { a: [1, '二'] }, arr: [1, 2], n: '1.50' });
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    const { db } = suite.database;
    await sql`create table t_tx (v text)`.execute(db);
    await suite.database.transaction(async (tx) => {
      await sql`insert into t_tx values ('kept')`.execute(tx);
    });
    await expect(
      suite.database.transaction(async (tx) => {
        await sql`insert into t_tx values ('lost')`.execute(tx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await sql<{ v: string }>`select v from t_tx`.execute(db);
    expect(rows.map((r) => r.v)).toEqual(['kept']);
  });

  it('refuses a query on the database handle inside a transaction instead of deadlocking', async () => {
    const database = suite.database;
    await expect(
      database.transaction(async () => {
        await sql`select 1`.execute(database.db);
      }),
    ).rejects.toMatchObject({ code: 'DB.OUTSIDE_TRANSACTION' });
    await expect(database.transaction(async () => database.transaction(async () => 1))).rejects.toMatchObject({
      code: 'DB.OUTSIDE_TRANSACTION',
    });
    // The handle still works afterwards, and work scheduled during a transaction may query once it ended.
    let later: Promise<unknown> | undefined;
    await database.transaction(async () => {
      later = new Promise((r) => setTimeout(r, 20)).then(() => sql`select 1`.execute(database.db));
    });
    await expect(later).resolves.toBeDefined();
  });

  it('does not show uncommitted rows to queries outside the transaction', async () => {
    const { db } = suite.database;
    await sql`create table t_iso (v int)`.execute(db);
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const didInsert = new Promise<void>((r) => (inserted = r));
    const tx = suite.database.transaction(async (t) => {
      await sql`insert into t_iso values (1)`.execute(t);
      inserted();
      await hold;
    });
    await didInsert;
    // On PostgreSQL the outside query runs now and sees nothing; on PGlite it waits for the commit.
    const outside = sql<{ n: number }>`select count(*)::int as n from t_iso`.execute(db);
    if (suite.engine === 'postgres') expect((await outside).rows[0]!.n).toBe(0);
    release();
    await tx;
    if (suite.engine === 'pglite') expect((await outside).rows[0]!.n).toBe(1);
    expect((await sql<{ n: number }>`select count(*)::int as n from t_iso`.execute(db)).rows[0]!.n).toBe(1);
  });

  it('reports affected rows for updates and deletes', async () => {
    const { db } = suite.database;
    await sql`create table t_aff (v int)`.execute(db);
    await sql`insert into t_aff select generate_series(1, 5)`.execute(db);
    const r = await db.withTables<{ t_aff: { v: number } }>().updateTable('t_aff').set({ v: 0 }).where('v', '>', 2).executeTakeFirst();
    expect(r.numUpdatedRows).toBe(3n);
  });

  it('runs prepared queries on the handle and inside a transaction, with the same guard', async () => {
    const { db } = suite.database;
    await sql`create table t_prep (id int primary key, name text)`.execute(db);
    type T = { t_prep: { id: number; name: string } };
    const insert = prepare<{ id: number; name: string }, never>((d, p) => d.withTables<T>().insertInto('t_prep').values({ id: p('id'), name: p('name') }));
    const byId = prepare<{ id: number }, { id: number; name: string }>((d, p) => d.withTables<T>().selectFrom('t_prep').selectAll().where('id', '=', p('id')));
    await insert.execute(db, { id: 1, name: '汉丰' });
    await suite.database.transaction(async (tx) => {
      await insert.execute(tx, { id: 2, name: '文峰' });
      expect(await byId.execute(tx, { id: 2 })).toEqual([{ id: 2, name: '文峰' }]);
    });
    expect(await byId.execute(db, { id: 1 })).toEqual([{ id: 1, name: '汉丰' }]);
    expect(await byId.execute(db, { id: 2 })).toEqual([{ id: 2, name: '文峰' }]);
    await expect(suite.database.transaction(() => byId.execute(db, { id: 1 }))).rejects.toMatchObject({ code: 'DB.OUTSIDE_TRANSACTION' });
    await expect(
      suite.database.transaction(async (tx) => {
        await insert.execute(tx, { id: 3, name: '云枫' });
        await insert.execute(tx, { id: 3, name: '重复' });
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await byId.execute(db, { id: 3 })).toEqual([]);
  });

  it('records statement timings in the metrics it is given', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    suite.database.instrument(metrics);
    await sql`select 1`.execute(suite.database.db);
    await sql`select * from no_such_table`.execute(suite.database.db).catch(() => undefined);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/zhizhi_db_query_duration_seconds_count\{statement="select",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/zhizhi_db_query_duration_seconds_count\{statement="select",outcome="error"\} 1/);
  });

  it('answers a ping', async () => {
    await expect(suite.database.ping()).resolves.toBeUndefined();
  });
});

describe('Mutex', () => {
  it('hands the lock out in arrival order, one holder at a time', async () => {
    const m = new Mutex();
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3].map(async (i) => {
        const release = await m.lock();
        order.push(i);
        await new Promise((r) => setTimeout(r, 5));
        expect(m.locked).toBe(true);
        release();
      }),
    );
    expect(order).toEqual([1, 2, 3]);
    expect(m.locked).toBe(false);
  });
});
