/** All SQL of sign-in throttling and of pending (second-step) sign-ins. */
import type { Executor } from '../../kernel/db.js';
import type { IdentityTables } from './identity.repository.js';
import type { ThrottleScope, ThrottleState } from './throttle.rules.js';

export interface SignInThrottlesTable {
  scope: ThrottleScope;
  key: string;
  failure_times: number[];
  locked_until: Date | null;
  updated_at: Date;
}

export interface PendingSignInsTable {
  token_hash: string;
  user_id: number;
  created_at: Date;
  expires_at: Date;
  attempts: number;
  ip: string | null;
  user_agent: string | null;
}

export interface SignInTables extends IdentityTables {
  sign_in_throttles: SignInThrottlesTable;
  pending_sign_ins: PendingSignInsTable;
}

type Db = Executor<SignInTables>;

export interface ThrottleKey {
  readonly scope: ThrottleScope;
  readonly key: string;
}

const toState = (r: { failure_times: unknown; locked_until: Date | null }): ThrottleState => ({
  failureTimes: Array.isArray(r.failure_times) ? r.failure_times.filter((x): x is number => typeof x === 'number') : [],
  lockedUntil: r.locked_until,
});

/** The current state of each key (keys without a row are absent); reads only, for the check before a password. */
export async function findThrottles(db: Db, keys: readonly ThrottleKey[]): Promise<Map<string, ThrottleState>> {
  const out = new Map<string, ThrottleState>();
  for (const k of keys) {
    const row = await db.selectFrom('sign_in_throttles').select(['failure_times', 'locked_until']).where('scope', '=', k.scope).where('key', '=', k.key).executeTakeFirst();
    if (row) out.set(`${k.scope}:${k.key}`, toState(row));
  }
  return out;
}

/**
 * Locks a key's row for the rest of the transaction, creating it first if needed, and returns its state. Two
 * processes recording failures for one key therefore take turns, and each sees the other's failure.
 */
export async function lockThrottle(db: Db, k: ThrottleKey, now: Date): Promise<ThrottleState> {
  await db
    .insertInto('sign_in_throttles')
    .values({ scope: k.scope, key: k.key, failure_times: JSON.stringify([]) as never, locked_until: null, updated_at: now })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .execute();
  const row = await db.selectFrom('sign_in_throttles').select(['failure_times', 'locked_until']).where('scope', '=', k.scope).where('key', '=', k.key).forUpdate().executeTakeFirstOrThrow();
  return toState(row);
}

/** Locks a key's row if there is one (a successful sign-in checks for a lock that raced with it). */
export async function lockThrottleIfAny(db: Db, k: ThrottleKey): Promise<ThrottleState | undefined> {
  const row = await db.selectFrom('sign_in_throttles').select(['failure_times', 'locked_until']).where('scope', '=', k.scope).where('key', '=', k.key).forUpdate().executeTakeFirst();
  return row && toState(row);
}

export async function saveThrottle(db: Db, k: ThrottleKey, state: ThrottleState, now: Date): Promise<void> {
  await db
    .updateTable('sign_in_throttles')
    .set({ failure_times: JSON.stringify(state.failureTimes) as never, locked_until: state.lockedUntil, updated_at: now })
    .where('scope', '=', k.scope)
    .where('key', '=', k.key)
    .execute();
}

/** Forgets a key's failures and lock; returns whether it had a lock in force at `now`. */
export async function deleteThrottle(db: Db, k: ThrottleKey, now: Date): Promise<boolean> {
  const row = await db.deleteFrom('sign_in_throttles').where('scope', '=', k.scope).where('key', '=', k.key).returning('locked_until').executeTakeFirst();
  return !!row?.locked_until && row.locked_until.getTime() > now.getTime();
}

export async function findActiveLocks(db: Db, now: Date, limit = 200): Promise<{ scope: ThrottleScope; key: string; lockedUntil: Date }[]> {
  const rows = await db
    .selectFrom('sign_in_throttles')
    .select(['scope', 'key', 'locked_until'])
    .where('locked_until', '>', now)
    .orderBy('locked_until', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ scope: r.scope, key: r.key, lockedUntil: r.locked_until! }));
}

/** Deletes rows with no lock in force whose last failure is older than `quietSince`. */
export async function deleteStaleThrottles(db: Db, now: Date, quietSince: Date): Promise<number> {
  const r = await db
    .deleteFrom('sign_in_throttles')
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .where('updated_at', '<=', quietSince)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertPendingSignIn(
  db: Db,
  p: { tokenHash: string; userId: number; now: Date; expiresAt: Date; ip: string | null; userAgent: string | null },
): Promise<void> {
  await db
    .insertInto('pending_sign_ins')
    .values({ token_hash: p.tokenHash, user_id: p.userId, created_at: p.now, expires_at: p.expiresAt, attempts: 0, ip: p.ip, user_agent: p.userAgent })
    .execute();
}

export async function findPendingSignIn(db: Db, tokenHash: string) {
  const row = await db.selectFrom('pending_sign_ins').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return row && { userId: row.user_id, expiresAt: row.expires_at, attempts: row.attempts };
}

export async function lockPendingSignIn(db: Db, tokenHash: string) {
  const row = await db.selectFrom('pending_sign_ins').selectAll().where('token_hash', '=', tokenHash).forUpdate().executeTakeFirst();
  return row && { userId: row.user_id, expiresAt: row.expires_at, attempts: row.attempts };
}

export async function setPendingAttempts(db: Db, tokenHash: string, attempts: number): Promise<void> {
  await db.updateTable('pending_sign_ins').set({ attempts }).where('token_hash', '=', tokenHash).execute();
}

export async function deletePendingSignIn(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('pending_sign_ins').where('token_hash', '=', tokenHash).execute();
}

export async function deletePendingSignInsOfUser(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('pending_sign_ins').where('user_id', '=', userId).execute();
}

export async function deleteExpiredPendingSignIns(db: Db, now: Date): Promise<number> {
  const r = await db.deleteFrom('pending_sign_ins').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
