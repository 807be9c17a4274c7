/** All SQL of the second factor: TOTP secrets and recovery codes. */
import type { Executor } from '../../kernel/db.js';
import type { IdentityTables } from './identity.repository.js';

export interface UserTotpTable {
  user_id: number;
  secret_ciphertext: string;
  created_at: Date;
  confirmed_at: Date | null;
  last_used_step: number | null;
}

export interface UserRecoveryCodesTable {
  user_id: number;
  code_hash: string;
  created_at: Date;
  used_at: Date | null;
}

export interface TotpTables extends IdentityTables {
  user_totp: UserTotpTable;
  user_recovery_codes: UserRecoveryCodesTable;
}

type Db = Executor<TotpTables>;

export interface TotpRow {
  readonly secretCiphertext: string;
  readonly createdAt: Date;
  readonly confirmedAt: Date | null;
  readonly lastUsedStep: number | null;
}

const toRow = (r: UserTotpTable): TotpRow => ({
  secretCiphertext: r.secret_ciphertext,
  createdAt: r.created_at,
  confirmedAt: r.confirmed_at,
  lastUsedStep: r.last_used_step,
});

export async function findTotp(db: Db, userId: number): Promise<TotpRow | undefined> {
  const row = await db.selectFrom('user_totp').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return row && toRow(row);
}

/** Locks a person's TOTP row for the rest of the transaction, so one code cannot be used by two requests at once. */
export async function lockTotp(db: Db, userId: number): Promise<TotpRow | undefined> {
  const row = await db.selectFrom('user_totp').selectAll().where('user_id', '=', userId).forUpdate().executeTakeFirst();
  return row && toRow(row);
}

/** Stores a new, unconfirmed secret, replacing an earlier unconfirmed one. */
export async function upsertUnconfirmedTotp(db: Db, userId: number, secretCiphertext: string, now: Date): Promise<void> {
  await db
    .insertInto('user_totp')
    .values({ user_id: userId, secret_ciphertext: secretCiphertext, created_at: now, confirmed_at: null, last_used_step: null })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret_ciphertext: secretCiphertext, created_at: now, confirmed_at: null, last_used_step: null }))
    .execute();
}

export async function confirmTotp(db: Db, userId: number, now: Date, step: number): Promise<void> {
  await db.updateTable('user_totp').set({ confirmed_at: now, last_used_step: step }).where('user_id', '=', userId).execute();
}

export async function setLastUsedStep(db: Db, userId: number, step: number): Promise<void> {
  await db.updateTable('user_totp').set({ last_used_step: step }).where('user_id', '=', userId).execute();
}

/** Removes the second factor and its recovery codes; returns whether one was confirmed. */
export async function deleteSecondFactor(db: Db, userId: number): Promise<boolean> {
  await db.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
  const row = await db.deleteFrom('user_totp').where('user_id', '=', userId).returning('confirmed_at').executeTakeFirst();
  return !!row?.confirmed_at;
}

export async function replaceRecoveryCodes(db: Db, userId: number, hashes: readonly string[], now: Date): Promise<void> {
  await db.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
  if (hashes.length) await db.insertInto('user_recovery_codes').values(hashes.map((h) => ({ user_id: userId, code_hash: h, created_at: now, used_at: null }))).execute();
}

/** Marks an unused recovery code as used; returns whether there was one (each works once). */
export async function useRecoveryCode(db: Db, userId: number, hash: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('user_recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .returning('code_hash')
    .executeTakeFirst();
  return !!row;
}

export async function countUnusedRecoveryCodes(db: Db, userId: number): Promise<number> {
  const row = await db.selectFrom('user_recovery_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Of these people, those with a confirmed second factor. */
export async function findConfirmedTotpUsers(db: Db, userIds: readonly number[]): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const rows = await db.selectFrom('user_totp').select('user_id').where('user_id', 'in', [...userIds]).where('confirmed_at', 'is not', null).execute();
  return new Set(rows.map((r) => r.user_id));
}
