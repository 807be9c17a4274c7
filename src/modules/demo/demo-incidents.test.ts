import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/db.js';
import { createCaseFlow, type CaseFlow } from '../../../test/incidents.js';
import { DEMO_CASES, seedDemoIncidents } from './demo-incidents.js';

describeEachEngine('demo incidents', (suite) => {
  let f: CaseFlow;
  const now = new Date('2026-03-31T10:00:00+08:00');
  beforeAll(async () => {
    f = await createCaseFlow(suite.database);
    f.clock.set(now);
  });

  it('replays every demo case through the case flow to its stated outcome, all in the past and marked demo', async () => {
    const created = await seedDemoIncidents({
      organization: f.services.organization,
      catalog: f.services.catalog,
      incidentsAt: (clock) => f.services.incidentsAt(clock),
      now,
    });
    expect(created).toBe(DEMO_CASES.length);
    const rows = await sql<{ title: string; state: string; is_demo: boolean; reported_at: Date; rating: string | null; lead_unit_id: string | null; pending: string | null }>`
      select i.title, i.state, i.is_demo, i.reported_at, i.rating, i.lead_unit_id,
        (select r.kind from incident_requests r where r.incident_id = i.id and r.status = 'pending' limit 1) as pending
      from incidents i order by i.id`.execute(suite.database.db);
    expect(rows.rows).toHaveLength(DEMO_CASES.length);
    const byTitle = new Map(rows.rows.map((r) => [r.title, r]));
    const expected: Record<string, string> = {
      extension: 'signed',
      returned_verify: 'signed',
      answered: 'closed',
    };
    for (const c of DEMO_CASES) {
      const row = byTitle.get(c.title);
      expect(row, c.title).toBeDefined();
      expect(row!.state, c.title).toBe(expected[c.outcome] ?? c.outcome);
      expect(row!.is_demo).toBe(true);
      expect(new Date(row!.reported_at).getTime()).toBeLessThanOrEqual(now.getTime());
      expect(new Date(row!.reported_at).getTime()).toBeGreaterThan(now.getTime() - 31 * 86_400_000);
      if (c.rating) expect(row!.rating, c.title).toBe(c.rating);
      if (c.outcome === 'extension') expect(row!.pending).toBe('extension');
    }
    // Handled cases went to the unit the routing table names (e.g. road damage to the construction commission).
    const road = byTitle.get('道路坑洼积水')!;
    expect(Number(road.lead_unit_id)).toBe((await f.services.organization.getUnitByCode('D-ZJW')).id);
    // The one handled at 1.4 times its limit closed late; one handled at half its limit closed on time.
    const onTime = await sql<{ title: string; closed_on_time: boolean }>`
      select title, closed_on_time from incidents where title in ('步行街路面油污', '人行道井盖缺失') order by title`.execute(suite.database.db);
    expect(Object.fromEntries(onTime.rows.map((r) => [r.title, r.closed_on_time]))).toEqual({ 步行街路面油污: false, 人行道井盖缺失: true });
  });
});
