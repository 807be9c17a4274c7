/** The Initiator of a change made over HTTP: the signed-in person (or an anonymous visitor) and their address. */
import type { Context } from 'hono';
import type { Initiator } from '../kernel/initiator.js';
import type { AppEnv } from './context.js';

export function initiatorOf(c: Context<AppEnv>): Initiator {
  const actor = c.get('actor');
  return actor
    ? { userId: actor.user.id, label: actor.user.username, ip: c.get('clientIp') }
    : { userId: null, label: 'anonymous', ip: c.get('clientIp') };
}
