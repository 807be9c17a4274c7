/** All SQL of the identity module: users, posts and sessions. */
import { sql, type Generated, type GeneratedAlways, type Selectable } from 'kysely';
import { isUniqueViolation, prepare, type Executor } from '../../kernel/db.js';
import { conflict } from '../../kernel/errors.js';
import type { OrganizationTables } from '../organization/index.js';
import type { Post, RoleName, TeamRole, User } from './user.js';

export interface UsersTable {
  id: GeneratedAlways<number>;
  username: string;
  display_name: string;
  password_hash: string | null;
  phone: string | null;
  is_demo: boolean;
  disabled_at: Date | null;
  password_change_required: Generated<boolean>;
  created_at: GeneratedAlways<Date>;
  updated_at: Generated<Date>;
}

export interface UserPostsTable {
  id: GeneratedAlways<number>;
  user_id: number;
  unit_id: number;
  role: RoleName;
  team_role: TeamRole | null;
  created_at: GeneratedAlways<Date>;
  ended_at: Date | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface UserGrantsTable {
  user_id: number;
  permission: string;
  granted_by: number | null;
  granted_at: Generated<Date>;
}

export interface IdentityTables extends OrganizationTables {
  users: UsersTable;
  user_posts: UserPostsTable;
  sessions: SessionsTable;
  user_grants: UserGrantsTable;
}

type Db = Executor<IdentityTables>;

const toUser = (r: Selectable<UsersTable>): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  isDemo: r.is_demo,
  disabledAt: r.disabled_at,
  passwordChangeRequired: r.password_change_required,
});

/** Inserts an account; a user name taken meanwhile (by another process) is USER.USERNAME_TAKEN, not a crash. */
export async function insertUser(
  db: Db,
  u: { username: string; displayName: string; passwordHash: string | null; phone?: string | null; isDemo: boolean; passwordChangeRequired?: boolean },
): Promise<User> {
  try {
    const row = await db
      .insertInto('users')
      .values({ username: u.username, display_name: u.displayName, password_hash: u.passwordHash, phone: u.phone ?? null, is_demo: u.isDemo, password_change_required: u.passwordChangeRequired ?? false })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(row);
  } catch (e) {
    if (isUniqueViolation(e, 'users_username_key')) {
      throw conflict('USER.USERNAME_TAKEN', `User name ${u.username} is taken`, { username: u.username });
    }
    throw e;
  }
}

export async function findUserByUsername(db: Db, username: string): Promise<(User & { passwordHash: string | null }) | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
  return row && { ...toUser(row), passwordHash: row.password_hash };
}

export async function findUserById(db: Db, id: number): Promise<(User & { passwordHash: string | null }) | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { ...toUser(row), passwordHash: row.password_hash };
}

/** Locks an account's row for the rest of the transaction (password changes, disabling, post changes). */
export async function lockUser(db: Db, id: number): Promise<(User & { passwordHash: string | null }) | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && { ...toUser(row), passwordHash: row.password_hash };
}

/** A new password; `changeRequired` when someone other than its holder chose it (they must replace it at sign-in). */
export async function updatePasswordHash(db: Db, id: number, passwordHash: string | null, at: Date, changeRequired = false): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, password_change_required: changeRequired, updated_at: at }).where('id', '=', id).execute();
}

/** A current unit by code, with what posts and the access policy need: its path, kind and enclosing town. */
export interface UnitPlace {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly kind: string;
  readonly path: string;
  readonly townPath: string | null;
}

export async function findUnitPlaces(db: Db, codes: readonly string[]): Promise<Map<string, UnitPlace>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('units as u')
    .select(['u.id', 'u.code', 'u.name', 'u.kind', 'u.path'])
    .select((eb) =>
      eb
        .selectFrom('units as t')
        .select('t.path')
        .where('t.kind', 'in', ['street', 'town', 'township'])
        .where(sql<boolean>`u.path like t.path || '%'`)
        .limit(1)
        .as('town_path'),
    )
    .where('u.code', 'in', [...new Set(codes)])
    .where('u.retired_at', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.code, { id: r.id, code: r.code, name: r.name, kind: r.kind, path: r.path, townPath: r.town_path }]));
}

export async function findUnitIdByCode(db: Db, code: string): Promise<number | undefined> {
  return (await findUnitPlaces(db, [code])).get(code)?.id;
}

export async function insertPost(db: Db, p: { userId: number; unitId: number; role: RoleName; teamRole?: TeamRole | null }): Promise<number> {
  const row = await db
    .insertInto('user_posts')
    .values({ user_id: p.userId, unit_id: p.unitId, role: p.role, team_role: p.teamRole ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

// Both run on every signed-in request, so they are prepared once.
type PostRow = { id: number; unit_id: number; role: RoleName; team_role: TeamRole | null; code: string; name: string; kind: string; path: string; town_path: string | null };
const currentPosts = prepare<{ userId: number }, PostRow>((db, p) =>
  (db as Db)
    .selectFrom('user_posts as p')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select(['p.id', 'p.unit_id', 'p.role', 'p.team_role', 'u.code', 'u.name', 'u.kind', 'u.path'])
    .select((eb) =>
      eb
        .selectFrom('units as t')
        .select('t.path')
        .where('t.kind', 'in', ['street', 'town', 'township'])
        .where(sql<boolean>`u.path like t.path || '%'`)
        .limit(1)
        .as('town_path'),
    )
    .where('p.user_id', '=', p('userId'))
    .where('p.ended_at', 'is', null)
    .orderBy('p.id'),
);

const currentGrants = prepare<{ userId: number }, { permission: string }>((db, p) =>
  (db as Db).selectFrom('user_grants').select('permission').where('user_id', '=', p('userId')).orderBy('permission'),
);

export async function findGrants(db: Db, userId: number): Promise<string[]> {
  return (await currentGrants.execute(db, { userId })).map((r) => r.permission);
}

// Any stored session with this hash, live or not: the session rules decide, so the answer can say why it ended.
const sessionByHash = prepare<{ tokenHash: string }, Selectable<UsersTable> & { last_seen_at: Date; expires_at: Date }>((db, p) =>
  (db as Db)
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('u')
    .select(['s.last_seen_at', 's.expires_at'])
    .where('s.token_hash', '=', p('tokenHash')),
);

export async function findCurrentPosts(db: Db, userId: number): Promise<Post[]> {
  const rows = await currentPosts.execute(db, { userId });
  return rows.map((r) => ({
    id: r.id,
    unitId: r.unit_id,
    unitCode: r.code,
    unitName: r.name,
    unitKind: r.kind,
    unitPath: r.path,
    townPath: r.town_path,
    role: r.role,
    teamRole: r.team_role,
  }));
}

export async function insertSession(
  db: Db,
  s: { tokenHash: string; userId: number; now: Date; expiresAt: Date; ip: string | null; userAgent: string | null },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: s.tokenHash,
      user_id: s.userId,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

/** The stored session with this token hash and its user, whether or not it is still live. */
export async function findSession(db: Db, tokenHash: string) {
  const [row] = await sessionByHash.execute(db, { tokenHash });
  return row && { user: toUser(row), lastSeenAt: row.last_seen_at, expiresAt: row.expires_at };
}

export interface SessionRow {
  readonly tokenHash: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export async function findSessionsOfUser(db: Db, userId: number): Promise<SessionRow[]> {
  const rows = await db.selectFrom('sessions').selectAll().where('user_id', '=', userId).orderBy('last_seen_at', 'desc').execute();
  return rows.map((r) => ({ tokenHash: r.token_hash, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at, ip: r.ip, userAgent: r.user_agent }));
}

/** Ends every session of a person (but `exceptHash`, when given); returns how many ended. */
export async function deleteSessionsOfUser(db: Db, userId: number, exceptHash?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptHash) q = q.where('token_hash', '<>', exceptHash);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function touchSession(db: Db, tokenHash: string, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
}

/** Ends a session; returns whether there was one. */
export async function deleteSession(db: Db, tokenHash: string): Promise<boolean> {
  const r = await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Deletes sessions past their absolute end or idle since `idleBefore`. */
export async function deleteEndedSessions(db: Db, now: Date, idleBefore: Date): Promise<number> {
  const r = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleBefore)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
