/** All SQL of people administration: searching people within a scope, their posts, grants and account state. */
import { sql, type Selectable } from 'kysely';
import { isUniqueViolation, type Executor } from '../../kernel/db.js';
import { conflict } from '../../kernel/errors.js';
import type { IdentityTables, UsersTable } from './identity.repository.js';
import type { RoleName, TeamRole } from './user.js';

type Db = Executor<IdentityTables>;

/** Which people a query may return: everyone, or people with a current post under one of these paths. */
export type PeopleScope = { readonly kind: 'all' } | { readonly kind: 'paths'; readonly paths: readonly string[] };

export interface PersonRow {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly phone: string | null;
  readonly hasPassword: boolean;
  /** The password was set by an administrator and not yet replaced by its holder. */
  readonly passwordChangeRequired: boolean;
  readonly isDemo: boolean;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
}

const toPerson = (r: Selectable<UsersTable>): PersonRow => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  phone: r.phone,
  hasPassword: r.password_hash !== null,
  passwordChangeRequired: r.password_hash !== null && r.password_change_required,
  isDemo: r.is_demo,
  disabledAt: r.disabled_at,
  createdAt: r.created_at,
});

// `path like root || '%'` with text_pattern_ops on units.path: an index range scan per scope root.
function inScope(scope: PeopleScope) {
  return sql<boolean>`exists (
    select 1 from user_posts sp join units su on su.id = sp.unit_id
    where sp.user_id = users.id and sp.ended_at is null
      and su.path like any (${sql.val(scope.kind === 'paths' ? scope.paths.map((p) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : [])}::text[])
  )`;
}

/**
 * People matching `text` (user name, name or phone) within `scope`, newest first, one page plus one row (so
 * the caller knows whether there is a next page). The scope is part of the query, never applied afterwards.
 */
export async function searchPeople(
  db: Db,
  q: { scope: PeopleScope; text?: string; unitCode?: string; includeDisabled: boolean; limit: number; offset: number },
): Promise<PersonRow[]> {
  let query = db.selectFrom('users').selectAll('users');
  if (q.scope.kind === 'paths') query = query.where(inScope(q.scope));
  if (!q.includeDisabled) query = query.where('users.disabled_at', 'is', null);
  const text = q.text?.trim();
  if (text) {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('users.username', 'ilike', like), eb('users.display_name', 'ilike', like), eb('users.phone', 'like', like)]));
  }
  if (q.unitCode) {
    const code = q.unitCode;
    query = query.where(
      sql<boolean>`exists (select 1 from user_posts cp join units cu on cu.id = cp.unit_id where cp.user_id = users.id and cp.ended_at is null and cu.code = ${code})`,
    );
  }
  const rows = await query.orderBy('users.id', 'desc').limit(q.limit + 1).offset(q.offset).execute();
  return rows.map(toPerson);
}

export async function findPerson(db: Db, id: number): Promise<PersonRow | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toPerson(row);
}

export interface PostRow {
  readonly id: number;
  readonly userId: number;
  readonly unitId: number;
  readonly unitCode: string;
  readonly unitName: string;
  readonly unitKind: string;
  readonly unitPath: string;
  readonly role: RoleName;
  readonly teamRole: TeamRole | null;
  readonly createdAt: Date;
  readonly endedAt: Date | null;
}

/** Posts of these people (current ones, or all when `includeEnded`), in the order they were given. */
export async function findPostsOf(db: Db, userIds: readonly number[], includeEnded = false): Promise<PostRow[]> {
  if (userIds.length === 0) return [];
  let q = db
    .selectFrom('user_posts as p')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select(['p.id', 'p.user_id', 'p.unit_id', 'u.code', 'u.name', 'u.kind', 'u.path', 'p.role', 'p.team_role', 'p.created_at', 'p.ended_at'])
    .where('p.user_id', 'in', [...userIds]);
  if (!includeEnded) q = q.where('p.ended_at', 'is', null);
  const rows = await q.orderBy('p.id').execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    unitId: r.unit_id,
    unitCode: r.code,
    unitName: r.name,
    unitKind: r.kind,
    unitPath: r.path,
    role: r.role,
    teamRole: r.team_role,
    createdAt: r.created_at,
    endedAt: r.ended_at,
  }));
}

/** Locks a current post of a person, for ending it. */
export async function lockCurrentPost(db: Db, userId: number, postId: number): Promise<PostRow | undefined> {
  const row = await db
    .selectFrom('user_posts as p')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select(['p.id', 'p.user_id', 'p.unit_id', 'u.code', 'u.name', 'u.kind', 'u.path', 'p.role', 'p.team_role', 'p.created_at', 'p.ended_at'])
    .where('p.id', '=', postId)
    .where('p.user_id', '=', userId)
    .where('p.ended_at', 'is', null)
    .forUpdate('p')
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      userId: row.user_id,
      unitId: row.unit_id,
      unitCode: row.code,
      unitName: row.name,
      unitKind: row.kind,
      unitPath: row.path,
      role: row.role,
      teamRole: row.team_role,
      createdAt: row.created_at,
      endedAt: row.ended_at,
    }
  );
}

export async function endPost(db: Db, postId: number, at: Date): Promise<void> {
  await db.updateTable('user_posts').set({ ended_at: at }).where('id', '=', postId).execute();
}

/** Whether the person already holds this role in this unit (with this team place). */
export async function hasCurrentPost(db: Db, userId: number, unitId: number, role: RoleName, teamRole: TeamRole | null): Promise<boolean> {
  let q = db.selectFrom('user_posts').select('id').where('user_id', '=', userId).where('unit_id', '=', unitId).where('role', '=', role).where('ended_at', 'is', null);
  q = teamRole ? q.where('team_role', '=', teamRole) : q.where('team_role', 'is', null);
  return !!(await q.executeTakeFirst());
}

export interface GrantRow {
  readonly permission: string;
  readonly grantedAt: Date;
  readonly grantedBy: string | null;
}

export async function findGrantsOf(db: Db, userId: number): Promise<GrantRow[]> {
  const rows = await db
    .selectFrom('user_grants as g')
    .leftJoin('users as b', 'b.id', 'g.granted_by')
    .select(['g.permission', 'g.granted_at', 'b.username'])
    .where('g.user_id', '=', userId)
    .orderBy('g.permission')
    .execute();
  return rows.map((r) => ({ permission: r.permission, grantedAt: r.granted_at, grantedBy: r.username }));
}

/** Adds a grant; returns false when the person already had it. */
export async function insertGrant(db: Db, g: { userId: number; permission: string; grantedBy: number | null; at: Date }): Promise<boolean> {
  const row = await db
    .insertInto('user_grants')
    .values({ user_id: g.userId, permission: g.permission, granted_by: g.grantedBy, granted_at: g.at })
    .onConflict((oc) => oc.columns(['user_id', 'permission']).doNothing())
    .returning('permission')
    .executeTakeFirst();
  return !!row;
}

/** Removes a grant; returns false when the person did not have it. */
export async function deleteGrant(db: Db, userId: number, permission: string): Promise<boolean> {
  const r = await db.deleteFrom('user_grants').where('user_id', '=', userId).where('permission', '=', permission).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function updatePersonDetails(db: Db, id: number, d: { displayName: string; phone: string | null }, at: Date): Promise<void> {
  await db.updateTable('users').set({ display_name: d.displayName, phone: d.phone, updated_at: at }).where('id', '=', id).execute();
}

export async function setDisabledAt(db: Db, id: number, at: Date | null, now: Date): Promise<void> {
  await db.updateTable('users').set({ disabled_at: at, updated_at: now }).where('id', '=', id).execute();
}

export async function countSessionsOf(db: Db, userId: number, now: Date, idleBefore: Date): Promise<number> {
  const row = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', idleBefore)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Which of these user names (compared case-insensitively) are taken; returns them lower-cased. */
export async function findTakenUsernames(db: Db, usernames: readonly string[]): Promise<Set<string>> {
  if (usernames.length === 0) return new Set();
  const lower = [...new Set(usernames.map((u) => u.toLowerCase()))];
  const rows = await db.selectFrom('users').select(sql<string>`lower(username)`.as('name')).where(sql<string>`lower(username)`, 'in', lower).execute();
  return new Set(rows.map((r) => r.name));
}

/** Inserts many people at once (a staff import); returns their ids in input order. */
export async function insertPeople(
  db: Db,
  people: readonly { username: string; displayName: string; phone: string | null; passwordHash: string | null }[],
): Promise<number[]> {
  const ids: number[] = [];
  // Batches keep each statement's parameter count far below PostgreSQL's limit of 65,535.
  for (let i = 0; i < people.length; i += 500) {
    const rows = await db
      .insertInto('users')
      .values(people.slice(i, i + 500).map((p) => ({ username: p.username, display_name: p.displayName, phone: p.phone, password_hash: p.passwordHash, is_demo: false, password_change_required: p.passwordHash !== null })))
      .returning(['id', 'username'])
      .execute()
      .catch((e: unknown) => {
        // Another import (or person) took one of the names after this one checked them.
        if (isUniqueViolation(e, 'users_username_key')) throw conflict('USER.USERNAMES_TAKEN_MEANWHILE', 'A user name in the file was taken meanwhile; nothing was imported');
        throw e;
      });
    const byName = new Map(rows.map((r) => [r.username, r.id]));
    for (const p of people.slice(i, i + 500)) ids.push(byName.get(p.username)!);
  }
  return ids;
}

export async function insertPosts(db: Db, posts: readonly { userId: number; unitId: number; role: RoleName; teamRole: TeamRole | null }[]): Promise<void> {
  for (let i = 0; i < posts.length; i += 1000) {
    const batch = posts.slice(i, i + 1000);
    if (batch.length) await db.insertInto('user_posts').values(batch.map((p) => ({ user_id: p.userId, unit_id: p.unitId, role: p.role, team_role: p.teamRole }))).execute();
  }
}
