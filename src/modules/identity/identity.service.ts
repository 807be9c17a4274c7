/** Use cases of staff identity: accounts, posts, sign-in and sessions. */
import { createHash } from 'node:crypto';
import type { Clock } from '../../kernel/clock.js';
import type { Database } from '../../kernel/db.js';
import { DomainError, conflict, invalid } from '../../kernel/errors.js';
import { randomToken } from '../../kernel/ids.js';
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

export interface IdentityService {
  createUser(input: NewUser): Promise<User>;
  /** Checks a user name and password; resolves to the user or throws AUTH.INVALID_CREDENTIALS. */
  authenticate(username: string, password: string): Promise<User>;
  /** Starts a session; returns the token for the cookie (only its hash is stored). */
  startSession(userId: number, meta: { ip: string | null; userAgent: string | null }): Promise<{ token: string; expiresAt: Date }>;
  /** The actor behind a session token, or undefined when the session is unknown, expired or its user disabled. */
  resolveSession(token: string): Promise<Actor | undefined>;
  endSession(token: string): Promise<void>;
  purgeExpiredSessions(): Promise<number>;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

const USERNAME = /^[A-Za-z0-9_.-]{3,40}$/;

export function createIdentityService(database: Database, clock: Clock): IdentityService {
  const { db } = database;
  return {
    async createUser(input) {
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
        return user;
      });
    },

    async authenticate(username, password) {
      const found = await repo.findUserByUsername(db, username);
      const ok = found && !found.disabledAt ? await verifyPassword(found.passwordHash, password) : await dummyVerify(password);
      if (!found || !ok) throw new DomainError('Unauthenticated', 'AUTH.INVALID_CREDENTIALS', 'Wrong user name or password');
      const { passwordHash: _, ...user } = found;
      return user;
    },

    async startSession(userId, meta) {
      const token = randomToken(32);
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
      await repo.insertSession(db, { tokenHash: hashToken(token), userId, now, expiresAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 300) ?? null });
      return { token, expiresAt };
    },

    async resolveSession(token) {
      const now = clock.now();
      const tokenHash = hashToken(token);
      const found = await repo.findLiveSession(db, tokenHash, now);
      if (!found) return undefined;
      if (now.getTime() - found.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) await repo.touchSession(db, tokenHash, now);
      return { user: found.user, posts: await repo.findCurrentPosts(db, found.user.id) };
    },

    endSession: (token) => repo.deleteSession(db, hashToken(token)),
    purgeExpiredSessions: () => repo.deleteExpiredSessions(db, clock.now()),
  };
}
