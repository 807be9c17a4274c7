/**
 * What a token may do, for operators of gateways and Open311 clients to check a token before wiring it in:
 * `GET /api/v1/token` describes the token, and `GET /api/v1/token/check?action=…&unit=…` answers 200 when the
 * token may do that action to records of that unit, or refuses it exactly as a real call would (403).
 */
import { Hono } from 'hono';
import { DomainError } from '../../kernel/errors.js';
import { ACTIONS, type Action } from '../../modules/access/index.js';
import type { AppEnv } from '../context.js';
import { requireMachine } from '../middleware/bearer.js';

export function tokenApiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/api/v1/token', (c) => {
    const machine = c.get('machine');
    if (!machine) throw new DomainError('Unauthenticated', 'TOKEN.REQUIRED', 'An API token is required: Authorization: Bearer <token>');
    return c.json({
      name: machine.token.name,
      actions: machine.machine.actions,
      scope: machine.token.scopeUnitCode,
      expiresAt: machine.token.expiresAt?.toISOString() ?? null,
      demo: machine.token.isDemo,
    });
  });

  app.get('/api/v1/token/check', async (c) => {
    const action = c.req.query('action') ?? '';
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw new DomainError('Invalid', 'REQUEST.INVALID', `Unknown action ${action}`, { fields: [{ path: 'action', code: 'field.invalid', message: 'unknown action' }] });
    }
    requireMachine(c, action as Action);
    const code = c.req.query('unit');
    if (!code) return c.json({ allowed: true, action, unit: null });
    const unit = await c.get('services').organization.getUnitByCode(code.slice(0, 40));
    requireMachine(c, action as Action, { areaPath: unit.path, unitPaths: [unit.path] });
    return c.json({ allowed: true, action, unit: unit.code });
  });

  return app;
}
