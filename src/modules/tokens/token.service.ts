/**
 * API tokens for machines (sensor gateways, Open311 clients): issue, list, revoke, and authenticate a secret to
 * the machine principal it stands for. Only the SHA-256 of a secret is stored (a 256-bit random secret needs no
 * slow hash); the secret is returned once, at issue. Issuing and revoking are audited.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../kernel/clock.js';
import type { Database } from '../../kernel/db.js';
import { DomainError, forbidden, invalid, notFound, type FieldProblem } from '../../kernel/errors.js';
import type { Initiator } from '../../kernel/initiator.js';
import { authorize, inScope, scopeFor, type Action, type PolicyActor } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import { TOKEN_PREFIX, type ApiToken, type MachineActor } from './token.js';
import { TOKEN_ACTIONS, needsLastUsed, refusedTokenActions, tokenStatus } from './token.policy.js';
import * as repo from './token.repository.js';

export interface TokenContext {
  readonly actor: PolicyActor;
  readonly by: Initiator;
}

export interface NewToken {
  readonly name: string;
  readonly actions: readonly string[];
  /** A unit code: the token reaches that unit's subtree. Empty or null: the whole district. */
  readonly scopeUnitCode?: string | null;
  /** Days until the token expires; empty or null: it does not expire. */
  readonly expiresInDays?: number | null;
}

export interface TokenService {
  /** Issues a token; the secret is in the result and nowhere else. */
  issue(ctx: TokenContext, input: NewToken): Promise<{ token: ApiToken; secret: string }>;
  /** Tokens the actor may manage (live ones, and revoked ones when asked). */
  list(actor: PolicyActor, options?: { includeRevoked?: boolean }): Promise<ApiToken[]>;
  revoke(ctx: TokenContext, id: number): Promise<void>;
  /**
   * The machine a secret stands for, or TOKEN.UNKNOWN / TOKEN.REVOKED / TOKEN.EXPIRED (401). Used for
   * `Authorization: Bearer …` and for Open311's `api_key` field alike.
   */
  authenticate(secret: string): Promise<MachineActor>;
  /** Demo deployments: the Open311 key `demo-key` (submission only, marked demo); returns whether it was added. */
  seedDemoToken(): Promise<boolean>;
}

/** The Open311 API key every demo deployment accepts (issue 5 requires exactly this key). */
export const DEMO_OPEN311_KEY = 'demo-key';
export const DEMO_OPEN311_TOKEN_NAME = '演示 Open311 密钥';

const MAX_DAYS = 3650;
const DAY_MS = 86_400_000;

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

const unauthenticated = (code: 'TOKEN.UNKNOWN' | 'TOKEN.REVOKED' | 'TOKEN.EXPIRED', message: string) => new DomainError('Unauthenticated', code, message);

export function createTokenService(database: Database, clock: Clock, audit: AuditService): TokenService {
  const { db } = database;

  function manageScope(actor: PolicyActor): repo.TokenScope {
    const scope = scopeFor(actor, 'token.manage');
    return scope.kind === 'all' ? { kind: 'all' } : { kind: 'paths', paths: scope.kind === 'paths' ? scope.paths : [] };
  }

  function mayManage(actor: PolicyActor, token: ApiToken): boolean {
    const scope = scopeFor(actor, 'token.manage');
    if (scope.kind === 'all') return true;
    return !!token.scopeUnit && inScope(scope, { areaPath: token.scopeUnit.path });
  }

  function describeToken(t: ApiToken) {
    return { name: t.name, prefix: t.displayPrefix, actions: t.actions, scope: t.scopeUnit?.code ?? null, expiresAt: t.expiresAt?.toISOString() ?? null, demo: t.isDemo };
  }

  const service: TokenService = {
    async issue(ctx, input) {
      authorize(ctx.actor, 'token.manage');
      const problems: FieldProblem[] = [];
      const name = input.name.trim();
      if (!name || [...name].length > 100) problems.push({ path: 'name', code: 'field.tooLong', message: 'name: 1–100 characters', params: { max: 100 } });
      const actions = [...new Set(input.actions)];
      if (actions.length === 0) problems.push({ path: 'actions', code: 'TOKEN.NO_ACTIONS', message: 'choose at least one action' });
      for (const a of actions) {
        if (!(TOKEN_ACTIONS as readonly string[]).includes(a)) problems.push({ path: 'actions', code: 'TOKEN.ACTION_UNKNOWN', message: `not an action a token can carry: ${a}`, params: { action: a } });
      }
      const days = input.expiresInDays;
      if (days !== undefined && days !== null && (!Number.isInteger(days) || days < 1 || days > MAX_DAYS)) {
        problems.push({ path: 'expiresInDays', code: 'TOKEN.EXPIRY_INVALID', message: `expiry: 1–${MAX_DAYS} days`, params: { max: MAX_DAYS } });
      }
      const code = input.scopeUnitCode?.trim() || null;
      const unit = code ? await repo.findUnitByCode(db, code) : undefined;
      if (code && !unit) problems.push({ path: 'scopeUnitCode', code: 'TOKEN.SCOPE_NOT_FOUND', message: `no unit ${code}`, params: { unit: code } });
      if (problems.length) throw invalid('REQUEST.INVALID', problems.map((p) => p.message).join('; '), problems);

      const refused = refusedTokenActions(ctx.actor, actions as Action[], unit?.path ?? 'all');
      if (refused.length) throw forbidden('TOKEN.EXCEEDS_ISSUER', `A token cannot carry what its issuer cannot do there: ${refused.join(', ')}`, { actions: refused.join(', ') });

      const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const now = clock.now();
      return database.transaction(async (tx) => {
        const id = await repo.insertToken(tx, {
          name,
          tokenHash: hashSecret(secret),
          displayPrefix: secret.slice(0, TOKEN_PREFIX.length + 4),
          actions: actions as Action[],
          scopeUnitId: unit?.id ?? null,
          issuedBy: ctx.by.userId,
          now,
          expiresAt: days ? new Date(now.getTime() + days * DAY_MS) : null,
          isDemo: false,
        });
        const token = (await repo.findTokenById(tx, id))!;
        await audit.append(tx, { action: 'token.issue', target: { type: 'token', id }, details: describeToken(token) }, ctx.by);
        return { token, secret };
      });
    },

    async list(actor, options = {}) {
      authorize(actor, 'token.manage');
      return repo.findTokens(db, manageScope(actor), options.includeRevoked ?? false);
    },

    async revoke(ctx, id) {
      authorize(ctx.actor, 'token.manage');
      await database.transaction(async (tx) => {
        const token = await repo.lockToken(tx, id);
        if (!token || !mayManage(ctx.actor, token)) throw notFound('TOKEN.NOT_FOUND', `No token ${id}`, { id });
        if (token.revokedAt) return;
        await repo.revokeToken(tx, id, ctx.by.userId, clock.now());
        await audit.append(tx, { action: 'token.revoke', target: { type: 'token', id }, details: describeToken(token) }, ctx.by);
      });
    },

    async authenticate(secret) {
      if (!secret || secret.length > 200) throw unauthenticated('TOKEN.UNKNOWN', 'Unknown token');
      const row = await repo.findTokenByHash(db, hashSecret(secret));
      if (!row) throw unauthenticated('TOKEN.UNKNOWN', 'Unknown token');
      const now = clock.now();
      const status = tokenStatus({ revokedAt: row.revoked_at, expiresAt: row.expires_at }, now);
      if (status === 'revoked') throw unauthenticated('TOKEN.REVOKED', `Token ${row.name} was revoked`);
      if (status === 'expired') throw unauthenticated('TOKEN.EXPIRED', `Token ${row.name} expired`);
      // A scope unit that no longer exists reaches nothing, rather than everything.
      const scopePath = row.scope_unit_id === null ? 'all' : (row.scope_path ?? '/nowhere/');
      if (needsLastUsed(row.last_used_at, now)) await repo.touchToken(db, row.id, now);
      return {
        userId: 0,
        posts: [],
        grants: [],
        machine: { actions: row.actions as Action[], scopePath },
        token: { id: row.id, name: row.name, isDemo: row.is_demo, expiresAt: row.expires_at, scopeUnitCode: row.scope_code },
      };
    },

    async seedDemoToken() {
      return database.transaction(async (tx) => {
        const id = await repo.insertTokenIfAbsent(tx, {
          name: DEMO_OPEN311_TOKEN_NAME,
          tokenHash: hashSecret(DEMO_OPEN311_KEY),
          displayPrefix: DEMO_OPEN311_KEY,
          actions: ['open311.submit'],
          scopeUnitId: null,
          issuedBy: null,
          now: clock.now(),
          expiresAt: null,
          isDemo: true,
        });
        if (id === undefined) return false;
        const token = (await repo.findTokenById(tx, id))!;
        await audit.append(tx, { action: 'token.issue', target: { type: 'token', id }, details: describeToken(token) }, { userId: null, label: 'demo-seed', ip: null });
        return true;
      });
    },
  };
  return service;
}
