/** All SQL of API tokens. */
import { sql, type GeneratedAlways } from 'kysely';
import { isUniqueViolation, prepare, type Executor } from '../../kernel/db.js';
import { conflict } from '../../kernel/errors.js';
import type { Action } from '../access/index.js';
import type { IdentityTables } from '../identity/index.js';
import type { ApiToken } from './token.js';

export interface ApiTokensTable {
  id: GeneratedAlways<number>;
  name: string;
  token_hash: string;
  display_prefix: string;
  actions: string[];
  scope_unit_id: number | null;
  issued_by: number | null;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  revoked_by: number | null;
  is_demo: boolean;
}

export interface TokenTables extends IdentityTables {
  api_tokens: ApiTokensTable;
}

type Db = Executor<TokenTables>;

/** Which tokens a query may return: all, or those scoped inside one of these paths. */
export type TokenScope = { readonly kind: 'all' } | { readonly kind: 'paths'; readonly paths: readonly string[] };

function baseQuery(db: Db) {
  return db
    .selectFrom('api_tokens as t')
    .leftJoin('units as u', 'u.id', 't.scope_unit_id')
    .leftJoin('users as i', 'i.id', 't.issued_by')
    .leftJoin('users as r', 'r.id', 't.revoked_by')
    .select([
      't.id',
      't.name',
      't.display_prefix',
      't.actions',
      't.scope_unit_id',
      'u.code as scope_code',
      'u.name as scope_name',
      'u.path as scope_path',
      'i.username as issued_by_name',
      't.created_at',
      't.expires_at',
      't.last_used_at',
      't.revoked_at',
      'r.username as revoked_by_name',
      't.is_demo',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

const toToken = (r: Row): ApiToken => ({
  id: r.id,
  name: r.name,
  displayPrefix: r.display_prefix,
  actions: r.actions as Action[],
  scopeUnit: r.scope_unit_id !== null && r.scope_code !== null ? { id: r.scope_unit_id, code: r.scope_code, name: r.scope_name!, path: r.scope_path! } : null,
  issuedBy: r.issued_by_name,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by_name,
  isDemo: r.is_demo,
});

export async function insertToken(
  db: Db,
  t: { name: string; tokenHash: string; displayPrefix: string; actions: readonly Action[]; scopeUnitId: number | null; issuedBy: number | null; now: Date; expiresAt: Date | null; isDemo: boolean },
): Promise<number> {
  try {
    const row = await db
      .insertInto('api_tokens')
      .values({
        name: t.name,
        token_hash: t.tokenHash,
        display_prefix: t.displayPrefix,
        actions: [...t.actions],
        scope_unit_id: t.scopeUnitId,
        issued_by: t.issuedBy,
        created_at: t.now,
        expires_at: t.expiresAt,
        is_demo: t.isDemo,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  } catch (e) {
    if (isUniqueViolation(e, 'api_tokens_live_name_key')) throw conflict('TOKEN.NAME_TAKEN', `A live token is named ${t.name}`, { name: t.name });
    throw e;
  }
}

/** Inserts a token unless one with this hash exists; returns its id when it was inserted. */
export async function insertTokenIfAbsent(db: Db, t: Parameters<typeof insertToken>[1]): Promise<number | undefined> {
  const row = await db
    .insertInto('api_tokens')
    .values({
      name: t.name,
      token_hash: t.tokenHash,
      display_prefix: t.displayPrefix,
      actions: [...t.actions],
      scope_unit_id: t.scopeUnitId,
      issued_by: t.issuedBy,
      created_at: t.now,
      expires_at: t.expiresAt,
      is_demo: t.isDemo,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function findTokenById(db: Db, id: number): Promise<ApiToken | undefined> {
  const row = await baseQuery(db).where('t.id', '=', id).executeTakeFirst();
  return row && toToken(row);
}

export async function lockToken(db: Db, id: number): Promise<ApiToken | undefined> {
  const row = await baseQuery(db).where('t.id', '=', id).forUpdate('t').executeTakeFirst();
  return row && toToken(row);
}

/** Tokens within `scope`: district-wide tokens only for a district-wide scope. Live ones first, newest first. */
export async function findTokens(db: Db, scope: TokenScope, includeRevoked: boolean): Promise<ApiToken[]> {
  let q = baseQuery(db);
  if (scope.kind === 'paths') {
    q = q.where(sql<boolean>`u.path like any (${sql.val(scope.paths.map((p) => `${p}%`))}::text[])`);
  }
  if (!includeRevoked) q = q.where('t.revoked_at', 'is', null);
  const rows = await q.orderBy(sql`t.revoked_at is not null`).orderBy('t.id', 'desc').limit(500).execute();
  return rows.map(toToken);
}

export async function revokeToken(db: Db, id: number, by: number | null, at: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: at, revoked_by: by }).where('id', '=', id).execute();
}

// Runs on every machine request (each batch of sensor readings, each Open311 submission): prepared once.
type AuthRow = {
  id: number;
  name: string;
  actions: string[];
  scope_code: string | null;
  scope_path: string | null;
  scope_unit_id: number | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  is_demo: boolean;
};
const byHash = prepare<{ tokenHash: string }, AuthRow>((db, p) =>
  (db as Db)
    .selectFrom('api_tokens as t')
    .leftJoin('units as u', 'u.id', 't.scope_unit_id')
    .select(['t.id', 't.name', 't.actions', 'u.code as scope_code', 'u.path as scope_path', 't.scope_unit_id', 't.expires_at', 't.revoked_at', 't.last_used_at', 't.is_demo'])
    .where('t.token_hash', '=', p('tokenHash')),
);

export async function findTokenByHash(db: Db, tokenHash: string): Promise<AuthRow | undefined> {
  return (await byHash.execute(db, { tokenHash }))[0];
}

export async function touchToken(db: Db, id: number, at: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function findUnitByCode(db: Db, code: string): Promise<{ id: number; code: string; name: string; path: string } | undefined> {
  return db.selectFrom('units').select(['id', 'code', 'name', 'path']).where('code', '=', code).where('retired_at', 'is', null).executeTakeFirst();
}
