/**
 * The composition root of use cases: every transport (pages, JSON API, jobs, CLI) gets the same service
 * objects, built here from the database, the clock and the configuration.
 */
import type { Config } from './config.js';
import type { Clock } from './kernel/clock.js';
import type { Database } from './kernel/db.js';
import type { Logger } from './kernel/logger.js';
import { createAuditService, type AuditService } from './modules/audit/index.js';
import { createAttachmentService, type AttachmentService } from './modules/attachments/index.js';
import { createCalendarService, type CalendarService } from './modules/calendar/index.js';
import { createGeographyService, type GeographyService } from './modules/geography/index.js';
import {
  createIdentityService,
  createKeyRing,
  createPeopleService,
  createSecondFactorService,
  type IdentityService,
  type PeopleService,
  type SecondFactorService,
} from './modules/identity/index.js';
import { createCatalogService, createIncidentService, type CatalogService, type AreaLocator, type IncidentService, type Limit, type StageTiming } from './modules/incidents/index.js';
import { createLifelineServices, loggingNotifier, webhookNotifier, type AlarmIncidentRequest, type IncidentPort, type LifelineServices } from './modules/lifeline/index.js';
import { createNotificationService, httpWebhookSender, loggingSender, type NotificationService } from './modules/notifications/index.js';
import { DISTRICT_CODE, createOrganizationService, type OrganizationService } from './modules/organization/index.js';
import { createDiskFileStore, createHttpLinkProbe, createPortalService, type PortalService } from './modules/portal/index.js';
import { createSettingsService, type SettingsService } from './modules/settings/index.js';
import { createThrottleService, type ThrottleService } from './modules/throttle/index.js';
import { createSafetyService, eligibilityObserver, reporterKeySource, type SafetyService } from './modules/safety/index.js';
import { createTokenService, type TokenService } from './modules/tokens/index.js';

export interface Services {
  readonly audit: AuditService;
  readonly calendar: CalendarService;
  readonly organization: OrganizationService;
  readonly identity: IdentityService;
  readonly people: PeopleService;
  readonly secondFactor: SecondFactorService;
  readonly tokens: TokenService;
  readonly settings: SettingsService;
  /** Per-client request limits on public submissions. */
  readonly throttle: ThrottleService;
  readonly catalog: CatalogService;
  readonly notifications: NotificationService;
  readonly attachments: AttachmentService;
  readonly incidents: IncidentService;
  /** The incident service on another clock (the demo seeder replays a month of cases). */
  readonly incidentsAt: (clock: Clock) => IncidentService;
  readonly geography: GeographyService;
  readonly portal: PortalService;
  readonly lifeline: LifelineServices;
  /** The 12350 安全生产举报 channel. */
  readonly safety: SafetyService;
}

export interface ServiceDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly config: Config;
  readonly logger: Logger;
}

/**
 * Time limits in working time: working hours and days by the unit's calendar, natural ones round the clock. A
 * deadline that reaches into a year whose holidays are not published yet is computed on the provisional calendar
 * (weekdays, no holidays) and logged, rather than refusing the report: publish the year in the workbench.
 */
export function calendarTiming(calendar: CalendarService, logger: Logger): StageTiming {
  // A yellow warning once three quarters of the stage's working time has passed.
  const WARN_FRACTION = 0.75;
  return {
    async forUnit(unitId) {
      const [published, provisional] = await Promise.all([calendar.calendarFor(unitId), calendar.provisionalCalendarFor(unitId)]);
      const withFallback = <R>(fn: (c: typeof published) => R): R => {
        try {
          return fn(published);
        } catch (e) {
          if ((e as { code?: string }).code !== 'CALENDAR.OUT_OF_RANGE') throw e;
          logger.warn({ unitId }, 'deadline computed on the provisional calendar: the year is not published');
          return fn(provisional);
        }
      };
      const addOn = (cal: typeof published, from: Date, limit: Limit): Date => {
        switch (limit.unit) {
          case 'hours':
            return cal.addWorkingHours(from, limit.amount);
          case 'days':
            return cal.addWorkingDays(from, limit.amount);
          case 'natural_hours':
            return new Date(from.getTime() + limit.amount * 3_600_000);
          case 'natural_days':
            return new Date(from.getTime() + limit.amount * 86_400_000);
        }
      };
      return {
        deadline: (from, limit) =>
          withFallback((cal) => {
            const dueAt = addOn(cal, from, limit);
            const warnAt =
              limit.unit === 'hours' || limit.unit === 'days'
                ? cal.warningAt(from, dueAt, WARN_FRACTION)
                : new Date(from.getTime() + WARN_FRACTION * (dueAt.getTime() - from.getTime()));
            return { dueAt, warnAt };
          }),
        extend: (deadline, extra) => withFallback((cal) => addOn(cal, deadline, extra)),
      };
    },
  };
}

/**
 * Catalogue categories for confirmed lifeline alarms, by asset kind: a deployment's own `LL-…` category first,
 * else the matching category of the demo catalogue. With none, the incident waits for the district center to file
 * and dispatch it; with one, it is filed and dispatched to the owning unit at once.
 */
export const ALARM_CATEGORY_CODES: Readonly<Record<string, readonly string[]>> = {
  gas_pipeline: ['LL-GAS', 'BJ0104'],
  water_pipeline: ['LL-WATER', 'BJ0103'],
  drainage_pipeline: ['LL-DRAINAGE', 'SJ0501'],
  bridge: ['LL-BRIDGE', 'BJ0204'],
  utility_tunnel: ['LL-TUNNEL', 'BJ0106'],
  risk_point: ['LL-RISK', 'SJ0504'],
};

/** Catalogue categories for 12350 reports: a deployment's own `AQ-12350` first, else the demo catalogue's. */
export const SAFETY_CATEGORY_CODES: readonly string[] = ['AQ-12350', 'SJ0601'];

async function firstCategory(catalog: CatalogService, codes: readonly string[]): Promise<number | null> {
  for (const code of codes) {
    try {
      return (await catalog.getByCode(code)).id;
    } catch (e) {
      if ((e as { kind?: string }).kind !== 'NotFound') throw e;
    }
  }
  return null;
}

/** The lifeline port to the case flow: a confirmed alarm becomes a sensor-channel incident, idempotent by the alarm. */
export function alarmIncidentPort(incidents: IncidentService, catalog: CatalogService): IncidentPort {
  const categoryFor = async (req: AlarmIncidentRequest): Promise<number | null> => {
    for (const code of ALARM_CATEGORY_CODES[req.asset.kind] ?? []) {
      try {
        return (await catalog.getByCode(code)).id;
      } catch (e) {
        if ((e as { kind?: string }).kind !== 'NotFound') throw e;
      }
    }
    return null;
  };
  return {
    async openIncidentFromAlarm(req, by) {
      const categoryId = await categoryFor(req);
      const lines = req.readings.slice(-30).map((r) => `${r.ts.toISOString()} ${r.value} ${req.sensor.unit}`);
      const r = await incidents.report(
        {
          channel: 'sensor',
          categoryId,
          title: req.title,
          description: `${req.description}\n告警详情：${req.alarmPath}\n告警前后读数（最近 ${lines.length} 条）：\n${lines.join('\n')}`,
          address: req.location.address,
          location: { lon: req.location.lon, lat: req.location.lat },
          areaUnitId: req.location.areaUnitId,
          urgency: req.grade === 1 ? 'critical' : req.urgency,
          idempotencyKey: req.sourceRef,
          then: categoryId ? { dispatchTo: { leadUnitId: req.owningUnitId } } : undefined,
        },
        by,
      );
      return { incidentId: r.incident.id, number: r.incident.number };
    },
  };
}

export function createServices(deps: ServiceDeps): Services {
  const audit = createAuditService(deps.database, deps.clock);
  const settings = createSettingsService(deps.database);
  // Second-factor secrets are encrypted under a key derived from the signing secret (SECRET_KEY or generated).
  const keys = createKeyRing(() => settings.signingSecret(deps.config.secretKey));
  const identity = createIdentityService(deps.database, deps.clock, audit, keys);
  const calendar = createCalendarService(deps.database, deps.clock, audit);
  const catalog = createCatalogService(deps.database, deps.clock, audit);
  const notifications = createNotificationService(deps.database, deps.clock, audit, {
    webhook: httpWebhookSender(),
    sms: loggingSender(deps.logger, 'sms'),
    email: loggingSender(deps.logger, 'email'),
  });
  const geography = createGeographyService(deps.database, {
    clock: deps.clock,
    auditBoundaryChange: async (tx, change) => {
      await audit.append(
        tx,
        { action: 'geography.boundaries_changed', target: { type: 'boundary_revision', id: change.revision }, details: { source: change.source, units: change.unitCodes.length, sample: change.unitCodes.slice(0, 20), fileName: change.fileName } },
        { userId: null, label: change.actor, ip: null },
      );
    },
  });
  const timing = calendarTiming(calendar, deps.logger);
  const organization = createOrganizationService(deps.database, deps.clock, audit);
  let districtId: Promise<number> | undefined;
  /** The smallest unit with a boundary containing the point: grid, else village or community, else town, else the district. */
  const locator: AreaLocator = {
    async locate(lon, lat) {
      const p = await geography.locate([lon, lat]);
      if (!p.inside) return null;
      const unit = p.grid ?? p.village ?? p.town;
      if (unit) return unit.id;
      districtId ??= organization.getUnitByCode(DISTRICT_CODE).then((u) => u.id);
      return districtId;
    },
  };
  const incidentsAt = (clock: Clock) =>
    createIncidentService({
      database: deps.database,
      clock,
      audit,
      catalog,
      notifications,
      timing,
      locator,
      observers: [eligibilityObserver(clock, audit)],
      citizen: { reopenDays: deps.config.citizenReopenDays },
    });
  const incidents = incidentsAt(deps.clock);
  return {
    audit,
    calendar,
    organization,
    identity,
    people: createPeopleService(deps.database, deps.clock, audit, identity),
    secondFactor: createSecondFactorService(deps.database, deps.clock, audit, keys, identity),
    tokens: createTokenService(deps.database, deps.clock, audit),
    settings,
    throttle: createThrottleService(deps.database, deps.clock),
    catalog,
    notifications,
    attachments: createAttachmentService(deps.database, deps.clock, deps.config.uploadDir),
    incidents,
    incidentsAt,
    lifeline: createLifelineServices({
      database: deps.database,
      clock: deps.clock,
      logger: deps.logger,
      audit,
      incidents: alarmIncidentPort(incidents, catalog),
      notifier: deps.config.alarmWebhookUrl ? webhookNotifier(deps.config.alarmWebhookUrl) : loggingNotifier(deps.logger),
      publicUrl: deps.config.publicUrl,
      settings: deps.config.telemetry,
    }),
    geography,
    safety: createSafetyService({
      database: deps.database,
      clock: deps.clock,
      audit,
      incidents,
      keys: reporterKeySource({ key: deps.config.reporterKey, generateIn: deps.config.database.kind === 'pglite' ? deps.config.dataDir : undefined, logger: deps.logger }),
      categoryId: () => firstCategory(catalog, SAFETY_CATEGORY_CODES),
    }),
    portal: createPortalService({
      database: deps.database,
      clock: deps.clock,
      audit,
      files: createDiskFileStore(deps.config.uploadDir),
      probe: createHttpLinkProbe({ publicUrl: deps.config.publicUrl, external: deps.config.linkCheckExternal }),
      // 互动回应: letters from the portal's channels left without a response (the national inspection counts 3 months).
      messages: {
        unansweredSince: async (cutoff) =>
          (await incidents.unansweredLetters(cutoff)).map((l) => ({ title: `${l.number} ${l.title}`, receivedAt: l.reportedAt, href: `/workbench/incidents/${l.id}` })),
      },
    }),
  };
}
