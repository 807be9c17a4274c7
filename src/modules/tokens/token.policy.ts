/**
 * What a token may be given, and whether it is usable. Pure.
 *
 * A token carries actions a machine needs: the machine-only ones (sending readings, submitting Open311
 * requests), reporting incidents, and reading. It never carries an action its issuer cannot do over the token's whole scope. For a
 * machine-only action nobody does it by role, so the issuer must instead be able to manage tokens over that
 * scope. Reading a reporter's identity is never given to a machine.
 */
import { ACTIONS, GRANT_ONLY, MACHINE_ONLY, can, scopeFor, type Action, type PolicyActor } from '../access/index.js';
import type { TokenStatus } from './token.js';

/**
 * Actions a token may carry: the machine-only ones, reading, and reporting incidents (a hotline or partner system
 * filing through the JSON API). Nothing that changes a case or the organisation.
 */
export const TOKEN_ACTIONS: readonly Action[] = ACTIONS.filter(
  (a) => MACHINE_ONLY.includes(a) || a === 'incident.report' || (a.endsWith('.read') && !GRANT_ONLY.includes(a)),
);

/** The action the issuer must hold to hand `action` to a token. */
export function issuerNeeds(action: Action): Action {
  return MACHINE_ONLY.includes(action) ? 'token.manage' : action;
}

/**
 * The requested actions that `issuer` may not put in a token reaching `scopePath` (a unit's path, or 'all' for
 * the whole district); empty when the token may be issued.
 */
export function refusedTokenActions(issuer: PolicyActor, actions: readonly Action[], scopePath: string | 'all'): Action[] {
  if (issuer.machine) return [...actions]; // a token never issues tokens
  return actions.filter((action) => {
    if (!TOKEN_ACTIONS.includes(action)) return true;
    const needed = issuerNeeds(action);
    return scopePath === 'all' ? scopeFor(issuer, needed).kind !== 'all' : !can(issuer, needed, { areaPath: scopePath });
  });
}

/** Whether a token is usable at `now`. */
export function tokenStatus(t: { readonly revokedAt: Date | null; readonly expiresAt: Date | null }, now: Date): TokenStatus {
  if (t.revokedAt) return 'revoked';
  if (t.expiresAt && t.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/** "Last used" is written at most this often, so a busy gateway does not write on every request. */
export const LAST_USED_INTERVAL_MS = 60_000;

export function needsLastUsed(lastUsedAt: Date | null, now: Date): boolean {
  return !lastUsedAt || now.getTime() - lastUsedAt.getTime() >= LAST_USED_INTERVAL_MS;
}
