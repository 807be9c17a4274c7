/** The case flow: intake, the workflow, queues, timers (incident.service). */
export {
  MAX_PUBLIC_PAGE,
  QUEUES,
  createIncidentService,
  hashLookupCode,
  LOOKUP_ALPHABET,
  type ActCommand,
  type AreaLocator,
  type IncidentChange,
  type IncidentDeps,
  type IncidentService,
  type IncidentView,
  type QueueName,
  type ReportInput,
  type ReportResult,
  type StageTiming,
  type UnitTiming,
} from './incident.service.js';
/** Incident states, stages, channels, request types, urgencies, levels and ratings. */
export {
  CHANNELS,
  PRIVATE_CHANNELS,
  LEVELS,
  RATINGS,
  REQUEST_TYPES,
  STAGES,
  STAGE_OF_STATE,
  STATES,
  SUPERVISION_LEVELS,
  TERMINAL_STATES,
  URGENCIES,
  isOpen,
  type Channel,
  type Incident,
  type Level,
  type Limit,
  type LimitUnit,
  type Limits,
  type Rating,
  type RequestType,
  type Stage,
  type State,
  type SupervisionLevel,
  type Urgency,
} from './incident.js';
/** The transition table and the pure decision function. */
export { ACTION_NAMES, TRANSITIONS, decide, possibleActions, transitionOf, type ActionName, type Command, type Transition } from './incident.workflow.js';
/** The catalogue (事项目录/派单目录): categories, versions, routes. */
export { createCatalogService, type CatalogChange, type CatalogService, type SeedCategory } from './catalog.service.js';
export { ATTRIBUTE_DATATYPES, CATEGORY_CLASSES, type AttributeDatatype, type CategoryAttribute, type Category, type CategoryClass, type CategoryInput, type CategoryVersion, type Route } from './catalog.js';
/** Stage time limits and route choice. */
export { DEFAULT_LIMITS, DEFAULT_URGENT_LIMITS, limitFor, pickRoute } from './catalog.rules.js';
/** Filters for queues. */
export type { ListFilter, PublicFilter, PublicReportRow, PublicUpdateRow } from './incident.repository.js';
/** Category attributes (Open311 service definitions): checking definitions and answers, W3C date-times. */
export { MAX_STRING_ANSWER, MAX_TEXT_ANSWER, W3C_DATETIME, attributeDefinitionProblems, checkAttributeAnswers, parseW3cDateTime, type AttributeAnswers, type AttributeProblem } from './attribute.rules.js';
/** Evaluation indicators and ranking. */
export { rank, score, type UnitCounts, type UnitScore } from './evaluation.rules.js';
/** The citizen side: what the reporter may do with the lookup code, the public timeline, the reopen window. */
export { CITIZEN_ACTIONS, DEFAULT_REOPEN_DAYS, citizenActions, citizenBlock, expectedBy, publicTimeline, reopenUntil, type CitizenAction, type CitizenSettings, type PublicStep } from './citizen.rules.js';
export type { CitizenCommand, PublicIncidentView } from './incident.service.js';
export type { Publication } from './citizen.repository.js';
/** Removal of personal data from published letters and replies. */
export { REDACTED, maskName, redact } from './redaction.rules.js';
