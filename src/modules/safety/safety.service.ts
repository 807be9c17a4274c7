/**
 * Use cases of the 12350 安全生产举报 channel: take a report (an incident of channel `hotline_12350`, accepted at
 * once, plus the channel's record with the reporter's identity sealed, in one transaction), show staff the
 * report, reveal the reporter's identity to holders of the explicit grant `reporter.identity.read` (every
 * viewing and every refused attempt in the audit log), and keep the reward-eligibility flag right as reports are
 * merged, rejected or voided.
 */
import type { Clock } from '../../kernel/clock.js';
import type { Database, Executor } from '../../kernel/db.js';
import { DomainError, forbidden, invalid, notFound, unavailable } from '../../kernel/errors.js';
import type { Initiator } from '../../kernel/initiator.js';
import { can, type PolicyActor } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import type { IncidentChange, IncidentService, IncidentView, ReportResult } from '../incidents/index.js';
import type { ReporterKeySource } from './reporter-key.js';
import * as repo from './safety.repository.js';
import { occurredAtOf, rewardEligibility, validateSafetyReport } from './safety.rules.js';
import type { HazardKind, ReporterIdentity, SafetyReport, SafetyReportInput } from './safety.js';

export interface SafetyService {
  /** Whether reports can be taken (a reporter key is configured or could be generated). */
  available(): Promise<boolean>;
  /** Takes a report; SAFETY.NO_REPORTER_KEY (503) without a key, REQUEST.INVALID with the problems field by field. */
  submit(input: SafetyReportInput, by: Initiator): Promise<ReportResult>;
  /** The channel's record of an incident the actor could already view (the view proves it), or undefined. */
  details(view: IncidentView): Promise<SafetyReport | undefined>;
  /**
   * The reporter's identity (null for an anonymous report) for a holder of `reporter.identity.read`; the
   * viewing is audited with who, when, which report and from where. Without the grant the refusal is audited
   * and AUTH.FORBIDDEN thrown.
   */
  revealIdentity(incidentId: number, actor: PolicyActor, by: Initiator): Promise<ReporterIdentity | null>;
}

export interface SafetyDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly audit: AuditService;
  readonly incidents: IncidentService;
  readonly keys: ReporterKeySource;
  /** The catalogue category of 12350 reports, or null when the catalogue has none. */
  readonly categoryId: () => Promise<number | null>;
}

const TRIGGERS = new Set(['merge', 'reject', 'void', 'reopen', 'unpark']);

/**
 * The incident-flow observer that recomputes reward eligibility across a matter's merge tree when a report is
 * merged, rejected or voided (and when a rejected matter comes back), in the same transaction; changes are audited.
 */
export function eligibilityObserver(clock: Clock, audit: AuditService): (tx: Executor, change: IncidentChange) => Promise<void> {
  return async (tx, change) => {
    if (!TRIGGERS.has(change.action)) return;
    await recompute(tx, change.after.id, clock, audit);
  };
}

async function recompute(tx: Executor, incidentId: number, clock: Clock, audit: AuditService): Promise<void> {
  const matter = await repo.findMatter(tx, incidentId);
  if (!matter.some((r) => r.realName !== null)) return;
  const decided = rewardEligibility(matter);
  const changed = await repo.updateEligibility(
    tx,
    [...decided].map(([id, v]) => ({ incidentId: id, ...v })),
    clock.now(),
  );
  if (changed.length) {
    await audit.appendMany(
      tx,
      changed.map((id) => ({ entry: { action: 'safety.eligibility', target: { type: 'incident', id: String(id) }, details: decided.get(id)! }, by: { userId: null, label: 'system', ip: null } })),
    );
  }
}

export function createSafetyService(deps: SafetyDeps): SafetyService {
  const { database, clock, audit, incidents, keys } = deps;
  const { db } = database;

  return {
    async available() {
      return (await keys.cipher()) !== undefined;
    },

    async submit(input, by) {
      const cipher = await keys.cipher();
      if (!cipher) throw unavailable('SAFETY.NO_REPORTER_KEY', 'No REPORTER_KEY is configured: 12350 reports are refused rather than stored with identities in plain text');
      const now = clock.now();
      const problems = validateSafetyReport(input, now);
      if (problems.length) throw invalid('REQUEST.INVALID', problems.map((p) => p.message).join('; '), problems);
      const identity: ReporterIdentity | null = input.anonymous
        ? null
        : {
            name: input.reporter!.name!.trim(),
            phone: input.reporter!.phone!.trim().replace(/\s/g, ''),
            idNumber: input.reporter?.idNumber?.trim().toUpperCase() || null,
            contact: input.reporter?.contact?.trim() || null,
          };
      const categoryId = await deps.categoryId();
      const businessName = input.businessName.trim();
      return incidents.report(
        {
          channel: 'hotline_12350',
          requestType: 'report',
          categoryId,
          title: `安全生产举报：${businessName}`.slice(0, 100),
          description: input.circumstances.trim(),
          address: input.address.trim(),
          location: input.location ?? null,
          // The identity never reaches the incident row: only whether the reporter gave their name.
          reporter: { anonymous: input.anonymous },
          idempotencyKey: input.idempotencyKey ?? null,
          lookupCode: input.lookupCode ?? undefined,
          attachmentIds: input.attachmentIds,
          // 12350 reports are accepted at once; the 60-day clock starts now (CHANNEL_RULES in the workflow).
          then: { accept: true },
          alsoWrite: async (tx, incident) => {
            await repo.insertReport(tx, {
              incident_id: incident.id,
              hazard_kind: input.hazardKind as HazardKind,
              occurred_at: input.occurredAt ? (occurredAtOf(input.occurredAt) ?? null) : null,
              business_name: businessName,
              business_credit_code: input.businessCreditCode?.trim().toUpperCase() || null,
              business_address: input.businessAddress?.trim() || null,
              is_real_name: identity !== null,
              identity_sealed: identity ? cipher.seal(identity, incident.id) : null,
              identity_key_id: identity ? cipher.keyId : null,
              // A new report is a matter of its own until merged: eligible when real-name.
              reward_eligible: identity !== null,
              eligibility_reason: identity ? 'eligible' : 'anonymous',
              eligibility_updated_at: now,
              created_at: now,
            });
          },
        },
        by,
      );
    },

    async details(view) {
      if (view.incident.channel !== 'hotline_12350') return undefined;
      return repo.findReport(db, view.incident.id);
    },

    async revealIdentity(incidentId, actor, by) {
      // The grant counts within its scope: the report's place or one of the units working on it must lie inside it.
      const view = await incidents.view(incidentId, actor).catch(() => undefined);
      const pathOf = (id: number | null) => (id === null ? null : (view?.units.get(id)?.path ?? null));
      const allowed =
        view !== undefined &&
        can(actor, 'reporter.identity.read', {
          areaPath: pathOf(view.incident.areaUnitId),
          unitPaths: [pathOf(view.incident.coordinatorUnitId), pathOf(view.incident.leadUnitId), ...view.incident.coUnitIds.map(pathOf)],
        });
      const cipher = allowed ? await keys.cipher() : undefined;
      const number = (await incidents.get(incidentId).catch(() => undefined))?.number;
      const result = await database.transaction(async (tx) => {
        const report = number ? await repo.findReport(tx, incidentId) : undefined;
        if (!report || !number) return { kind: 'missing' as const };
        if (!allowed) {
          await audit.append(tx, { action: 'safety.identity_refused', target: { type: 'incident', id: number }, details: { reason: 'no_grant' } }, by);
          return { kind: 'refused' as const };
        }
        const sealed = await repo.findSealedIdentity(tx, incidentId);
        const identity = sealed && cipher ? cipher.open(sealed.sealed, sealed.keyId, incidentId) : undefined;
        if (sealed && !identity) return { kind: 'key' as const, keyId: sealed.keyId };
        await audit.append(tx, { action: 'safety.identity_read', target: { type: 'incident', id: number }, details: { realName: report.isRealName } }, by);
        return { kind: 'ok' as const, identity: identity ?? null };
      });
      switch (result.kind) {
        case 'missing':
          throw notFound('SAFETY.NOT_FOUND', `No 12350 report ${incidentId}`, { id: incidentId });
        case 'refused':
          throw forbidden('AUTH.FORBIDDEN', 'Reading a reporter identity needs the grant reporter.identity.read');
        case 'key':
          throw new DomainError('Unavailable', 'SAFETY.KEY_UNAVAILABLE', `The key ${result.keyId} that sealed this identity is not configured`, { params: { keyId: result.keyId } });
        case 'ok':
          return result.identity;
      }
    },
  };
}
