import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/db.js';
import { FakeClock } from '../../kernel/clock.js';
import { createAuditService } from './audit.service.js';

describeEachEngine('audit trail', (suite) => {
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  const audit = () => createAuditService(suite.database, clock);
  const by = { userId: null, label: 'tester', ip: '10.1.2.3' };

  it('appends entries with a gapless sequence and verifies the chain', async () => {
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      await audit().record({ action: 'unit.rename', target: { type: 'unit', id: `500154${i}` }, details: { from: '旧名', to: `新名${i}`, nested: { b: 2, a: [1, '二'] } } }, by);
    }
    const rows = await audit().search({ action: 'unit.' }, { limit: 10 });
    expect(rows.map((r) => r.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(rows[0]).toMatchObject({ actorLabel: 'tester', ip: '10.1.2.3', targetType: 'unit', targetId: '5001544', details: { to: '新名4' } });
    expect(await audit().verify()).toEqual({ ok: true, checked: 5, lastSeq: 5 });
  });

  it('refuses updates and deletes through SQL', async () => {
    await expect(sql`update audit_log set actor_label = 'x' where seq = 1`.execute(suite.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where seq = 1`.execute(suite.database.db)).rejects.toThrow(/append-only/);
  });

  it('rolls the entry back with the transaction it belongs to', async () => {
    const before = (await audit().verify()).lastSeq;
    await expect(
      suite.database.transaction(async (tx) => {
        await audit().append(tx, { action: 'unit.create' }, by);
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect((await audit().verify()).lastSeq).toBe(before);
  });

  it('keeps one unbroken chain when many transactions append at once', async () => {
    const before = (await audit().verify()).lastSeq;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        suite.database.transaction(async (tx) => {
          await sql`select 1`.execute(tx);
          await audit().append(tx, { action: 'test.concurrent', details: { i } }, by);
        }),
      ),
    );
    expect(await audit().verify()).toEqual({ ok: true, checked: before + 20, lastSeq: before + 20 });
  });

  it('detects a row edited or deleted behind the application’s back', async () => {
    const { db } = suite.database;
    const last = (await audit().verify()).lastSeq;
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db);
    try {
      await sql`update audit_log set details = '{"to":"伪造"}'::jsonb where seq = 3`.execute(db);
      expect(await audit().verify()).toMatchObject({ ok: false, broken: { seq: 3, reason: 'hash_mismatch' } });
      await sql`delete from audit_log where seq = 3`.execute(db);
      expect(await audit().verify()).toMatchObject({ ok: false, broken: { seq: 4, reason: 'missing_rows', expectedSeq: 3 } });
    } finally {
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(db);
    }
    expect(last).toBeGreaterThan(3);
  });
});
