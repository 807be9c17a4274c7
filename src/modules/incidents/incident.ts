/**
 * The incident: one matter moving through one flow (受理 → 立案 → 派遣 → 签收 → 处置 → 反馈 → 核查 → 结案 → 回访评价),
 * from whichever channel it came. Background: ../shared/reference/domain.md §1.2, §2.2, §3.1.
 */
export const STATES = [
  'reported', // 上报，待受理
  'accepted', // 已受理，待立案
  'filed', // 已立案，待派遣
  'dispatched', // 已派遣，待签收
  'signed', // 已签收，处置中
  'reported_back', // 已反馈，待核查
  'verified', // 核查通过，待结案
  'closed', // 已结案
  'rejected', // 不予受理
  'parked', // 挂账
  'merged', // 已并单
  'voided', // 已作废
] as const;
export type State = (typeof STATES)[number];

export const TERMINAL_STATES: readonly State[] = ['closed', 'rejected', 'merged', 'voided'];
export const isOpen = (s: State) => !TERMINAL_STATES.includes(s);

/** The clock that runs in each state. `handle` runs from dispatch until the unit reports back. */
export const STAGES = ['accept', 'file', 'dispatch', 'sign', 'handle', 'verify', 'close'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_OF_STATE: Readonly<Partial<Record<State, Stage>>> = {
  reported: 'accept',
  accepted: 'file',
  filed: 'dispatch',
  dispatched: 'sign',
  signed: 'handle',
  reported_back: 'verify',
  verified: 'close',
};

/**
 * Channels whose reports never appear in public lists, maps or Open311 and whose page is shown only with the lookup
 * code: 12350 work-safety reports (the reporter's protection) and letters to the leader's mailbox.
 */
export const PRIVATE_CHANNELS = ['hotline_12350', 'leader'] as const;

export const CHANNELS = ['web', 'phone', 'hotline_12345', 'hotline_12350', 'grid_patrol', 'sensor', 'open311', 'leader', 'media', 'staff'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The 12345 request types (GB/T 33358; ../shared/reference/domain.md §3.1). */
export const REQUEST_TYPES = ['consult', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const LEVELS = ['grid', 'town', 'district'] as const;
export type Level = (typeof LEVELS)[number];

export const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

export const SUPERVISION_LEVELS = ['blue', 'yellow', 'red'] as const;
export type SupervisionLevel = (typeof SUPERVISION_LEVELS)[number];

export type Sla = 'green' | 'yellow' | 'red';

/** Working hours and working days follow the work calendar; natural hours and days run round the clock. */
export type LimitUnit = 'hours' | 'days' | 'natural_hours' | 'natural_days';
export interface Limit {
  readonly amount: number;
  readonly unit: LimitUnit;
}
export type Limits = Readonly<Partial<Record<Stage, Limit>>> & { readonly urgent?: Readonly<Partial<Record<Stage, Limit>>> };

/** The parts of an incident the workflow decides on. */
export interface IncidentSnapshot {
  readonly id: number;
  readonly number: string;
  readonly version: number;
  readonly state: State;
  readonly level: Level;
  readonly urgency: Urgency;
  readonly categoryVersionId: number | null;
  readonly coordinatorUnitId: number | null;
  readonly leadUnitId: number | null;
  readonly coUnitIds: readonly number[];
  readonly handleDueAt: Date | null;
  readonly dueAt: Date | null;
  readonly stage: Stage | null;
  readonly sla: Sla;
  readonly pendingRequest: 'return' | 'extension' | null;
  readonly overdueStages: number;
  readonly rating: Rating | null;
  readonly closedAt: Date | null;
}

export interface Incident extends IncidentSnapshot {
  readonly channel: Channel;
  readonly requestType: RequestType | null;
  readonly categoryId: number | null;
  readonly title: string;
  readonly description: string;
  readonly address: string | null;
  readonly lon: number | null;
  readonly lat: number | null;
  /** The smallest unit containing the place: a grid, else a town, else the district. */
  readonly areaUnitId: number;
  readonly townUnitId: number | null;
  readonly stageStartedAt: Date | null;
  readonly warnAt: Date | null;
  readonly supervision: SupervisionLevel | null;
  readonly parkedUntil: string | null;
  readonly mergedIntoId: number | null;
  readonly supporters: number;
  readonly reworkCount: number;
  readonly returnCount: number;
  readonly reopenCount: number;
  readonly escalationCount: number;
  readonly ratingComment: string | null;
  readonly reporterUserId: number | null;
  readonly isAnonymous: boolean;
  readonly reply: string | null;
  readonly result: string | null;
  readonly isDemo: boolean;
  readonly reportedAt: Date;
  readonly dispatchedAt: Date | null;
  readonly reportedBackAt: Date | null;
  readonly closedOnTime: boolean | null;
  readonly updatedAt: Date;
  /** Answers to the category's attributes (Open311 `attribute[code]`), when the report brought any. */
  readonly attributes: Readonly<Record<string, string | readonly string[]>> | null;
  /** A link to a photo held elsewhere (Open311 `media_url`); stored, never fetched. */
  readonly mediaUrl: string | null;
}
