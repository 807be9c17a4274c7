/** Use cases of staff identity: accounts, posts, sign-in and sessions. */
import { createHash } from 'node:crypto';
import type { Clock } from '../../kernel/clock.js';
import type { Database } from '../../kernel/db.js';
import { DomainError, conflict, invalid } from '../../kernel/errors.js';
import { randomToken } from '../../kernel/ids.js';
import type { Initiator } from '../../kernel/initiator.js';
import type { AuditService } from '../audit/index.js';
import * as repo from './identity.repository.js';
import { MIN_PASSWORD_LENGTH, dummyVerify, hashPassword, passwordWeakness, verifyPassword } from './password.js';
import type { Actor, RoleName, User } from './user.js';

/** Sessions end this long after sign-in, whatever happens. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so that reads stay reads. */
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
  readonly posts: readonly { readonly unitCode: string; readonly role: RoleName }[];
  readonly isDemo?: boolean;
}

export interface ClientMeta {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export interface IdentityService {
  createUser(input: NewUser, by: Initiator): Promise<User>;
  /** Checks a user name and password; resolves to the user or throws AUTH.INVALID_CREDENTIALS. */
  authenticate(username: string, password: string): Promise<User>;
  /**
   * Signs a person in: checks the password, starts a new session (ending `previousToken`'s, so a session id is
   * never reused across sign-ins) and records the attempt, successful or not, in the audit trail.
   */
  signIn(username: string, password: string, meta: ClientMeta, previousToken?: string): Promise<{ user: User; token: string; expiresAt: Date }>;
  /** The actor behind a session token, or undefined when the session is unknown, expired or its user disabled. */
  resolveSession(token: string): Promise<Actor | undefined>;
  /** A person's actor (account, posts, grants) by user name, or undefined; for machines acting on a person's behalf and tests. */
  actorByUsername(username: string): Promise<Actor | undefined>;
  signOut(token: string, by: Initiator): Promise<void>;
  purgeExpiredSessions(): Promise<number>;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

const USERNAME = /^[A-Za-z0-9_.-]{3,40}$/;

export function createIdentityService(database: Database, clock: Clock, audit: AuditService): IdentityService {
  const { db } = database;
  const service: IdentityService = {
    async createUser(input, by) {
      const problems = [];
      if (!USERNAME.test(input.username)) {
        problems.push({ path: 'username', code: 'field.invalid', message: 'username: 3–40 letters, digits, _ . -' });
      }
      if (input.displayName.trim().length === 0) problems.push({ path: 'displayName', code: 'field.required', message: 'display name is required' });
      const weakness = passwordWeakness(input.password, { username: input.username });
      if (weakness) {
        problems.push({ path: 'password', code: 'USER.WEAK_PASSWORD', message: `password is too weak (${weakness})`, params: { min: MIN_PASSWORD_LENGTH } });
      }
      if (problems.length) throw invalid('REQUEST.INVALID', problems.map((p) => p.message).join('; '), problems);
      const passwordHash = await hashPassword(input.password);
      return database.transaction(async (tx) => {
        if (await repo.findUserByUsername(tx, input.username)) {
          throw conflict('USER.USERNAME_TAKEN', `User name ${input.username} is taken`, { username: input.username });
        }
        const units = [];
        for (const post of input.posts) {
          const unitId = await repo.findUnitIdByCode(tx, post.unitCode);
          if (unitId === undefined) throw invalid('USER.UNIT_NOT_FOUND', `No unit with code ${post.unitCode}`, undefined, { unit: post.unitCode });
          units.push({ unitId, role: post.role });
        }
        const user = await repo.insertUser(tx, {
          username: input.username,
          displayName: input.displayName.trim(),
          passwordHash,
          isDemo: input.isDemo ?? false,
        });
        for (const u of units) await repo.insertPost(tx, { userId: user.id, ...u });
        await audit.append(
          tx,
          { action: 'user.create', target: { type: 'user', id: user.username }, details: { displayName: user.displayName, posts: input.posts } },
          by,
        );
        return user;
      });
    },

    async authenticate(username, password) {
      const found = await repo.findUserByUsername(db, username);
      const ok = found && !found.disabledAt && found.passwordHash ? await verifyPassword(found.passwordHash, password) : await dummyVerify(password);
      if (!found || !ok) throw new DomainError('Unauthenticated', 'AUTH.INVALID_CREDENTIALS', 'Wrong user name or password');
      const { passwordHash: _, ...user } = found;
      return user;
    },

    async signIn(username, password, meta, previousToken) {
      let user: User;
      try {
        user = await service.authenticate(username, password);
      } catch (e) {
        await audit.record({ action: 'auth.sign_in_failed', details: { username: username.slice(0, 100) } }, { userId: null, label: 'anonymous', ip: meta.ip });
        throw e;
      }
      const token = randomToken(32);
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
      await database.transaction(async (tx) => {
        if (previousToken) await repo.deleteSession(tx, hashToken(previousToken));
        await repo.insertSession(tx, { tokenHash: hashToken(token), userId: user.id, now, expiresAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 300) ?? null });
        await audit.append(tx, { action: 'auth.sign_in', target: { type: 'user', id: user.username } }, { userId: user.id, label: user.username, ip: meta.ip });
      });
      return { user, token, expiresAt };
    },

    async resolveSession(token) {
      const now = clock.now();
      const tokenHash = hashToken(token);
      const found = await repo.findLiveSession(db, tokenHash, now);
      if (!found) return undefined;
      if (now.getTime() - found.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) await repo.touchSession(db, tokenHash, now);
      const [posts, grants] = await Promise.all([repo.findCurrentPosts(db, found.user.id), repo.findGrants(db, found.user.id)]);
      return { userId: found.user.id, user: found.user, posts, grants };
    },

    async actorByUsername(username) {
      const found = await repo.findUserByUsername(db, username);
      if (!found || found.disabledAt) return undefined;
      const { passwordHash: _, ...user } = found;
      const [posts, grants] = await Promise.all([repo.findCurrentPosts(db, user.id), repo.findGrants(db, user.id)]);
      return { userId: user.id, user, posts, grants };
    },

    async signOut(token, by) {
      await database.transaction(async (tx) => {
        const ended = await repo.deleteSession(tx, hashToken(token));
        if (ended) await audit.append(tx, { action: 'auth.sign_out' }, by);
      });
    },
    purgeExpiredSessions: () => repo.deleteExpiredSessions(db, clock.now()),
  };
  return service;
}
