import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/db.js';
import { statementNames } from './statement-cache.js';

describe('statement names', () => {
  it('names a text the second time it is seen, and always by the same name', () => {
    const names = statementNames();
    expect(names.nameFor('select $1')).toBeUndefined();
    const name = names.nameFor('select $1');
    expect(name).toMatch(/^zz_[\w-]{20}$/);
    expect(names.nameFor('select $1')).toBe(name);
    expect(names.nameFor('select $1::int')).toBeUndefined();
  });

  it('names at most the given number of texts, so ad-hoc statements cannot fill the server with plans', () => {
    const names = statementNames(2, 10);
    for (const t of ['a', 'b', 'c']) names.nameFor(t);
    expect(['a', 'b', 'c'].map((t) => names.nameFor(t) !== undefined)).toEqual([true, true, false]);
    expect(names.size).toBe(2);
  });

  it('stops counting new texts once it has counted enough', () => {
    const names = statementNames(10, 2);
    for (const t of ['a', 'b', 'c', 'c']) names.nameFor(t);
    expect(names.nameFor('c')).toBeUndefined(); // 'c' was never counted
    expect(names.nameFor('a')).toBeDefined();
  });
});

describeEachEngine('prepared statements on the server', (suite) => {
  it('prepares a repeated query once per connection on PostgreSQL and gives the same answers', async () => {
    const run = (n: number) => sql<{ v: number }>`select ${n}::int + 1 as v`.execute(suite.database.db);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await run(i)).rows[0]!.v);
    expect(answers).toEqual([1, 2, 3, 4, 5]);
    if (suite.engine !== 'postgres') return;
    // Inside a transaction (one connection), the server lists the statement among the session's prepared ones.
    const listed = await suite.database.transaction(async (tx) => {
      await sql`select ${7}::int + 1 as v`.execute(tx);
      await sql`select ${8}::int + 1 as v`.execute(tx);
      return (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(tx)).rows.map((r) => r.statement);
    });
    expect(listed.some((s) => s.includes('$1::int + 1 as v'))).toBe(true);
    // The callback form, as pg-pool's pool.query calls a client, is prepared too.
    const client = await suite.database.pool!.connect();
    try {
      const viaCallback = (i: number) =>
        new Promise<number>((resolve, reject) => client.query<{ v: number }>('select $1::int * 3 as v', [i], (err, r) => (err ? reject(err) : resolve(r.rows[0]!.v))));
      expect([await viaCallback(1), await viaCallback(2), await viaCallback(3)]).toEqual([3, 6, 9]);
      const prepared = await client.query<{ statement: string }>('select statement from pg_prepared_statements');
      expect(prepared.rows.some((r) => r.statement === 'select $1::int * 3 as v')).toBe(true);
    } finally {
      client.release();
    }
  });
});
