/** Builds the lifeline module's services over one shared sensor register. */
import type { Clock } from '../../kernel/clock.js';
import type { Database } from '../../kernel/db.js';
import type { Logger } from '../../kernel/logger.js';
import type { AuditService } from '../audit/index.js';
import type { AlarmNotifier } from './alarm-notifier.js';
import { centerUnitLookup, createAlarmService, type AlarmService } from './alarm.service.js';
import { createAssetService, type AssetService } from './asset.service.js';
import type { IncidentPort } from './incident-port.js';
import { createSensorRegistry } from './sensor-registry.js';
import { createTelemetryService, type TelemetryService, type TelemetrySettings } from './telemetry.service.js';

export interface LifelineServices {
  readonly assets: AssetService;
  readonly telemetry: TelemetryService;
  readonly alarms: AlarmService;
}

export interface LifelineDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly audit: AuditService;
  readonly incidents: IncidentPort;
  readonly notifier: AlarmNotifier;
  readonly publicUrl: string;
  readonly settings?: Partial<TelemetrySettings>;
}

export function createLifelineServices(deps: LifelineDeps): LifelineServices {
  const registry = createSensorRegistry(deps.database.db);
  const centerUnitId = centerUnitLookup(deps.database);
  return {
    assets: createAssetService({ database: deps.database, clock: deps.clock, audit: deps.audit, registry }),
    telemetry: createTelemetryService({ database: deps.database, clock: deps.clock, registry, logger: deps.logger, settings: deps.settings, centerUnitId }),
    alarms: createAlarmService({
      database: deps.database,
      clock: deps.clock,
      audit: deps.audit,
      incidents: deps.incidents,
      notifier: deps.notifier,
      logger: deps.logger,
      publicUrl: deps.publicUrl,
    }),
  };
}
