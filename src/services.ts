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
import { createOrganizationService, type OrganizationService } from './modules/organization/index.js';
import { createDiskFileStore, createHttpLinkProbe, createPortalService, type PortalService } from './modules/portal/index.js';
import { createSettingsService, type SettingsService } from './modules/settings/index.js';

export interface Services {
  readonly audit: AuditService;
  readonly organization: OrganizationService;
  readonly identity: IdentityService;
  readonly settings: SettingsService;
  readonly portal: PortalService;
}

export interface ServiceDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly config: Config;
  readonly logger: Logger;
}

export function createServices(deps: ServiceDeps): Services {
  const audit = createAuditService(deps.database, deps.clock);
  return {
    audit,
    organization: createOrganizationService(deps.database, deps.clock, audit),
    identity: createIdentityService(deps.database, deps.clock, audit),
    settings: createSettingsService(deps.database),
    portal: createPortalService({
      database: deps.database,
      clock: deps.clock,
      audit,
      files: createDiskFileStore(deps.config.uploadDir),
      probe: createHttpLinkProbe({ publicUrl: deps.config.publicUrl, external: deps.config.linkCheckExternal }),
    }),
  };
}
