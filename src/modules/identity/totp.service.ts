/**
 * A person's own optional second factor: enrol a TOTP authenticator (a new secret, shown as an otpauth URI and
 * as text, in force only once a code from the app confirms it), receive one-time recovery codes, renew them,
 * or turn the factor off. Secrets are encrypted at rest; recovery codes are kept only as keyed hashes.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../kernel/clock.js';
import type { Database } from '../../kernel/db.js';
import { conflict, invalid } from '../../kernel/errors.js';
import type { Initiator } from '../../kernel/initiator.js';
import type { AuditService } from '../audit/index.js';
import * as repo from './identity.repository.js';
import { hashToken, type ClientMeta, type IdentityService } from './identity.service.js';
import type { KeyRing } from './key-ring.js';
import type { SecretBox } from './secret-box.js';
import * as signInRepo from './sign-in.repository.js';
import * as totpRepo from './totp.repository.js';
import {
  RECOVERY_CODE_BYTES,
  RECOVERY_CODE_COUNT,
  TOTP_SECRET_BYTES,
  formatRecoveryCode,
  groupSecret,
  normalizeRecoveryCode,
  otpauthUri,
  verifyTotp,
} from './totp.rules.js';
import type { Actor } from './user.js';

export interface SecondFactorStatus {
  /** Confirmed and in force. */
  readonly enrolled: boolean;
  readonly enrolledAt: Date | null;
  /** A secret was made but not yet confirmed. */
  readonly enrolling: boolean;
  readonly recoveryCodesLeft: number;
}

export interface Enrollment {
  /** The otpauth:// URI for the QR code. */
  readonly uri: string;
  /** The secret in base32, grouped in fours, for typing into an app. */
  readonly secretText: string;
}

export interface SecondFactorService {
  status(userId: number): Promise<SecondFactorStatus>;
  /** Makes a new secret for the actor (replacing an unconfirmed one); refused while a confirmed one is in force. */
  startEnrollment(actor: Actor, issuer: string): Promise<Enrollment>;
  /** The unconfirmed secret, to show again. */
  pendingEnrollment(actor: Actor, issuer: string): Promise<Enrollment | undefined>;
  /**
   * Confirms the unconfirmed secret with a code from the app. The factor is in force from now; the actor's other
   * sessions end (a change of credentials); returns the recovery codes, shown this once.
   */
  confirmEnrollment(actor: Actor, code: string, by: Initiator, currentToken: string | undefined): Promise<string[]>;
  /** Replaces the recovery codes after checking the password; returns the new ones, shown this once. */
  renewRecoveryCodes(actor: Actor, password: string, meta: ClientMeta): Promise<string[]>;
  /** Turns the actor's second factor off after checking the password. */
  disable(actor: Actor, password: string, meta: ClientMeta): Promise<void>;
}

export function createSecondFactorService(database: Database, clock: Clock, audit: AuditService, keys: KeyRing, identity: IdentityService): SecondFactorService {
  const { db } = database;
  const context = (userId: number) => `totp:${userId}`;

  function newRecoveryCodes(box: SecretBox, userId: number) {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => formatRecoveryCode(randomBytes(RECOVERY_CODE_BYTES)));
    return { codes, hashes: codes.map((c) => box.digest(normalizeRecoveryCode(c)!, `recovery:${userId}`)) };
  }

  const show = (issuer: string, actor: Actor, secret: Uint8Array): Enrollment => ({
    uri: otpauthUri(issuer, actor.user.username, secret),
    secretText: groupSecret(secret),
  });

  return {
    async status(userId) {
      const [row, left] = await Promise.all([totpRepo.findTotp(db, userId), totpRepo.countUnusedRecoveryCodes(db, userId)]);
      return { enrolled: !!row?.confirmedAt, enrolledAt: row?.confirmedAt ?? null, enrolling: !!row && !row.confirmedAt, recoveryCodesLeft: row?.confirmedAt ? left : 0 };
    },

    async startEnrollment(actor, issuer) {
      const box = await keys.box();
      const secret = new Uint8Array(randomBytes(TOTP_SECRET_BYTES));
      await database.transaction(async (tx) => {
        const current = await totpRepo.lockTotp(tx, actor.userId);
        if (current?.confirmedAt) throw conflict('AUTH.SECOND_FACTOR_ACTIVE', 'A second factor is already in force; turn it off first');
        await totpRepo.upsertUnconfirmedTotp(tx, actor.userId, box.seal(secret, context(actor.userId)), clock.now());
      });
      return show(issuer, actor, secret);
    },

    async pendingEnrollment(actor, issuer) {
      const row = await totpRepo.findTotp(db, actor.userId);
      if (!row || row.confirmedAt) return undefined;
      const secret = (await keys.box()).open(row.secretCiphertext, context(actor.userId));
      return secret && show(issuer, actor, secret);
    },

    async confirmEnrollment(actor, code, by, currentToken) {
      const box = await keys.box();
      const { codes, hashes } = newRecoveryCodes(box, actor.userId);
      return database.transaction(async (tx) => {
        const row = await totpRepo.lockTotp(tx, actor.userId);
        if (!row) throw invalid('AUTH.SECOND_FACTOR_NOT_STARTED', 'Start the set-up first');
        if (row.confirmedAt) throw conflict('AUTH.SECOND_FACTOR_ACTIVE', 'A second factor is already in force');
        const secret = box.open(row.secretCiphertext, context(actor.userId));
        if (!secret) throw invalid('AUTH.SECOND_FACTOR_NOT_STARTED', 'Start the set-up again');
        const now = clock.now();
        const check = verifyTotp(secret, code, now, null);
        if (!check.ok) throw invalid('AUTH.CONFIRM_CODE_INVALID', 'The code does not match', [{ path: 'code', code: 'AUTH.CONFIRM_CODE_INVALID', message: 'the code does not match' }]);
        await totpRepo.confirmTotp(tx, actor.userId, now, check.step);
        await totpRepo.replaceRecoveryCodes(tx, actor.userId, hashes, now);
        const ended = await repo.deleteSessionsOfUser(tx, actor.userId, currentToken ? hashToken(currentToken) : undefined);
        await signInRepo.deletePendingSignInsOfUser(tx, actor.userId);
        await audit.append(tx, { action: 'user.second_factor_enable', target: { type: 'user', id: actor.user.username }, details: { otherSessionsEnded: ended } }, by);
        return codes;
      });
    },

    async renewRecoveryCodes(actor, password, meta) {
      await identity.verifyOwnPassword(actor, password, meta);
      const box = await keys.box();
      const { codes, hashes } = newRecoveryCodes(box, actor.userId);
      return database.transaction(async (tx) => {
        const row = await totpRepo.lockTotp(tx, actor.userId);
        if (!row?.confirmedAt) throw invalid('AUTH.SECOND_FACTOR_NOT_ACTIVE', 'No second factor is in force');
        await totpRepo.replaceRecoveryCodes(tx, actor.userId, hashes, clock.now());
        await audit.append(tx, { action: 'user.recovery_codes_renew', target: { type: 'user', id: actor.user.username } }, { userId: actor.userId, label: actor.user.username, ip: meta.ip });
        return codes;
      });
    },

    async disable(actor, password, meta) {
      await identity.verifyOwnPassword(actor, password, meta);
      await database.transaction(async (tx) => {
        await totpRepo.lockTotp(tx, actor.userId);
        const hadOne = await totpRepo.deleteSecondFactor(tx, actor.userId);
        if (!hadOne) return;
        await audit.append(tx, { action: 'user.second_factor_disable', target: { type: 'user', id: actor.user.username } }, { userId: actor.userId, label: actor.user.username, ip: meta.ip });
      });
    },
  };
}
