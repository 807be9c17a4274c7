/**
 * Administration of people and their posts (issue 3 §7): search within one's scope, create (with or without a
 * password: a volunteer is a person who cannot sign in), edit, disable and enable, give and end posts, grant and
 * revoke explicit permissions, set a new password, lift a sign-in lock, remove a second factor, and import a
 * staff list from CSV. Each change is authorised by the access policy, runs in one short transaction (check →
 * lock → validate → save → audit) and leaves an audit entry; changes that take power away end the sessions.
 */
import type { Clock } from '../../kernel/clock.js';
import { CsvSyntaxError, decodeText, parseCsvRecords } from '../../kernel/csv.js';
import type { Database, Executor } from '../../kernel/db.js';
import { DomainError, conflict, forbidden, invalid, type FieldProblem } from '../../kernel/errors.js';
import type { Initiator } from '../../kernel/initiator.js';
import { authorize, scopeFor, type PolicyActor } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import { userNotFound } from './identity.errors.js';
import * as repo from './identity.repository.js';
import { accountKey, type IdentityService, type NewUser } from './identity.service.js';
import { MIN_PASSWORD_LENGTH, hashPassword } from './password.js';
import { GRANTABLE, mayAssignPost, mayGrant, mayManagePerson, maySeePerson } from './people.policy.js';
import * as peopleRepo from './people.repository.js';
import { personProblems, roleFromName, teamRoleAllowed, teamRoleFromName } from './people.rules.js';
import { SESSION_IDLE_MS } from './session.rules.js';
import * as signInRepo from './sign-in.repository.js';
import { activeLock } from './throttle.rules.js';
import * as totpRepo from './totp.repository.js';
import type { RoleName, TeamRole, User } from './user.js';

export interface PeopleContext {
  readonly actor: PolicyActor;
  readonly by: Initiator;
}

export type Person = peopleRepo.PersonRow;
export type PersonPost = peopleRepo.PostRow;
export type PersonGrant = peopleRepo.GrantRow;

export interface PersonSummary extends Person {
  readonly posts: readonly PersonPost[];
}

export interface PersonDetail extends PersonSummary {
  readonly endedPosts: readonly PersonPost[];
  readonly grants: readonly PersonGrant[];
  readonly sessions: number;
  readonly secondFactor: boolean;
  /** The end of a sign-in lock on the person's account name, if one is in force. */
  readonly lockedUntil: Date | null;
  /** Whether the asking actor may change this person. */
  readonly manageable: boolean;
}

export interface PostInput {
  readonly unitCode: string;
  readonly role: string;
  readonly teamRole?: string | null;
}

export interface StaffImportResult {
  readonly created: number;
  readonly withPassword: number;
  readonly posts: number;
}

export interface SignInLock {
  readonly scope: 'account' | 'address';
  readonly key: string;
  readonly lockedUntil: Date;
}

export interface PeopleService {
  search(actor: PolicyActor, q: { text?: string; unitCode?: string; includeDisabled?: boolean; page?: number }): Promise<{ people: PersonSummary[]; hasMore: boolean; pageSize: number }>;
  /** A person, or USER.NOT_FOUND when there is none or they are outside the actor's scope (the same answer). */
  get(actor: PolicyActor, id: number): Promise<PersonDetail>;
  create(ctx: PeopleContext, input: Omit<NewUser, 'posts' | 'isDemo'> & { posts: readonly PostInput[] }): Promise<User>;
  update(ctx: PeopleContext, id: number, details: { displayName: string; phone: string | null }): Promise<void>;
  /** Disabling ends every session at once; one cannot disable oneself. */
  setDisabled(ctx: PeopleContext, id: number, disabled: boolean): Promise<void>;
  addPost(ctx: PeopleContext, id: number, post: PostInput): Promise<void>;
  endPost(ctx: PeopleContext, id: number, postId: number): Promise<void>;
  grant(ctx: PeopleContext, id: number, permission: string): Promise<void>;
  revoke(ctx: PeopleContext, id: number, permission: string): Promise<void>;
  /** Sets a new password (or gives a first one); every session of the person ends. */
  setPassword(ctx: PeopleContext, id: number, password: string): Promise<void>;
  /** Lifts a sign-in lock on the person's account name; returns whether one was in force. */
  unlock(ctx: PeopleContext, id: number): Promise<boolean>;
  /** Lifts a lock on a client address. */
  unlockAddress(ctx: PeopleContext, address: string): Promise<boolean>;
  /** Sign-in locks in force now (administrators only). */
  activeLocks(actor: PolicyActor): Promise<SignInLock[]>;
  /** Removes a person's second factor and recovery codes (they can sign in with the password and enrol again). */
  resetSecondFactor(ctx: PeopleContext, id: number): Promise<void>;
  /** Creates people (with an optional post each) from a staff list: every row checked first, then all or nothing. */
  importCsv(ctx: PeopleContext, bytes: Uint8Array): Promise<StaffImportResult>;
}

const PAGE_SIZE = 50;
const MAX_IMPORT_ROWS = 5000;

/** Column names a staff list may use: the identifiers and their usual Chinese headings. */
const HEADER_ALIASES: Readonly<Record<string, string>> = {
  用户名: 'username',
  账号: 'username',
  姓名: 'display_name',
  电话: 'phone',
  手机: 'phone',
  联系电话: 'phone',
  单位代码: 'unit_code',
  角色: 'role',
  岗位角色: 'role',
  网格职务: 'team_role',
  网格角色: 'team_role',
  密码: 'password',
  初始密码: 'password',
};

export function createPeopleService(database: Database, clock: Clock, audit: AuditService, identity: IdentityService): PeopleService {
  const { db } = database;

  /** Reads a person for a change: authorised, locked, in scope (else not found), manageable (else forbidden). */
  async function forChange(tx: Executor, ctx: PeopleContext, id: number) {
    authorize(ctx.actor, 'user.manage');
    const user = await repo.lockUser(tx, id);
    if (!user) throw userNotFound(id);
    const posts = await peopleRepo.findPostsOf(tx, [id]);
    const paths = posts.map((p) => p.unitPath);
    if (!maySeePerson(ctx.actor, paths) && !mayManagePerson(ctx.actor, paths)) throw userNotFound(id);
    if (!mayManagePerson(ctx.actor, paths)) throw forbidden('USER.OUT_OF_SCOPE', `${user.username} has posts outside your scope`, { username: user.username });
    return { user, posts };
  }

  const endAccess = async (tx: Executor, userId: number) => {
    const sessions = await repo.deleteSessionsOfUser(tx, userId);
    await signInRepo.deletePendingSignInsOfUser(tx, userId);
    return sessions;
  };

  function parsePost(post: PostInput): { role: RoleName; teamRole: TeamRole | null; problems: FieldProblem[] } {
    const problems: FieldProblem[] = [];
    const role = roleFromName(post.role);
    if (!role) problems.push({ path: 'role', code: 'USER.ROLE_UNKNOWN', message: `unknown role ${post.role}`, params: { role: post.role } });
    let teamRole: TeamRole | null = null;
    if (post.teamRole) {
      const t = teamRoleFromName(post.teamRole);
      if (!t) problems.push({ path: 'teamRole', code: 'USER.TEAM_ROLE_UNKNOWN', message: `unknown team place ${post.teamRole}`, params: { teamRole: post.teamRole } });
      else teamRole = t;
    }
    if (!post.unitCode) problems.push({ path: 'unitCode', code: 'field.required', message: 'unit code is required' });
    return { role: role ?? 'citizen', teamRole, problems };
  }

  const notAllowed = (role: string, unit: string) =>
    forbidden('USER.POST_NOT_ALLOWED', `You may not give the post ${role} in ${unit}`, { role, unit });

  const service: PeopleService = {
    async search(actor, q) {
      authorize(actor, 'user.read');
      const scope = scopeFor(actor, 'user.read');
      const page = Math.max(1, Math.min(Math.floor(q.page ?? 1) || 1, 10_000));
      const rows = await peopleRepo.searchPeople(db, {
        scope: scope.kind === 'all' ? { kind: 'all' } : { kind: 'paths', paths: scope.kind === 'paths' ? scope.paths : [] },
        text: q.text?.slice(0, 50),
        unitCode: q.unitCode?.slice(0, 40) || undefined,
        includeDisabled: q.includeDisabled ?? false,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      });
      const people = rows.slice(0, PAGE_SIZE);
      const posts = await peopleRepo.findPostsOf(db, people.map((p) => p.id));
      return {
        people: people.map((p) => ({ ...p, posts: posts.filter((x) => x.userId === p.id) })),
        hasMore: rows.length > PAGE_SIZE,
        pageSize: PAGE_SIZE,
      };
    },

    async get(actor, id) {
      authorize(actor, 'user.read');
      const person = await peopleRepo.findPerson(db, id);
      if (!person) throw userNotFound(id);
      const all = await peopleRepo.findPostsOf(db, [id], true);
      const posts = all.filter((p) => !p.endedAt);
      if (!maySeePerson(actor, posts.map((p) => p.unitPath))) throw userNotFound(id);
      const now = clock.now();
      const [grants, sessions, totp, throttle] = await Promise.all([
        peopleRepo.findGrantsOf(db, id),
        peopleRepo.countSessionsOf(db, id, now, new Date(now.getTime() - SESSION_IDLE_MS)),
        totpRepo.findTotp(db, id),
        signInRepo.findThrottles(db, [{ scope: 'account', key: accountKey(person.username) }]),
      ]);
      const state = throttle.get(`account:${accountKey(person.username)}`);
      return {
        ...person,
        posts,
        endedPosts: all.filter((p) => p.endedAt),
        grants,
        sessions,
        secondFactor: !!totp?.confirmedAt,
        lockedUntil: (state && activeLock(state, now)) ?? null,
        manageable: mayManagePerson(actor, posts.map((p) => p.unitPath)) && scopeFor(actor, 'user.manage').kind !== 'none',
      };
    },

    async create(ctx, input) {
      authorize(ctx.actor, 'user.manage');
      const parsed = input.posts.map(parsePost);
      const problems = parsed.flatMap((p) => p.problems);
      if (problems.length) throw invalid('REQUEST.INVALID', problems.map((p) => p.message).join('; '), problems);
      // A person without posts is visible only district-wide, so only a district-wide administrator creates one.
      if (input.posts.length === 0 && !mayManagePerson(ctx.actor, [])) throw forbidden('USER.OUT_OF_SCOPE', 'A person without posts needs a district-wide administrator');
      return identity.createUser(
        // The administrator chose the first password, so the person replaces it when first signing in.
        { ...input, passwordChangeRequired: true, posts: input.posts.map((p, i) => ({ unitCode: p.unitCode, role: parsed[i]!.role, teamRole: parsed[i]!.teamRole })) },
        ctx.by,
        (post, place) => {
          if (!mayAssignPost(ctx.actor, { role: post.role, unitPath: place.path, townPath: place.townPath })) throw notAllowed(post.role, place.name);
        },
      );
    },

    async update(ctx, id, details) {
      const problems = personProblems({ displayName: details.displayName, phone: details.phone });
      if (problems.length) throw invalid('REQUEST.INVALID', problems.map((p) => p.message).join('; '), problems);
      await database.transaction(async (tx) => {
        const { user } = await forChange(tx, ctx, id);
        const before = await peopleRepo.findPerson(tx, id);
        const displayName = details.displayName.trim();
        const phone = details.phone?.trim() || null;
        const changed: Record<string, unknown> = {};
        if (before!.displayName !== displayName) changed.displayName = { from: before!.displayName, to: displayName };
        // Phone numbers are personal data: the trail says that one changed, not what it is.
        if (before!.phone !== phone) changed.phone = 'changed';
        if (Object.keys(changed).length === 0) return;
        await peopleRepo.updatePersonDetails(tx, id, { displayName, phone }, clock.now());
        await audit.append(tx, { action: 'user.update', target: { type: 'user', id: user.username }, details: changed }, ctx.by);
      });
    },

    async setDisabled(ctx, id, disabled) {
      if (disabled && ctx.by.userId === id) throw invalid('USER.SELF_DISABLE', 'You cannot disable your own account');
      await database.transaction(async (tx) => {
        const { user } = await forChange(tx, ctx, id);
        if (!!user.disabledAt === disabled) return;
        const now = clock.now();
        await peopleRepo.setDisabledAt(tx, id, disabled ? now : null, now);
        const sessionsEnded = disabled ? await endAccess(tx, id) : 0;
        await audit.append(tx, { action: disabled ? 'user.disable' : 'user.enable', target: { type: 'user', id: user.username }, details: disabled ? { sessionsEnded } : {} }, ctx.by);
      });
    },

    async addPost(ctx, id, input) {
      const parsed = parsePost(input);
      if (parsed.problems.length) throw invalid('REQUEST.INVALID', parsed.problems.map((p) => p.message).join('; '), parsed.problems);
      await database.transaction(async (tx) => {
        authorize(ctx.actor, 'user.manage');
        const user = await repo.lockUser(tx, id);
        if (!user) throw userNotFound(id);
        const posts = await peopleRepo.findPostsOf(tx, [id]);
        // Giving a first post in one's own scope to someone outside it is how a scoped administrator takes a
        // person on; changing a person with posts elsewhere is not.
        if (posts.length > 0 && !mayManagePerson(ctx.actor, posts.map((p) => p.unitPath))) {
          if (!maySeePerson(ctx.actor, posts.map((p) => p.unitPath))) throw userNotFound(id);
          throw forbidden('USER.OUT_OF_SCOPE', `${user.username} has posts outside your scope`, { username: user.username });
        }
        const place = (await repo.findUnitPlaces(tx, [input.unitCode])).get(input.unitCode);
        if (!place) throw invalid('USER.UNIT_NOT_FOUND', `No unit with code ${input.unitCode}`, [{ path: 'unitCode', code: 'USER.UNIT_NOT_FOUND', message: 'no such unit', params: { unit: input.unitCode } }], { unit: input.unitCode });
        if (!teamRoleAllowed(parsed.teamRole, place.kind)) {
          throw invalid('USER.TEAM_ROLE_NOT_GRID', 'A team place needs a grid post', [{ path: 'teamRole', code: 'USER.TEAM_ROLE_NOT_GRID', message: 'a team place needs a grid post', params: { unit: place.name } }], { unit: place.name });
        }
        if (!mayAssignPost(ctx.actor, { role: parsed.role, unitPath: place.path, townPath: place.townPath })) throw notAllowed(parsed.role, place.name);
        if (await peopleRepo.hasCurrentPost(tx, id, place.id, parsed.role, parsed.teamRole)) throw conflict('USER.POST_EXISTS', `${user.username} already holds this post`, { unit: place.name });
        await repo.insertPost(tx, { userId: id, unitId: place.id, role: parsed.role, teamRole: parsed.teamRole });
        await audit.append(tx, { action: 'user.post_add', target: { type: 'user', id: user.username }, details: { unitCode: place.code, unitName: place.name, role: parsed.role, teamRole: parsed.teamRole } }, ctx.by);
      });
    },

    async endPost(ctx, id, postId) {
      await database.transaction(async (tx) => {
        const { user } = await forChange(tx, ctx, id);
        const post = await peopleRepo.lockCurrentPost(tx, id, postId);
        if (!post) throw new DomainError('NotFound', 'USER.POST_NOT_FOUND', `No current post ${postId}`, { params: { id: postId } });
        if (ctx.by.userId === id && post.role === 'admin') throw invalid('USER.OWN_ADMIN_POST', 'Another administrator must end your administrator post');
        await peopleRepo.endPost(tx, postId, clock.now());
        await audit.append(tx, { action: 'user.post_end', target: { type: 'user', id: user.username }, details: { unitCode: post.unitCode, unitName: post.unitName, role: post.role, teamRole: post.teamRole } }, ctx.by);
      });
    },

    async grant(ctx, id, permission) {
      if (!(GRANTABLE as readonly string[]).includes(permission)) throw invalid('USER.PERMISSION_UNKNOWN', `Not a grantable permission: ${permission}`, undefined, { permission });
      if (!mayGrant(ctx.actor, permission)) throw forbidden('USER.GRANT_NOT_ALLOWED', `You may not grant ${permission}`, { permission });
      await database.transaction(async (tx) => {
        const { user } = await forChange(tx, ctx, id);
        const added = await peopleRepo.insertGrant(tx, { userId: id, permission, grantedBy: ctx.by.userId, at: clock.now() });
        if (added) await audit.append(tx, { action: 'user.grant', target: { type: 'user', id: user.username }, details: { permission } }, ctx.by);
      });
    },

    async revoke(ctx, id, permission) {
      if (!mayGrant(ctx.actor, permission)) throw forbidden('USER.GRANT_NOT_ALLOWED', `You may not revoke ${permission}`, { permission });
      await database.transaction(async (tx) => {
        const { user } = await forChange(tx, ctx, id);
        const removed = await peopleRepo.deleteGrant(tx, id, permission);
        if (removed) await audit.append(tx, { action: 'user.revoke', target: { type: 'user', id: user.username }, details: { permission } }, ctx.by);
      });
    },

    async setPassword(ctx, id, password) {
      authorize(ctx.actor, 'user.manage');
      const person = await peopleRepo.findPerson(db, id);
      if (!person) throw userNotFound(id);
      const problems = personProblems({ password }, person.username);
      if (!password) problems.push({ path: 'password', code: 'field.required', message: 'a password is required' });
      if (problems.length) throw invalid(problems[0]!.code === 'field.required' ? 'REQUEST.INVALID' : 'USER.WEAK_PASSWORD', problems.map((p) => p.message).join('; '), problems, { min: MIN_PASSWORD_LENGTH });
      const passwordHash = await hashPassword(password);
      await database.transaction(async (tx) => {
        const { user } = await forChange(tx, ctx, id);
        // Someone else chose it: its holder replaces it at the next sign-in (but an administrator setting their own here need not).
        await repo.updatePasswordHash(tx, id, passwordHash, clock.now(), ctx.actor.userId !== id);
        const sessionsEnded = await endAccess(tx, id);
        await audit.append(tx, { action: person.hasPassword ? 'user.password_reset' : 'user.password_set', target: { type: 'user', id: user.username }, details: { sessionsEnded } }, ctx.by);
      });
    },

    async unlock(ctx, id) {
      return database.transaction(async (tx) => {
        const { user } = await forChange(tx, ctx, id);
        const wasLocked = await signInRepo.deleteThrottle(tx, { scope: 'account', key: accountKey(user.username) }, clock.now());
        await audit.append(tx, { action: 'user.unlock', target: { type: 'user', id: user.username }, details: { wasLocked } }, ctx.by);
        return wasLocked;
      });
    },

    async unlockAddress(ctx, address) {
      authorize(ctx.actor, 'user.manage');
      if (scopeFor(ctx.actor, 'user.manage').kind !== 'all') throw forbidden('USER.OUT_OF_SCOPE', 'Only a district-wide administrator lifts an address lock');
      return database.transaction(async (tx) => {
        const wasLocked = await signInRepo.deleteThrottle(tx, { scope: 'address', key: address.slice(0, 100) }, clock.now());
        await audit.append(tx, { action: 'auth.unlock_address', target: { type: 'address', id: address.slice(0, 100) }, details: { wasLocked } }, ctx.by);
        return wasLocked;
      });
    },

    async activeLocks(actor) {
      authorize(actor, 'user.manage');
      if (scopeFor(actor, 'user.manage').kind !== 'all') return [];
      return signInRepo.findActiveLocks(db, clock.now());
    },

    async resetSecondFactor(ctx, id) {
      await database.transaction(async (tx) => {
        const { user } = await forChange(tx, ctx, id);
        const hadOne = await totpRepo.deleteSecondFactor(tx, id);
        if (!hadOne) return;
        const sessionsEnded = await endAccess(tx, id);
        await audit.append(tx, { action: 'user.second_factor_reset', target: { type: 'user', id: user.username }, details: { sessionsEnded } }, ctx.by);
      });
    },

    async importCsv(ctx, bytes) {
      authorize(ctx.actor, 'user.manage');
      let parsed;
      try {
        parsed = parseCsvRecords(decodeText(bytes));
      } catch (e) {
        if (e instanceof CsvSyntaxError) throw invalid('CSV.SYNTAX', e.message, [{ path: `${e.line}`, code: 'CSV.SYNTAX', message: e.message, params: { line: e.line } }], { line: e.line });
        throw e;
      }
      const header = parsed.header.map((h) => HEADER_ALIASES[h] ?? h.toLowerCase());
      const missing = ['username', 'display_name'].filter((h) => !header.includes(h));
      if (missing.length) throw invalid('CSV.MISSING_COLUMNS', `Missing columns: ${missing.join(', ')}`, undefined, { columns: missing.join(', ') });
      if (parsed.records.length === 0) throw invalid('CSV.EMPTY', 'The file has no rows');
      if (parsed.records.length > MAX_IMPORT_ROWS) throw new DomainError('TooLarge', 'CSV.TOO_MANY_ROWS', `At most ${MAX_IMPORT_ROWS} rows per import`, { params: { max: MAX_IMPORT_ROWS } });

      const problems: FieldProblem[] = [];
      const at = (line: number, field: string, code: string, message: string, params: Record<string, string | number> = {}) =>
        problems.push({ path: `${line}:${field}`, code, message: `line ${line}, ${field}: ${message}`, params: { line, field, ...params } });
      const FIELD_OF: Record<string, string> = { username: 'username', displayName: 'display_name', phone: 'phone', password: 'password' };

      interface Row {
        line: number;
        username: string;
        displayName: string;
        phone: string | null;
        password: string | null;
        unitCode: string | null;
        role: RoleName | null;
        teamRole: TeamRole | null;
      }
      const rows: Row[] = [];
      const seen = new Map<string, number>();
      for (const { line, values: raw } of parsed.records) {
        const v = Object.fromEntries(parsed.header.map((h, i) => [header[i]!, raw[h] ?? '']));
        const row: Row = {
          line,
          username: v.username ?? '',
          displayName: v.display_name ?? '',
          phone: v.phone || null,
          password: v.password || null,
          unitCode: v.unit_code || null,
          role: null,
          teamRole: null,
        };
        for (const p of personProblems({ username: row.username, displayName: row.displayName, phone: row.phone, password: row.password })) {
          at(line, FIELD_OF[p.path] ?? p.path, p.code, p.message, (p.params ?? {}) as Record<string, string | number>);
        }
        const key = row.username.toLowerCase();
        const first = seen.get(key);
        if (first !== undefined) at(line, 'username', 'CSV.DUPLICATE_USERNAME', `user name ${row.username} already appears on line ${first}`, { username: row.username, first });
        else if (row.username) seen.set(key, line);
        if (v.role) {
          const role = roleFromName(v.role);
          if (role) row.role = role;
          else at(line, 'role', 'USER.ROLE_UNKNOWN', `unknown role ${v.role}`, { role: v.role });
        }
        if (v.team_role) {
          const t = teamRoleFromName(v.team_role);
          if (t) row.teamRole = t;
          else at(line, 'team_role', 'USER.TEAM_ROLE_UNKNOWN', `unknown team place ${v.team_role}`, { teamRole: v.team_role });
        }
        if (row.unitCode && !v.role) at(line, 'role', 'field.required', 'a role is required with a unit');
        if (!row.unitCode && (v.role || v.team_role)) at(line, 'unit_code', 'field.required', 'a unit is required with a role');
        rows.push(row);
      }

      const checkAgainstDatabase = async (x: Executor) => {
        const places = await repo.findUnitPlaces(x, rows.flatMap((r) => (r.unitCode ? [r.unitCode] : [])));
        const taken = await peopleRepo.findTakenUsernames(x, rows.map((r) => r.username).filter((u) => u));
        const found: FieldProblem[] = [];
        const add = (line: number, field: string, code: string, message: string, params: Record<string, string | number>) =>
          found.push({ path: `${line}:${field}`, code, message: `line ${line}, ${field}: ${message}`, params: { line, field, ...params } });
        for (const r of rows) {
          if (taken.has(r.username.toLowerCase())) add(r.line, 'username', 'USER.USERNAME_TAKEN', `user name ${r.username} is taken`, { username: r.username });
          if (!r.unitCode) {
            if (!mayManagePerson(ctx.actor, [])) add(r.line, 'unit_code', 'field.required', 'a unit is required', {});
            continue;
          }
          const place = places.get(r.unitCode);
          if (!place) {
            add(r.line, 'unit_code', 'USER.UNIT_NOT_FOUND', `no unit ${r.unitCode}`, { unit: r.unitCode });
            continue;
          }
          if (!teamRoleAllowed(r.teamRole, place.kind)) add(r.line, 'team_role', 'USER.TEAM_ROLE_NOT_GRID', `${place.name} is not a grid`, { unit: place.name });
          if (r.role && !mayAssignPost(ctx.actor, { role: r.role, unitPath: place.path, townPath: place.townPath })) {
            add(r.line, 'role', 'USER.POST_NOT_ALLOWED', `you may not give the post ${r.role} in ${place.name}`, { role: r.role, unit: place.name });
          }
        }
        return { places, problems: found };
      };
      const refuse = (list: FieldProblem[]) => {
        list.sort((a, b) => Number(a.params?.line) - Number(b.params?.line));
        return invalid('CSV.ROWS_INVALID', `${list.length} problem(s); nothing was imported`, list, { count: list.length });
      };

      problems.push(...(await checkAgainstDatabase(db)).problems);
      if (problems.length) throw refuse(problems);

      // Argon2 is slow on purpose: hash before the transaction, a few at a time, never holding the database.
      const hashes: (string | null)[] = [];
      for (let i = 0; i < rows.length; i += 4) {
        hashes.push(...(await Promise.all(rows.slice(i, i + 4).map((r) => (r.password ? hashPassword(r.password) : Promise.resolve(null))))));
      }

      return database.transaction(async (tx) => {
        // Checked again inside the transaction: a name may have been taken or a unit retired meanwhile.
        const again = await checkAgainstDatabase(tx);
        if (again.problems.length) throw refuse(again.problems);
        const ids = await peopleRepo.insertPeople(
          tx,
          rows.map((r, i) => ({ username: r.username, displayName: r.displayName.trim(), phone: r.phone, passwordHash: hashes[i]! })),
        );
        const posts = rows.flatMap((r, i) => (r.unitCode && r.role ? [{ userId: ids[i]!, unitId: again.places.get(r.unitCode)!.id, role: r.role, teamRole: r.teamRole }] : []));
        await peopleRepo.insertPosts(tx, posts);
        const result = { created: rows.length, withPassword: hashes.filter((h) => h !== null).length, posts: posts.length };
        await audit.append(tx, { action: 'user.import', details: { ...result, usernames: rows.map((r) => r.username) } }, ctx.by);
        return result;
      });
    },
  };
  return service;
}
