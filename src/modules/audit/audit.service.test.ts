import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/db.js';
import { FakeClock } from '../../kernel/clock.js';
import { createAuditService } from './audit.service.js';

describeEachEngine('audit trail', (suite) => {
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  const audit = () => createAuditService(suite.database, clock);
  const by = { userId: null, label: 'tester', ip: '10.1.2.3' };

  it('appends entries with gapless chains and verifies them', async () => {
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      await audit().record({ action: 'unit.rename', target: { type: 'unit', id: '5001549' }, details: { from: '旧名', to: `新名${i}`, nested: { b: 2, a: [1, '二'] } } }, by);
    }
    const rows = await audit().search({ action: 'unit.' }, { limit: 10 });
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.chain)).size).toBe(1);
    expect(rows.map((r) => r.chainSeq)).toEqual([5, 4, 3, 2, 1]);
    expect(rows[0]).toMatchObject({ actorLabel: 'tester', ip: '10.1.2.3', targetType: 'unit', targetId: '5001549', details: { to: '新名4' } });
    expect(await audit().verify()).toMatchObject({ ok: true, checked: 5 });
  });

  it('refuses updates and deletes through SQL', async () => {
    await expect(sql`update audit_log set actor_label = 'x' where seq = 1`.execute(suite.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where seq = 1`.execute(suite.database.db)).rejects.toThrow(/append-only/);
  });

  it('rolls the entry back with the transaction it belongs to', async () => {
    const before = (await audit().verify()).checked;
    await expect(
      suite.database.transaction(async (tx) => {
        await audit().append(tx, { action: 'unit.create' }, by);
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect((await audit().verify()).checked).toBe(before);
  });

  it('keeps every chain unbroken when many transactions append at once, about one thing and about many', async () => {
    const before = (await audit().verify()).checked;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        suite.database.transaction(async (tx) => {
          await sql`select 1`.execute(tx);
          await audit().appendMany(tx, [
            { entry: { action: 'test.concurrent', target: { type: 'thing', id: i % 2 === 0 ? 'same' : `other-${i}` }, details: { i } }, by },
            { entry: { action: 'test.concurrent', target: { type: 'thing', id: `second-${i}` } }, by },
          ]);
        }),
      ),
    );
    expect(await audit().verify()).toMatchObject({ ok: true, checked: before + 80 });
  });

  it('detects the last entry of a chain deleted behind the application’s back, by the chain’s recorded head', async () => {
    const { db } = suite.database;
    const [newest] = await audit().search({}, { limit: 1 });
    const saved = await sql<{ row: unknown }>`select to_jsonb(a) as row from audit_log a where seq = ${newest!.seq}`.execute(db);
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db);
    try {
      await sql`delete from audit_log where seq = ${newest!.seq}`.execute(db);
      expect(await audit().verify()).toMatchObject({ ok: false, broken: { chain: newest!.chain, chainSeq: newest!.chainSeq - 1, reason: 'tail_missing', headChainSeq: newest!.chainSeq } });
      // Put back, the chain is whole again.
      await sql`insert into audit_log overriding system value select * from jsonb_populate_record(null::audit_log, ${JSON.stringify(saved.rows[0]!.row)}::jsonb)`.execute(db);
      expect(await audit().verify()).toMatchObject({ ok: true });
    } finally {
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(db);
    }
  });

  it('detects a row edited or deleted behind the application’s back', async () => {
    const { db } = suite.database;
    const [row] = await audit().search({ targetId: '5001549' }, { limit: 1 });
    const victim = { chain: row!.chain, chainSeq: 3 };
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db);
    try {
      await sql`update audit_log set details = '{"to":"伪造"}'::jsonb where chain = ${victim.chain} and chain_seq = 3`.execute(db);
      expect(await audit().verify()).toMatchObject({ ok: false, broken: { ...victim, reason: 'hash_mismatch' } });
      await sql`delete from audit_log where chain = ${victim.chain} and chain_seq = 3`.execute(db);
      expect(await audit().verify()).toMatchObject({ ok: false, broken: { chain: victim.chain, chainSeq: 4, reason: 'missing_rows', expectedChainSeq: 3 } });
    } finally {
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(db);
    }
  });
});
