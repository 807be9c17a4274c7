/**
 * The JSON API, `/api/v1`, described by the OpenAPI 3 document at `/api/openapi.json`. It calls the same use
 * cases as the workbench. Authentication: the session cookie (same-site requests) or an API token
 * (`Authorization: Bearer …`). Errors are `{ error: { code, message, requestId, fields? } }` with the statuses of
 * the error middleware; request validation failures are 422 with field-level problems.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { DomainError } from '../../kernel/errors.js';
import { gcj02ToWgs84 } from '../../modules/geography/index.js';
import { can, type PolicyActor } from '../../modules/access/index.js';
import type { ActCommand, QueueName } from '../../modules/incidents/index.js';
import type { AppEnv } from '../context.js';
import { initiatorOf } from '../initiator.js';
import {
  ActionParam,
  ActionSchema,
  CategorySchema,
  ErrorSchema,
  IncidentDetailSchema,
  IncidentSchema,
  QueueParam,
  ReportSchema,
  UnitSchema,
  incidentJson,
} from './schemas.js';

const errors = {
  400: { description: 'Malformed request', content: { 'application/json': { schema: ErrorSchema } } },
  401: { description: 'Not signed in', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: 'Not allowed', content: { 'application/json': { schema: ErrorSchema } } },
  404: { description: 'Not found', content: { 'application/json': { schema: ErrorSchema } } },
  409: { description: 'Conflict: the state or version changed', content: { 'application/json': { schema: ErrorSchema } } },
  422: { description: 'Invalid input', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

function actorOf(c: Context<AppEnv>): PolicyActor {
  const actor = c.get('actor');
  if (!actor) throw new DomainError('Unauthenticated', 'AUTH.REQUIRED', 'Sign in or send an API token');
  return actor;
}

export function apiRoutes(): OpenAPIHono<AppEnv> {
  const api = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const fields = result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', code: 'field.invalid', message: i.message }));
        throw new DomainError('Invalid', 'REQUEST.INVALID', fields.map((f) => `${f.path}: ${f.message}`).join('; '), { fields });
      }
    },
  });

  api.openapi(
    createRoute({ method: 'get', path: '/v1/me', tags: ['people'], summary: 'The signed-in person and their posts', responses: { 200: json(z.object({ id: z.number(), username: z.string(), displayName: z.string(), posts: z.array(z.object({ unitCode: z.string(), unitName: z.string(), role: z.string() })) }), 'Me'), ...errors } }),
    (c) => {
      const actor = c.get('actor');
      if (!actor) throw new DomainError('Unauthenticated', 'AUTH.REQUIRED', 'Sign in or send an API token');
      return c.json({ id: actor.user.id, username: actor.user.username, displayName: actor.user.displayName, posts: actor.posts.map((p) => ({ unitCode: p.unitCode, unitName: p.unitName, role: p.role })) }, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/v1/categories', tags: ['catalogue'], summary: 'The incident catalogue (current versions)', responses: { 200: json(z.object({ items: z.array(CategorySchema) }), 'Categories'), ...errors } }),
    async (c) => {
      const items = await c.get('services').catalog.list();
      return c.json(
        {
          items: items.map((cat) => ({
            id: cat.id,
            code: cat.code,
            parentId: cat.parentId,
            class: cat.class,
            name: cat.current.name,
            version: cat.current.version,
            defaultUrgency: cat.current.defaultUrgency,
            filingCondition: cat.current.filingCondition,
            closingCondition: cat.current.closingCondition,
            limits: cat.current.limits as Record<string, unknown>,
          })),
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/units/{code}',
      tags: ['organisation'],
      summary: 'A unit and its children',
      request: { params: z.object({ code: z.string().max(40) }) },
      responses: { 200: json(z.object({ unit: UnitSchema, children: z.array(UnitSchema) }), 'The unit'), ...errors },
    }),
    async (c) => {
      actorOf(c);
      const org = c.get('services').organization;
      const unit = await org.getUnitByCode(c.req.valid('param').code);
      const { children } = await org.getUnitContext(unit);
      const u = (x: typeof unit) => ({ id: x.id, code: x.code, name: x.name, kind: x.kind, parentId: x.parentId, retired: x.retiredAt !== null, isDemo: x.isDemo });
      return c.json({ unit: u(unit), children: children.map(u) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/incidents',
      tags: ['incidents'],
      summary: 'Report an incident',
      description: 'Send an Idempotency-Key header: a retry with the same key returns the incident created first (200) instead of a second one (201).',
      request: { headers: z.object({ 'idempotency-key': z.string().max(80).optional() }), body: { content: { 'application/json': { schema: ReportSchema } }, required: true } },
      responses: { 201: json(z.object({ incident: IncidentSchema, lookupCode: z.string().nullable() }), 'Created'), 200: json(z.object({ incident: IncidentSchema, lookupCode: z.null() }), 'Already created by an earlier attempt with the same key'), ...errors },
    }),
    async (c) => {
      const actor = actorOf(c);
      const body = c.req.valid('json');
      const services = c.get('services');
      if (!actor.machine) {
        // People report within their posts; machines hold their own action.
        if (!can(actor, 'incident.report')) throw new DomainError('Forbidden', 'AUTH.FORBIDDEN', 'Not allowed: incident.report');
      }
      const location = body.location ? (body.location.crs === 'gcj02' ? gcj02ToWgs84([body.location.lon, body.location.lat]) : [body.location.lon, body.location.lat]) : null;
      const areaUnitId = body.areaUnitCode ? (await services.organization.getUnitByCode(body.areaUnitCode)).id : null;
      const r = await services.incidents.report(
        {
          channel: body.channel,
          requestType: body.requestType ?? null,
          categoryId: body.categoryId ?? null,
          title: body.title,
          description: body.description,
          address: body.address ?? null,
          location: location ? { lon: location[0]!, lat: location[1]! } : null,
          areaUnitId,
          urgency: body.urgency,
          reporter: { userId: actor.machine ? null : actor.userId, name: body.reporter?.name ?? null, phone: body.reporter?.phone ?? null, anonymous: body.reporter?.anonymous },
          idempotencyKey: c.req.valid('header')['idempotency-key'] ?? null,
          attachmentIds: body.attachmentIds,
        },
        initiatorOf(c),
      );
      if (r.duplicate) return c.json({ incident: incidentJson(r.incident), lookupCode: null }, 200);
      return c.json({ incident: incidentJson(r.incident), lookupCode: r.lookupCode }, 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/incidents',
      tags: ['incidents'],
      summary: 'A queue of incidents within your scope',
      request: {
        query: z.object({
          queue: QueueParam.default('all'),
          state: z.string().optional(),
          sla: z.enum(['green', 'yellow', 'red']).optional(),
          q: z.string().max(50).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
      },
      responses: { 200: json(z.object({ total: z.number().int(), items: z.array(IncidentSchema) }), 'A page of the queue'), ...errors },
    }),
    async (c) => {
      const actor = actorOf(c);
      const q = c.req.valid('query');
      const page = await c.get('services').incidents.list(actor, q.queue as QueueName, { sla: q.sla, text: q.q, states: q.state ? (q.state.split(',') as never) : undefined }, { limit: q.limit, offset: q.offset });
      return c.json({ total: page.total, items: page.items.map(incidentJson) }, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/v1/queues', tags: ['incidents'], summary: 'How many incidents wait in each of your queues', responses: { 200: json(z.record(z.string(), z.number().int()), 'Counts'), ...errors } }),
    async (c) => c.json((await c.get('services').incidents.counts(actorOf(c))) as Record<string, number>, 200),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/incidents/{id}',
      tags: ['incidents'],
      summary: 'An incident, its history and what you may do',
      request: { params: z.object({ id: z.coerce.number().int().positive() }) },
      responses: { 200: json(IncidentDetailSchema, 'The incident'), ...errors },
    }),
    async (c) => {
      const view = await c.get('services').incidents.view(c.req.valid('param').id, actorOf(c));
      return c.json(
        {
          incident: incidentJson(view.incident),
          allowedActions: [...view.allowed],
          events: view.events.map((e) => ({ id: e.id, action: e.action, fromState: e.from_state, toState: e.to_state, actor: e.actor_label, actorUnitId: e.actor_unit_id, at: e.at.toISOString(), note: e.note, publicNote: e.public_note })),
          attachmentIds: view.attachments.map((a) => a.attachment_id),
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/incidents/{id}/actions/{action}',
      tags: ['incidents'],
      summary: 'Take an action on an incident',
      description: 'The actions possible for you are listed in `allowedActions` of the incident. Send `expectedVersion` to be told (409) when someone acted first.',
      request: { params: z.object({ id: z.coerce.number().int().positive(), action: ActionParam }), body: { content: { 'application/json': { schema: ActionSchema } }, required: true } },
      responses: { 200: json(z.object({ incident: IncidentSchema }), 'The incident after the action'), ...errors },
    }),
    async (c) => {
      const actor = actorOf(c);
      const { id, action } = c.req.valid('param');
      const b = c.req.valid('json');
      const services = c.get('services');
      const unitId = async (code: string) => (await services.organization.getUnitByCode(code)).id;
      let targetIncidentId: number | undefined;
      if (b.targetNumber) {
        const target = await services.incidents.findByNumber(b.targetNumber);
        if (!target) throw new DomainError('Invalid', 'INCIDENT.MERGE_TARGET', 'No such incident to merge into', { fields: [{ path: 'targetNumber', code: 'INCIDENT.NOT_FOUND', message: 'no such incident' }] });
        targetIncidentId = target.id;
      }
      const cmd: ActCommand = {
        action,
        expectedVersion: b.expectedVersion,
        note: b.note,
        publicNote: b.publicNote,
        reason: b.reason,
        result: b.result,
        reply: b.reply,
        rating: b.rating,
        ratingComment: b.ratingComment,
        leadUnitId: b.leadUnitCode ? await unitId(b.leadUnitCode) : undefined,
        coUnitIds: b.coUnitCodes ? await Promise.all(b.coUnitCodes.map(unitId)) : undefined,
        targetIncidentId,
        reviewDate: b.reviewDate,
        extra: b.extra,
        supervision: b.supervision,
        categoryId: b.categoryId,
        attachmentIds: b.attachmentIds,
      };
      const incident = await services.incidents.act(id, cmd, actor, initiatorOf(c));
      return c.json({ incident: incidentJson(incident) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/attachments',
      tags: ['incidents'],
      summary: 'Upload a photo or document (multipart form, field "file"); use the id in a report or an action',
      request: { body: { content: { 'multipart/form-data': { schema: z.object({ file: z.any().openapi({ type: 'string', format: 'binary' }) }) } }, required: true } },
      responses: { 201: json(z.object({ id: z.number().int(), mime: z.string(), bytes: z.number().int(), kind: z.enum(['image', 'document']) }), 'Stored'), 413: json(ErrorSchema, 'Too large'), ...errors },
    }),
    async (c) => {
      actorOf(c);
      const body = await c.req.parseBody();
      const file = body.file;
      if (!(file instanceof File)) throw new DomainError('Invalid', 'ATTACHMENT.EMPTY', 'Send the file in the "file" field', { fields: [{ path: 'file', code: 'field.required', message: 'file is required' }] });
      const stored = await c.get('services').attachments.store(new Uint8Array(await file.arrayBuffer()), { name: file.name }, initiatorOf(c));
      return c.json({ id: stored.id, mime: stored.mime, bytes: stored.bytes, kind: stored.kind }, 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/notifications',
      tags: ['people'],
      summary: 'Your notifications, newest first',
      responses: { 200: json(z.object({ unread: z.number().int(), items: z.array(z.object({ id: z.number(), kind: z.string(), params: z.record(z.string(), z.unknown()), link: z.string().nullable(), createdAt: z.string(), read: z.boolean() })) }), 'Notifications'), ...errors },
    }),
    async (c) => {
      const actor = actorOf(c);
      const n = c.get('services').notifications;
      const [items, unread] = await Promise.all([n.inbox(actor.userId, 100), n.unreadCount(actor.userId)]);
      return c.json({ unread, items: items.map((i) => ({ id: i.id, kind: i.kind, params: i.params, link: i.link, createdAt: i.createdAt.toISOString(), read: i.readAt !== null })) }, 200);
    },
  );

  api.doc31('/openapi.json', (c) => ({
    openapi: '3.1.0',
    info: { title: 'Zhizhi (智治) API', version: '1', description: 'The case flow, the catalogue and the organisation of a district. Times are UTC (ISO 8601); locations WGS-84.' },
    servers: [{ url: new URL(c.req.url).origin }],
  }));
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'An API token issued in the workbench.' });
  api.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'zz_session' });

  return api;
}
