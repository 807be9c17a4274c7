/**
 * Database-tier helpers: the real services over a test database with a fake clock, and the actors and
 * initiators tests act as.
 */
import { loadConfig } from '../src/config.js';
import type { Clock } from '../src/kernel/clock.js';
import type { Database } from '../src/kernel/db.js';
import type { Initiator } from '../src/kernel/initiator.js';
import { silentLogger } from '../src/kernel/logger.js';
import type { Actor } from '../src/modules/identity/index.js';
import { createServices, type Services } from '../src/services.js';

export type { Services };

/** Every service over `database`, as a process of a deployment would build them (SECRET_KEY optional). */
export function servicesFor(database: Database, clock: Clock, env: Record<string, string> = {}): Services {
  return createServices({ database: database as never, clock, config: loadConfig({ DEMO: 'false', ...env }), logger: silentLogger });
}

/** The actor a signed-in session would give for this user name (via a real sign-in, without a second factor). */
export async function actorOf(services: Services, username: string, password: string): Promise<{ actor: Actor; token: string }> {
  const out = await services.identity.signIn(username, password, { ip: null, userAgent: 'test' });
  if (out.kind !== 'signed_in') throw new Error(`${username} needs a second factor`);
  const actor = await services.identity.resolveSession(out.token);
  if (!actor) throw new Error('no actor');
  return { actor, token: out.token };
}

export const initiator = (actor: Actor, ip: string | null = '10.0.0.9'): Initiator => ({ userId: actor.userId, label: actor.user.username, ip });
