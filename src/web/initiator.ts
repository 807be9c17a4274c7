/** The Initiator of a change made over HTTP: the signed-in person, a machine's token, or an anonymous visitor. */
import type { Context } from 'hono';
import type { Initiator } from '../kernel/initiator.js';
import type { AppEnv } from './context.js';

export function initiatorOf(c: Context<AppEnv>): Initiator {
  const machine = c.get('machine');
  if (machine) return { userId: null, label: `token:${machine.token.name}`, ip: c.get('clientIp') };
  const actor = c.get('actor');
  return actor
    ? { userId: actor.user.id, label: actor.user.username, ip: c.get('clientIp') }
    : { userId: null, label: 'anonymous', ip: c.get('clientIp') };
}
