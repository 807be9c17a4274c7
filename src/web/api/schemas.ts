/** The JSON API's shapes, as zod schemas that also describe themselves in the OpenAPI document. */
import { z } from '@hono/zod-openapi';
import {
  ACTION_NAMES,
  CHANNELS,
  LEVELS,
  QUEUES,
  RATINGS,
  REQUEST_TYPES,
  STATES,
  SUPERVISION_LEVELS,
  URGENCIES,
  type Incident,
} from '../../modules/incidents/index.js';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'INCIDENT.TRANSITION_NOT_ALLOWED' }),
      message: z.string().openapi({ example: '事件当前状态为“reported”，不能执行此操作。' }),
      requestId: z.string(),
      fields: z.array(z.object({ path: z.string(), code: z.string(), message: z.string(), text: z.string() })).optional(),
    }),
  })
  .openapi('Error');

const isoDate = z.string().openapi({ format: 'date-time', example: '2026-03-02T01:00:00.000Z' });

export const IncidentSchema = z
  .object({
    id: z.number().int(),
    number: z.string().openapi({ example: 'KZ20260302000123' }),
    version: z.number().int().openapi({ description: 'Send it back as expectedVersion: a newer version means someone acted meanwhile (409).' }),
    state: z.enum(STATES),
    channel: z.enum(CHANNELS),
    requestType: z.enum(REQUEST_TYPES).nullable(),
    categoryId: z.number().int().nullable(),
    title: z.string(),
    description: z.string(),
    address: z.string().nullable(),
    lon: z.number().nullable(),
    lat: z.number().nullable(),
    areaUnitId: z.number().int(),
    townUnitId: z.number().int().nullable(),
    urgency: z.enum(URGENCIES),
    level: z.enum(LEVELS),
    coordinatorUnitId: z.number().int().nullable(),
    leadUnitId: z.number().int().nullable(),
    coUnitIds: z.array(z.number().int()),
    stage: z.string().nullable(),
    dueAt: isoDate.nullable(),
    sla: z.enum(['green', 'yellow', 'red']),
    supervision: z.enum(SUPERVISION_LEVELS).nullable(),
    pendingRequest: z.enum(['return', 'extension']).nullable(),
    supporters: z.number().int(),
    rating: z.enum(RATINGS).nullable(),
    result: z.string().nullable(),
    reply: z.string().nullable(),
    reportedAt: isoDate,
    closedAt: isoDate.nullable(),
    closedOnTime: z.boolean().nullable(),
    isDemo: z.boolean(),
  })
  .openapi('Incident');

export function incidentJson(i: Incident): z.infer<typeof IncidentSchema> {
  return {
    id: i.id,
    number: i.number,
    version: i.version,
    state: i.state,
    channel: i.channel,
    requestType: i.requestType,
    categoryId: i.categoryId,
    title: i.title,
    description: i.description,
    address: i.address,
    lon: i.lon,
    lat: i.lat,
    areaUnitId: i.areaUnitId,
    townUnitId: i.townUnitId,
    urgency: i.urgency,
    level: i.level,
    coordinatorUnitId: i.coordinatorUnitId,
    leadUnitId: i.leadUnitId,
    coUnitIds: [...i.coUnitIds],
    stage: i.stage,
    dueAt: i.dueAt?.toISOString() ?? null,
    sla: i.sla,
    supervision: i.supervision,
    pendingRequest: i.pendingRequest,
    supporters: i.supporters,
    rating: i.rating,
    result: i.result,
    reply: i.reply,
    reportedAt: i.reportedAt.toISOString(),
    closedAt: i.closedAt?.toISOString() ?? null,
    closedOnTime: i.closedOnTime,
    isDemo: i.isDemo,
  };
}

export const ReportSchema = z
  .object({
    channel: z.enum(CHANNELS).default('staff'),
    requestType: z.enum(REQUEST_TYPES).nullable().optional(),
    categoryId: z.number().int().positive().nullable().optional(),
    title: z.string().max(100).optional(),
    description: z.string().min(1).max(4000),
    address: z.string().max(200).nullable().optional(),
    location: z
      .object({
        lon: z.number().min(-180).max(180),
        lat: z.number().min(-90).max(90),
        crs: z.enum(['wgs84', 'gcj02']).default('wgs84').openapi({ description: 'GCJ-02 input (AMap, Tencent maps) is converted to WGS-84.' }),
      })
      .nullable()
      .optional(),
    areaUnitCode: z.string().max(40).optional(),
    urgency: z.enum(URGENCIES).optional(),
    reporter: z.object({ name: z.string().max(50).nullable().optional(), phone: z.string().max(20).nullable().optional(), anonymous: z.boolean().optional() }).optional(),
    attachmentIds: z.array(z.number().int().positive()).max(9).optional(),
  })
  .openapi('NewIncident');

export const ActionSchema = z
  .object({
    expectedVersion: z.number().int().positive().optional(),
    note: z.string().max(2000).optional(),
    publicNote: z.string().max(500).optional(),
    reason: z.string().max(2000).optional(),
    result: z.string().max(2000).optional(),
    reply: z.string().max(2000).optional(),
    rating: z.enum(RATINGS).optional(),
    ratingComment: z.string().max(500).optional(),
    leadUnitCode: z.string().max(40).optional().openapi({ description: 'For dispatch: leave out to use the routing table.' }),
    coUnitCodes: z.array(z.string().max(40)).max(10).optional(),
    targetNumber: z.string().max(20).optional(),
    reviewDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    extra: z.object({ amount: z.number().positive().max(365), unit: z.enum(['hours', 'days', 'natural_hours', 'natural_days']) }).optional(),
    supervision: z.enum(SUPERVISION_LEVELS).optional(),
    categoryId: z.number().int().positive().optional(),
    attachmentIds: z.array(z.number().int().positive()).max(9).optional(),
  })
  .openapi('IncidentAction');

export const ActionParam = z.enum(ACTION_NAMES);
export const QueueParam = z.enum(QUEUES);

export const EventSchema = z
  .object({
    id: z.number().int(),
    action: z.string(),
    fromState: z.string().nullable(),
    toState: z.string().nullable(),
    actor: z.string(),
    actorUnitId: z.number().int().nullable(),
    at: isoDate,
    note: z.string().nullable(),
    publicNote: z.string().nullable(),
  })
  .openapi('IncidentEvent');

export const IncidentDetailSchema = z
  .object({ incident: IncidentSchema, allowedActions: z.array(ActionParam), events: z.array(EventSchema), attachmentIds: z.array(z.number().int()) })
  .openapi('IncidentDetail');

export const CategorySchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    parentId: z.number().int().nullable(),
    class: z.enum(['component', 'event', 'service']),
    name: z.string(),
    version: z.number().int(),
    defaultUrgency: z.enum(URGENCIES),
    filingCondition: z.string().nullable(),
    closingCondition: z.string().nullable(),
    limits: z.record(z.string(), z.unknown()),
  })
  .openapi('Category');

export const UnitSchema = z
  .object({ id: z.number().int(), code: z.string(), name: z.string(), kind: z.string(), parentId: z.number().int().nullable(), retired: z.boolean(), isDemo: z.boolean() })
  .openapi('Unit');
