/** All SQL of the 12350 channel: its reports, their sealed identities and the merge trees eligibility reads. */
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../kernel/db.js';
import type { State } from '../incidents/index.js';
import type { MatterReport } from './safety.rules.js';
import type { EligibilityReason, HazardKind, SafetyReport } from './safety.js';

export interface SafetyReportsTable {
  incident_id: number;
  hazard_kind: HazardKind;
  occurred_at: Date | null;
  business_name: string;
  business_credit_code: string | null;
  business_address: string | null;
  is_real_name: boolean;
  identity_sealed: string | null;
  identity_key_id: string | null;
  reward_eligible: boolean;
  eligibility_reason: EligibilityReason;
  eligibility_updated_at: Date;
  created_at: Date;
}

interface IncidentsView {
  id: number;
  state: State;
  reported_at: Date;
  merged_into_id: number | null;
  channel: string;
}

type Db = Executor<{ safety_reports: SafetyReportsTable; incidents: IncidentsView }>;
type Row = Selectable<SafetyReportsTable>;

const toReport = (r: Row): SafetyReport => ({
  incidentId: r.incident_id,
  hazardKind: r.hazard_kind,
  occurredAt: r.occurred_at,
  businessName: r.business_name,
  businessCreditCode: r.business_credit_code,
  businessAddress: r.business_address,
  isRealName: r.is_real_name,
  rewardEligible: r.reward_eligible,
  eligibilityReason: r.eligibility_reason,
  createdAt: r.created_at,
});

export async function insertReport(db: Db, row: Row): Promise<void> {
  await db.insertInto('safety_reports').values(row).execute();
}

export async function findReport(db: Db, incidentId: number): Promise<SafetyReport | undefined> {
  const r = await db.selectFrom('safety_reports').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
  return r && toReport(r);
}

export async function findSealedIdentity(db: Db, incidentId: number): Promise<{ sealed: string; keyId: string } | undefined> {
  const r = await db.selectFrom('safety_reports').select(['identity_sealed', 'identity_key_id']).where('incident_id', '=', incidentId).executeTakeFirst();
  return r?.identity_sealed && r.identity_key_id ? { sealed: r.identity_sealed, keyId: r.identity_key_id } : undefined;
}

/**
 * Every incident of the merge tree `incidentId` belongs to (up to its surviving incident, then everything merged
 * into that, at any depth), with the 12350 real-name flag of those that are 12350 reports.
 */
export async function findMatter(db: Db, incidentId: number): Promise<MatterReport[]> {
  const rows = await sql<{ id: number | string; state: State; reported_at: Date; merged_into_id: number | string | null; is_real_name: boolean | null }>`
    with recursive up (id, merged_into_id, depth) as (
      select id, merged_into_id, 0 from incidents where id = ${incidentId}
      union all
      select i.id, i.merged_into_id, up.depth + 1 from incidents i join up on i.id = up.merged_into_id where up.depth < 100
    ),
    root as (select id from up where merged_into_id is null or depth = 100 limit 1),
    down (id, depth) as (
      select id, 0 from root
      union all
      select i.id, down.depth + 1 from incidents i join down on i.merged_into_id = down.id where down.depth < 100
    )
    select i.id, i.state, i.reported_at, i.merged_into_id, s.is_real_name
    from incidents i join (select distinct id from down) d on d.id = i.id
    left join safety_reports s on s.incident_id = i.id
  `.execute(db);
  return rows.rows.map((r) => ({
    incidentId: Number(r.id),
    state: r.state,
    reportedAt: r.reported_at instanceof Date ? r.reported_at : new Date(r.reported_at),
    mergedIntoId: r.merged_into_id === null ? null : Number(r.merged_into_id),
    realName: r.is_real_name,
  }));
}

/** Writes eligibility where it changed; returns the ids that changed. */
export async function updateEligibility(db: Db, changes: readonly { incidentId: number; eligible: boolean; reason: EligibilityReason }[], at: Date): Promise<number[]> {
  const changed: number[] = [];
  for (const c of changes) {
    const r = await db
      .updateTable('safety_reports')
      .set({ reward_eligible: c.eligible, eligibility_reason: c.reason, eligibility_updated_at: at })
      .where('incident_id', '=', c.incidentId)
      .where((eb) => eb.or([eb('reward_eligible', '!=', c.eligible), eb('eligibility_reason', '!=', c.reason)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) changed.push(c.incidentId);
  }
  return changed;
}
