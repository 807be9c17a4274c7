/**
 * The smallest machine API, for operators of gateways and Open311 clients to check a token before wiring it in:
 * what the token is and may do (`GET /api/v1/token`), and one read within its scope (`GET /api/v1/units/:code`,
 * which a token outside the unit's subtree is refused with 403).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context.js';
import { requireMachine } from '../middleware/bearer.js';
import { DomainError } from '../../kernel/errors.js';

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

  app.get('/api/v1/units/:code{[0-9A-Za-z_-]{1,40}}', async (c) => {
    requireMachine(c, 'unit.read');
    const unit = await c.get('services').organization.getUnitByCode(c.req.param('code'));
    requireMachine(c, 'unit.read', { areaPath: unit.path });
    return c.json({ code: unit.code, name: unit.name, kind: unit.kind, subtype: unit.subtype, phone: unit.phone, address: unit.address, retired: unit.retiredAt !== null });
  });

  return app;
}
