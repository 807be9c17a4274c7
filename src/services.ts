/**
 * The composition root of use cases: every transport (pages, JSON API, jobs, CLI) gets the same service
 * objects, built here from the database, the clock and the configuration.
 */
import type { Config } from './config.js';
import type { Clock } from './kernel/clock.js';
import type { Database } from './kernel/db.js';
import type { Logger } from './kernel/logger.js';
import { createGeographyService, type GeographyService } from './modules/geography/index.js';
import { createIdentityService, type IdentityService } from './modules/identity/index.js';
import { createOrganizationService, type OrganizationService } from './modules/organization/index.js';
import { createSettingsService, type SettingsService } from './modules/settings/index.js';

export interface Services {
  readonly organization: OrganizationService;
  readonly identity: IdentityService;
  readonly settings: SettingsService;
  readonly geography: GeographyService;
}

export interface ServiceDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly config: Config;
  readonly logger: Logger;
}

export function createServices(deps: ServiceDeps): Services {
  return {
    organization: createOrganizationService(deps.database),
    identity: createIdentityService(deps.database, deps.clock),
    settings: createSettingsService(deps.database),
    // Boundary changes are not audited yet: pass `auditBoundaryChange` here once the audit module exists.
    geography: createGeographyService(deps.database, { clock: deps.clock }),
  };
}
