/**
 * The composition root of use cases: every transport (pages, JSON API, jobs, CLI) gets the same service
 * objects, built here from the database, the clock and the configuration.
 */
import type { Config } from './config.js';
import type { Clock } from './kernel/clock.js';
import type { Database } from './kernel/db.js';
import type { Logger } from './kernel/logger.js';
import { createAuditService, type AuditService } from './modules/audit/index.js';
import {
  createIdentityService,
  createKeyRing,
  createPeopleService,
  createSecondFactorService,
  type IdentityService,
  type PeopleService,
  type SecondFactorService,
} from './modules/identity/index.js';
import { createOrganizationService, type OrganizationService } from './modules/organization/index.js';
import { createSettingsService, type SettingsService } from './modules/settings/index.js';
import { createTokenService, type TokenService } from './modules/tokens/index.js';

export interface Services {
  readonly audit: AuditService;
  readonly organization: OrganizationService;
  readonly identity: IdentityService;
  readonly people: PeopleService;
  readonly secondFactor: SecondFactorService;
  readonly tokens: TokenService;
  readonly settings: SettingsService;
}

export interface ServiceDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly config: Config;
  readonly logger: Logger;
}

export function createServices(deps: ServiceDeps): Services {
  const audit = createAuditService(deps.database, deps.clock);
  const settings = createSettingsService(deps.database);
  // Second-factor secrets are encrypted under a key derived from the signing secret (SECRET_KEY or generated).
  const keys = createKeyRing(() => settings.signingSecret(deps.config.secretKey));
  const identity = createIdentityService(deps.database, deps.clock, audit, keys);
  return {
    audit,
    organization: createOrganizationService(deps.database, deps.clock, audit),
    identity,
    people: createPeopleService(deps.database, deps.clock, audit, identity),
    secondFactor: createSecondFactorService(deps.database, deps.clock, audit, keys, identity),
    tokens: createTokenService(deps.database, deps.clock, audit),
    settings,
  };
}
