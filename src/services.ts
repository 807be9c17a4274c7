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
import { createIdentityService, type IdentityService } from './modules/identity/index.js';
import { createCatalogService, type CatalogService } from './modules/incidents/index.js';
import { createNotificationService, httpWebhookSender, loggingSender, type NotificationService } from './modules/notifications/index.js';
import { createOrganizationService, type OrganizationService } from './modules/organization/index.js';
import { createSettingsService, type SettingsService } from './modules/settings/index.js';

export interface Services {
  readonly audit: AuditService;
  readonly organization: OrganizationService;
  readonly identity: IdentityService;
  readonly settings: SettingsService;
  readonly catalog: CatalogService;
  readonly notifications: NotificationService;
  readonly attachments: AttachmentService;
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
    catalog: createCatalogService(deps.database, deps.clock, audit),
    notifications: createNotificationService(deps.database, deps.clock, audit, {
      webhook: httpWebhookSender(),
      sms: loggingSender(deps.logger, 'sms'),
      email: loggingSender(deps.logger, 'email'),
    }),
    attachments: createAttachmentService(deps.database, deps.clock, deps.config.uploadDir),
  };
}
