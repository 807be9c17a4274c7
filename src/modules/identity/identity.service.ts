/**
 * Use cases of staff identity: accounts, sign-in (throttled, with an optional second step for a one-time code),
 * sessions (absolute and idle limits, sign-out everywhere) and changing one's own password.
 *
 * Sign-in never says whether an account exists: an unknown name, a disabled account, an account without a
 * password and a wrong password give the same answer after the same work (a dummy Argon2 verification), and
 * count towards the same throttle, which is keyed by the name as typed.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../kernel/clock.js';
import type { Database, Executor } from '../../kernel/db.js';
import { conflict, invalid, type FieldProblem } from '../../kernel/errors.js';
import { randomToken } from '../../kernel/ids.js';
import type { Initiator } from '../../kernel/initiator.js';
import type { AuditService } from '../audit/index.js';
import { invalidCredentials, locked, secondFactorExpired, secondFactorUnreadable, secondFactorWrong, wrongCurrentPassword } from './identity.errors.js';
import * as repo from './identity.repository.js';
import type { KeyRing } from './key-ring.js';
import { MIN_PASSWORD_LENGTH, dummyVerify, hashPassword, passwordWeakness, verifyPassword } from './password.js';
import { personProblems, teamRoleAllowed, weakPasswordProblem } from './people.rules.js';
import { SESSION_IDLE_MS, SESSION_LIFETIME_MS, needsTouch, sessionState } from './session.rules.js';
import * as signInRepo from './sign-in.repository.js';
import { ACCOUNT_THROTTLE, ADDRESS_THROTTLE, THROTTLE_POLICIES, activeLock, recordFailure } from './throttle.rules.js';
import * as totpRepo from './totp.repository.js';
import { normalizeRecoveryCode, verifyTotp } from './totp.rules.js';
import type { Actor, RoleName, TeamRole, User } from './user.js';

export { SESSION_IDLE_MS, SESSION_LIFETIME_MS } from './session.rules.js';

/** The second step of a sign-in must follow the first within this time. */
export const PENDING_SIGN_IN_MS = 5 * 60 * 1000;
/** Wrong codes one pending sign-in accepts before it must start over (the account throttle applies as well). */
export const PENDING_MAX_ATTEMPTS = 5;

export interface NewPost {
  readonly unitCode: string;
  readonly role: RoleName;
  readonly teamRole?: TeamRole | null;
}

export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  /** Omitted or null: a person who cannot sign in until given a password (a volunteer, or one to be set later). */
  readonly password?: string | null;
  readonly phone?: string | null;
  readonly posts: readonly NewPost[];
  readonly isDemo?: boolean;
  /** The password was chosen by someone else (an administrator): its holder must replace it at the first sign-in. */
  readonly passwordChangeRequired?: boolean;
}

/** Called inside the creating transaction for each post, with its unit; throws to refuse the post. */
export type PostGuard = (post: NewPost, place: repo.UnitPlace) => void;

export interface ClientMeta {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export interface SignedIn {
  readonly user: User;
  readonly token: string;
  readonly expiresAt: Date;
}

export type SignInOutcome =
  | ({ readonly kind: 'signed_in' } & SignedIn)
  | { readonly kind: 'second_factor'; readonly user: User; readonly pendingToken: string; readonly expiresAt: Date };

export type SessionCheck = { readonly ok: true; readonly actor: Actor } | { readonly ok: false; readonly ended: 'expired' | 'idle' | 'invalid' };

export interface SessionInfo {
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
  readonly ip: string | null;
  readonly userAgent: string | null;
  /** The session this request came with. */
  readonly current: boolean;
}

export interface IdentityService {
  /** Creates a person with posts (by the system, the CLI, or the people service after its own checks). */
  createUser(input: NewUser, by: Initiator, guard?: PostGuard): Promise<User>;
  /**
   * Signs a person in with a password. Refused at once (AUTH.LOCKED) while the account name or the client
   * address is locked; a failure is counted and audited, and may start a lock. With a second factor enrolled,
   * the outcome is a short-lived pending sign-in instead of a session. A new session ends `previousToken`'s,
   * so a session id is never reused across sign-ins.
   */
  signIn(username: string, password: string, meta: ClientMeta, previousToken?: string): Promise<SignInOutcome>;
  /** The second step: a TOTP code or a one-time recovery code for a pending sign-in. */
  completeSignIn(pendingToken: string, code: string, meta: ClientMeta, previousToken?: string): Promise<SignedIn & { method: 'totp' | 'recovery_code' }>;
  /** Whether a pending sign-in can still be completed. */
  pendingSignInOpen(pendingToken: string): Promise<boolean>;
  /** The actor behind a session token, or why there is none (ended sessions are deleted on sight). */
  checkSession(token: string): Promise<SessionCheck>;
  /** The actor behind a session token, or undefined. */
  resolveSession(token: string): Promise<Actor | undefined>;
  /** A person's actor (account, posts, grants) by user name, or undefined; for machines acting on a person's behalf and tests. */
  actorByUsername(username: string): Promise<Actor | undefined>;
  signOut(token: string, by: Initiator): Promise<void>;
  /** Ends every session of the actor (on every device); returns how many ended. */
  signOutEverywhere(actor: Actor, by: Initiator): Promise<number>;
  listSessions(userId: number, currentToken?: string): Promise<SessionInfo[]>;
  /**
   * Changes one's own password after checking the current one (a wrong one counts towards the throttle). Every
   * session of the person ends, and a new one replaces the current one.
   */
  changePassword(actor: Actor, input: { currentPassword: string; newPassword: string }, meta: ClientMeta): Promise<SignedIn>;
  /**
   * Checks the actor's own password before a sensitive change (turning off the second factor); a wrong one is
   * AUTH.WRONG_PASSWORD and counts towards the throttle like a failed sign-in.
   */
  verifyOwnPassword(actor: Actor, password: string, meta: ClientMeta): Promise<void>;
  /** Deletes ended sessions, expired pending sign-ins and throttle rows with nothing left in them. */
  purgeExpiredSessions(): Promise<number>;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The throttle key of an account name: as typed, trimmed and lower-cased (user names are case-insensitive). */
export const accountKey = (username: string): string => username.trim().toLowerCase().slice(0, 100);

const ANONYMOUS = (ip: string | null): Initiator => ({ userId: null, label: 'anonymous', ip });

export function createIdentityService(database: Database, clock: Clock, audit: AuditService, keys: KeyRing): IdentityService {
  const { db } = database;

  const throttleKeys = (username: string, ip: string | null): signInRepo.ThrottleKey[] => [
    { scope: 'account', key: accountKey(username) },
    ...(ip ? [{ scope: 'address' as const, key: ip.slice(0, 100) }] : []),
  ];

  async function refuseIfLocked(keyList: readonly signInRepo.ThrottleKey[], now: Date): Promise<void> {
    const states = await signInRepo.findThrottles(db, keyList);
    let until: Date | undefined;
    for (const state of states.values()) {
      const end = activeLock(state, now);
      if (end && (!until || end > until)) until = end;
    }
    if (until) throw locked(until, now);
  }

  /** Counts one failure against each key, audits it and any lock it starts; returns the end of a lock now in force. */
  async function recordFailureTx(
    tx: Executor,
    keyList: readonly signInRepo.ThrottleKey[],
    now: Date,
    what: { username: string; reason: string },
    by: Initiator,
  ): Promise<Date | undefined> {
    const started: { scope: string; key: string; until: Date; failures: number }[] = [];
    const counts: Record<string, number> = {};
    let until: Date | undefined;
    for (const k of keyList) {
      const out = recordFailure(await signInRepo.lockThrottle(tx, k, now), now, THROTTLE_POLICIES[k.scope]);
      await signInRepo.saveThrottle(tx, k, out.state, now);
      counts[`${k.scope}Failures`] = out.failures;
      if (out.lockedNow) started.push({ ...k, until: out.lockedNow, failures: out.failures });
      const end = activeLock(out.state, now);
      if (end && (!until || end > until)) until = end;
    }
    // One call for all entries: the audit service takes the chains' locks in a fixed order (no deadlock).
    await audit.appendMany(tx, [
      {
        entry: { action: 'auth.sign_in_failed', target: { type: 'user', id: accountKey(what.username) }, details: { username: what.username.slice(0, 100), reason: what.reason, ...counts } },
        by,
      },
      ...started.map((s) => ({
        entry: {
          action: 'auth.locked',
          target: s.scope === 'account' ? { type: 'user', id: s.key } : { type: 'address', id: s.key },
          details: { scope: s.scope, until: s.until.toISOString(), failures: s.failures, lockMinutes: (s.scope === 'account' ? ACCOUNT_THROTTLE : ADDRESS_THROTTLE).lockMs / 60_000 },
        },
        by,
      })),
    ]);
    return until;
  }

  /** Starts a session inside `tx`, unless a lock on the account started meanwhile; clears the account's failures. */
  async function startSessionTx(tx: Executor, user: User, meta: ClientMeta, previousToken: string | undefined, method: string, now: Date): Promise<SignedIn> {
    const account = { scope: 'account' as const, key: accountKey(user.username) };
    const state = await signInRepo.lockThrottleIfAny(tx, account);
    const end = state && activeLock(state, now);
    if (end) throw locked(end, now);
    if (state) await signInRepo.deleteThrottle(tx, account, now);
    if (previousToken) await repo.deleteSession(tx, hashToken(previousToken));
    const token = randomToken(32);
    const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    await repo.insertSession(tx, { tokenHash: hashToken(token), userId: user.id, now, expiresAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 300) ?? null });
    await audit.append(tx, { action: 'auth.sign_in', target: { type: 'user', id: user.username }, details: { method } }, { userId: user.id, label: user.username, ip: meta.ip });
    return { user, token, expiresAt };
  }

  const withoutHash = ({ passwordHash: _, ...user }: User & { passwordHash: string | null }): User => user;

  /** Checks a signed-in person's current password (throttled like a sign-in); returns the hash it matched. */
  const checkOwnPassword = async (actor: Actor, password: string, meta: ClientMeta): Promise<string> => {
    const username = actor.user.username;
    const keyList = throttleKeys(username, meta.ip);
    await refuseIfLocked(keyList, clock.now());
    const found = await repo.findUserById(db, actor.userId);
    const ok = found?.passwordHash ? await verifyPassword(found.passwordHash, password) : await dummyVerify(password);
    if (ok) return found!.passwordHash!;
    const now = clock.now();
    const by: Initiator = { userId: actor.userId, label: username, ip: meta.ip };
    const until = await database.transaction((tx) => recordFailureTx(tx, keyList, now, { username, reason: 'current_password' }, by));
    throw until ? locked(until, now) : wrongCurrentPassword();
  };

  const service: IdentityService = {
    async createUser(input, by, guard) {
      const problems = personProblems({ username: input.username, displayName: input.displayName, phone: input.phone ?? null, password: input.password ?? null });
      if (problems.length) throw invalid('REQUEST.INVALID', problems.map((p) => p.message).join('; '), problems);
      const passwordHash = input.password ? await hashPassword(input.password) : null;
      return database.transaction(async (tx) => {
        if (await repo.findUserByUsername(tx, input.username)) {
          throw conflict('USER.USERNAME_TAKEN', `User name ${input.username} is taken`, { username: input.username });
        }
        const places = await repo.findUnitPlaces(tx, input.posts.map((p) => p.unitCode));
        const posts = [];
        for (const post of input.posts) {
          const place = places.get(post.unitCode);
          if (!place) throw invalid('USER.UNIT_NOT_FOUND', `No unit with code ${post.unitCode}`, [{ path: 'unitCode', code: 'USER.UNIT_NOT_FOUND', message: 'no such unit', params: { unit: post.unitCode } }], { unit: post.unitCode });
          if (!teamRoleAllowed(post.teamRole, place.kind)) {
            const field: FieldProblem = { path: 'teamRole', code: 'USER.TEAM_ROLE_NOT_GRID', message: 'a team place needs a grid post', params: { unit: place.name } };
            throw invalid(field.code, field.message, [field], { unit: place.name });
          }
          guard?.(post, place);
          posts.push({ unitId: place.id, role: post.role, teamRole: post.teamRole ?? null });
        }
        const user = await repo.insertUser(tx, {
          username: input.username,
          displayName: input.displayName.trim(),
          passwordHash,
          phone: input.phone?.trim() || null,
          isDemo: input.isDemo ?? false,
          passwordChangeRequired: passwordHash !== null && (input.passwordChangeRequired ?? false),
        });
        for (const p of posts) await repo.insertPost(tx, { userId: user.id, ...p });
        await audit.append(
          tx,
          {
            action: 'user.create',
            target: { type: 'user', id: user.username },
            details: { displayName: user.displayName, posts: input.posts.map((p) => ({ unitCode: p.unitCode, role: p.role, teamRole: p.teamRole ?? null })), canSignIn: passwordHash !== null },
          },
          by,
        );
        return user;
      });
    },

    async signIn(username, password, meta, previousToken) {
      const keyList = throttleKeys(username, meta.ip);
      await refuseIfLocked(keyList, clock.now());
      const found = await repo.findUserByUsername(db, username.trim());
      const ok = found && !found.disabledAt && found.passwordHash ? await verifyPassword(found.passwordHash, password) : await dummyVerify(password);
      if (!found || !ok) {
        const now = clock.now();
        const until = await database.transaction((tx) => recordFailureTx(tx, keyList, now, { username, reason: 'password' }, ANONYMOUS(meta.ip)));
        throw until ? locked(until, now) : invalidCredentials();
      }
      const user = withoutHash(found);
      const now = clock.now();
      if ((await totpRepo.findTotp(db, user.id))?.confirmedAt) {
        const pendingToken = randomToken(32);
        const expiresAt = new Date(now.getTime() + PENDING_SIGN_IN_MS);
        await signInRepo.insertPendingSignIn(db, { tokenHash: hashToken(pendingToken), userId: user.id, now, expiresAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 300) ?? null });
        return { kind: 'second_factor', user, pendingToken, expiresAt };
      }
      const signedIn = await database.transaction((tx) => startSessionTx(tx, user, meta, previousToken, 'password', now));
      return { kind: 'signed_in', ...signedIn };
    },

    async completeSignIn(pendingToken, code, meta, previousToken) {
      const box = await keys.box();
      const tokenHash = hashToken(pendingToken);
      const pending = await signInRepo.findPendingSignIn(db, tokenHash);
      if (!pending || pending.expiresAt <= clock.now()) throw secondFactorExpired();
      const person = await repo.findUserById(db, pending.userId);
      if (!person || person.disabledAt) throw secondFactorExpired();
      const keyList = throttleKeys(person.username, meta.ip);
      await refuseIfLocked(keyList, clock.now());

      type Outcome =
        | { kind: 'ok'; signedIn: SignedIn; method: 'totp' | 'recovery_code' }
        | { kind: 'expired' }
        | { kind: 'unreadable' }
        | { kind: 'wrong'; reason: 'format' | 'mismatch' | 'replayed'; attemptsLeft: number; lockedUntil?: Date };
      const now = clock.now();
      const outcome = await database.transaction(async (tx): Promise<Outcome> => {
        const row = await signInRepo.lockPendingSignIn(tx, tokenHash);
        if (!row || row.expiresAt <= now) return { kind: 'expired' };
        const found = await repo.findUserById(tx, row.userId);
        const totp = await totpRepo.lockTotp(tx, row.userId);
        if (!found || found.disabledAt || !totp?.confirmedAt) {
          await signInRepo.deletePendingSignIn(tx, tokenHash);
          return { kind: 'expired' };
        }
        let method: 'totp' | 'recovery_code' | undefined;
        let reason: 'format' | 'mismatch' | 'replayed' = 'mismatch';
        const recovery = normalizeRecoveryCode(code);
        if (recovery) {
          if (await totpRepo.useRecoveryCode(tx, found.id, box.digest(recovery, `recovery:${found.id}`), now)) method = 'recovery_code';
        } else {
          const secret = box.open(totp.secretCiphertext, `totp:${found.id}`);
          if (!secret) return { kind: 'unreadable' };
          const check = verifyTotp(secret, code, now, totp.lastUsedStep);
          if (check.ok) {
            await totpRepo.setLastUsedStep(tx, found.id, check.step);
            method = 'totp';
          } else {
            reason = check.reason;
          }
        }
        if (!method) {
          const attempts = row.attempts + 1;
          if (attempts >= PENDING_MAX_ATTEMPTS) await signInRepo.deletePendingSignIn(tx, tokenHash);
          else await signInRepo.setPendingAttempts(tx, tokenHash, attempts);
          const lockedUntil = await recordFailureTx(tx, keyList, now, { username: found.username, reason: `code_${reason}` }, ANONYMOUS(meta.ip));
          return { kind: 'wrong', reason, attemptsLeft: PENDING_MAX_ATTEMPTS - attempts, lockedUntil };
        }
        await signInRepo.deletePendingSignIn(tx, tokenHash);
        return { kind: 'ok', method, signedIn: await startSessionTx(tx, withoutHash(found), meta, previousToken, method, now) };
      });
      switch (outcome.kind) {
        case 'ok':
          return { ...outcome.signedIn, method: outcome.method };
        case 'expired':
          throw secondFactorExpired();
        case 'unreadable':
          throw secondFactorUnreadable();
        case 'wrong':
          if (outcome.lockedUntil) throw locked(outcome.lockedUntil, now);
          if (outcome.attemptsLeft <= 0) throw secondFactorExpired();
          throw secondFactorWrong(outcome.reason, outcome.attemptsLeft);
      }
    },

    async pendingSignInOpen(pendingToken) {
      const pending = await signInRepo.findPendingSignIn(db, hashToken(pendingToken));
      return !!pending && pending.expiresAt > clock.now();
    },

    async checkSession(token) {
      if (!token || token.length > 200) return { ok: false, ended: 'invalid' };
      const now = clock.now();
      const tokenHash = hashToken(token);
      const found = await repo.findSession(db, tokenHash);
      if (!found) return { ok: false, ended: 'invalid' };
      const state = sessionState({ lastSeenAt: found.lastSeenAt, expiresAt: found.expiresAt, userDisabled: !!found.user.disabledAt }, now);
      if (state !== 'live') {
        await repo.deleteSession(db, tokenHash);
        return { ok: false, ended: state === 'disabled' ? 'invalid' : state };
      }
      if (needsTouch(found.lastSeenAt, now)) await repo.touchSession(db, tokenHash, now);
      const [posts, grants] = await Promise.all([repo.findCurrentPosts(db, found.user.id), repo.findGrants(db, found.user.id)]);
      return { ok: true, actor: { userId: found.user.id, user: found.user, posts, grants } };
    },

    async resolveSession(token) {
      const check = await service.checkSession(token);
      return check.ok ? check.actor : undefined;
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

    async signOutEverywhere(actor, by) {
      return database.transaction(async (tx) => {
        const ended = await repo.deleteSessionsOfUser(tx, actor.userId);
        await signInRepo.deletePendingSignInsOfUser(tx, actor.userId);
        await audit.append(tx, { action: 'auth.sign_out_everywhere', target: { type: 'user', id: actor.user.username }, details: { sessions: ended } }, by);
        return ended;
      });
    },

    async listSessions(userId, currentToken) {
      const now = clock.now();
      const current = currentToken ? hashToken(currentToken) : undefined;
      const rows = await repo.findSessionsOfUser(db, userId);
      return rows
        .filter((r) => sessionState({ lastSeenAt: r.lastSeenAt, expiresAt: r.expiresAt, userDisabled: false }, now) === 'live')
        .map(({ tokenHash, ...r }) => ({ ...r, current: tokenHash === current }));
    },

    async changePassword(actor, input, meta) {
      const username = actor.user.username;
      const weakness = passwordWeakness(input.newPassword, { username });
      if (weakness) {
        const field = weakPasswordProblem('newPassword', weakness);
        throw invalid('USER.WEAK_PASSWORD', field.message, [field], { min: MIN_PASSWORD_LENGTH });
      }
      const verifiedHash = await checkOwnPassword(actor, input.currentPassword, meta);
      const by: Initiator = { userId: actor.userId, label: username, ip: meta.ip };
      if (input.currentPassword === input.newPassword) {
        const field: FieldProblem = { path: 'newPassword', code: 'USER.PASSWORD_UNCHANGED', message: 'the new password is the current one' };
        throw invalid(field.code, field.message, [field]);
      }
      const passwordHash = await hashPassword(input.newPassword);
      const now = clock.now();
      return database.transaction(async (tx) => {
        const user = await repo.lockUser(tx, actor.userId);
        if (!user || user.disabledAt) throw invalidCredentials();
        // An administrator's reset between the check and this lock: the password given is no longer the current one.
        if (user.passwordHash !== verifiedHash) throw wrongCurrentPassword();
        await repo.updatePasswordHash(tx, user.id, passwordHash, now);
        // Rotation on a change of credentials: every session ends (a thief's too), and this device gets a new one.
        const ended = await repo.deleteSessionsOfUser(tx, user.id);
        await signInRepo.deletePendingSignInsOfUser(tx, user.id);
        const token = randomToken(32);
        const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
        await repo.insertSession(tx, { tokenHash: hashToken(token), userId: user.id, now, expiresAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 300) ?? null });
        await audit.append(tx, { action: 'user.password_change', target: { type: 'user', id: user.username }, details: { sessionsEnded: ended } }, by);
        return { user: withoutHash(user), token, expiresAt };
      });
    },

    async verifyOwnPassword(actor, password, meta) {
      await checkOwnPassword(actor, password, meta);
    },

    async purgeExpiredSessions() {
      const now = clock.now();
      const sessions = await repo.deleteEndedSessions(db, now, new Date(now.getTime() - SESSION_IDLE_MS));
      const pending = await signInRepo.deleteExpiredPendingSignIns(db, now);
      const quiet = Math.max(ACCOUNT_THROTTLE.windowMs, ADDRESS_THROTTLE.windowMs);
      const throttles = await signInRepo.deleteStaleThrottles(db, now, new Date(now.getTime() - quiet));
      return sessions + pending + throttles;
    },
  };
  return service;
}
