/**
 * Machine requests: `Authorization: Bearer <token>` (RFC 6750 §2.1) resolves to the token's machine principal.
 * A request with a token is a machine's: any session cookie it carries is ignored, so a token never acts as a
 * person and a person's cookie never rides along on a machine call (which is also why such requests may skip
 * the browser CSRF check). Other schemes (a proxy's Basic authentication) are left alone.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { DomainError } from '../../kernel/errors.js';
import { can, type Action, type PolicyActor, type Resource } from '../../modules/access/index.js';
import type { MachineActor } from '../../modules/tokens/index.js';
import type { AppEnv } from '../context.js';

const BEARER = /^Bearer\s+([\x21-\x7e]+)\s*$/i;
const TELEMETRY_PREFIX = '/api/v1/telemetry/';

/** Whether a request presents a bearer token (and so is exempt from the browser CSRF check). */
export function hasBearer(header: string | undefined): boolean {
  return !!header && /^Bearer\b/i.test(header);
}

export function bearer(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('machine', undefined);
    const header = c.req.header('authorization');
    if (!hasBearer(header)) return next();
    c.set('actor', undefined);
    c.set('sessionEnded', undefined);
    // Sensor gateways present device credentials (`<key>:<secret>`), checked by the lifeline module's own route.
    if (c.req.path.startsWith(TELEMETRY_PREFIX)) return next();
    const match = BEARER.exec(header!);
    if (!match) throw new DomainError('Unauthenticated', 'TOKEN.MALFORMED', 'Send the token as: Authorization: Bearer <token>');
    c.set('machine', await c.get('services').tokens.authenticate(match[1]!));
    return next();
  };
}

/**
 * The machine of this request, provided its token carries `action` (over `resource`): TOKEN.REQUIRED (401)
 * without a token, TOKEN.FORBIDDEN (403) for an action or a place outside the token.
 */
export function requireMachine(c: Context<AppEnv>, action: Action, resource?: Resource): MachineActor {
  const machine = c.get('machine');
  if (!machine) throw new DomainError('Unauthenticated', 'TOKEN.REQUIRED', 'An API token is required: Authorization: Bearer <token>');
  if (!can(machine, action, resource)) {
    throw new DomainError('Forbidden', 'TOKEN.FORBIDDEN', `This token may not ${action}${resource ? ' here' : ''}`, { params: { action, token: machine.token.name } });
  }
  return machine;
}

/** Who is asking: the machine of a token request, else the signed-in person, else nobody. */
export function principalOf(c: Context<AppEnv>): PolicyActor | undefined {
  return c.get('machine') ?? c.get('actor');
}
