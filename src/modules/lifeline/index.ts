/** Urban lifeline safety (城市生命线): assets, sensors, telemetry, alarm rules and alarms. */
export { createLifelineServices, type LifelineDeps, type LifelineServices } from './lifeline.js';
/** Use cases of assets, sensors, profiles and device credentials. */
export type { AssetMapItem, AssetService, ChangeContext as AssetChangeContext, ImportResult as AssetImportResult } from './asset.service.js';
/** Use cases of telemetry: device authentication, ingest, storage upkeep, silence, series. */
export { DEFAULT_TELEMETRY_SETTINGS, type DeviceIdentity, type IngestResult, type TelemetryService, type TelemetrySettings } from './telemetry.service.js';
/** Use cases of alarms: actions, judgement, incidents, notifications, statistics. */
export type { AlarmContext, AlarmDetail, AlarmService } from './alarm.service.js';
/** Filters of listings. */
export type { AlarmFilter } from './alarm.repository.js';
export type { AssetFilter } from './asset.repository.js';
/** Shapes of assets, sensors, profiles and credentials. */
export {
  ASSET_KINDS,
  CREDENTIAL_KINDS,
  RISK_LEVELS,
  SENSOR_KINDS,
  type Asset,
  type AssetKind,
  type AssetSpec,
  type Credential,
  type CredentialKind,
  type Geometry,
  type Position,
  type RiskLevel,
  type Sensor,
  type SensorKind,
  type SensorProfile,
  type SensorSpec,
} from './asset.js';
/** Shapes of alarms. */
export { ALARM_EVENT_KINDS, ALARM_STATUSES, JUDGEMENTS, type Alarm, type AlarmEvent, type AlarmEventKind, type AlarmStatistics, type AlarmStatus, type Judgement } from './alarm.js';
/** What may be done to an alarm. */
export { ALARM_ACTIONS, type AlarmAction } from './alarm.workflow.js';
/** The alarm rule engine (pure), for the detection-quality script and tests. */
export {
  EMPTY_STATE,
  GRADES,
  RULE_KINDS,
  checkSilence,
  evaluateReadings,
  parseRules,
  type AlarmRule,
  type Grade,
  type RuleKind,
  type SensorRuleState,
  type Transition,
} from './alarm-rule.rules.js';
/** Quantities and units. */
export { QUANTITIES, QUANTITY_SPECS, canonicalUnit, type Quantity } from './quantity.rules.js';
/** Reasons a reading is refused (stable codes, counted in /metrics). */
export { REFUSAL_REASONS, type Refusal, type RefusalReason } from './reading.rules.js';
/** The shipped sensor profiles. */
export { REFERENCE_PROFILES } from './profiles.js';
/** The port to the case flow: what a confirmed alarm needs to open an incident. */
export { unconnectedIncidentPort, type AlarmIncidentRequest, type IncidentPort } from './incident-port.js';
/** Where alarm notifications go. */
export { loggingNotifier, webhookNotifier, type AlarmNotification, type AlarmNotifier } from './alarm-notifier.js';
/** The demo district's lifeline: assets and sensors. */
export { DEMO_LIFELINE } from './demo-assets.js';
