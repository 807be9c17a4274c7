/**
 * The composition root of use cases: every transport (pages, JSON API, jobs, CLI) gets the same service
 * objects, built here from the database, the clock and the configuration.
 */
import type { Config } from './config.js';
import type { Clock } from './kernel/clock.js';
import type { Database } from './kernel/db.js';
import type { Logger } from './kernel/logger.js';
import { createAuditService, type AuditService } from './modules/audit/index.js';
import { createIdentityService, type IdentityService } from './modules/identity/index.js';
import { createLifelineServices, loggingNotifier, unconnectedIncidentPort, webhookNotifier, type IncidentPort, type LifelineServices } from './modules/lifeline/index.js';
import { createOrganizationService, type OrganizationService } from './modules/organization/index.js';
import { createSettingsService, type SettingsService } from './modules/settings/index.js';

export interface Services {
  readonly audit: AuditService;
  readonly organization: OrganizationService;
  readonly identity: IdentityService;
  readonly settings: SettingsService;
  readonly lifeline: LifelineServices;
}

export interface ServiceDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly config: Config;
  readonly logger: Logger;
  /** The case flow's intake for confirmed alarms; unconnected until the incidents module provides it. */
  readonly incidents?: IncidentPort;
}

export function createServices(deps: ServiceDeps): Services {
  const audit = createAuditService(deps.database, deps.clock);
  return {
    audit,
    organization: createOrganizationService(deps.database, deps.clock, audit),
    identity: createIdentityService(deps.database, deps.clock, audit),
    settings: createSettingsService(deps.database),
    lifeline: createLifelineServices({
      database: deps.database,
      clock: deps.clock,
      logger: deps.logger,
      audit,
      incidents: deps.incidents ?? unconnectedIncidentPort,
      notifier: deps.config.alarmWebhookUrl ? webhookNotifier(deps.config.alarmWebhookUrl) : loggingNotifier(deps.logger),
      publicUrl: deps.config.publicUrl,
      settings: deps.config.telemetry,
    }),
  };
}
