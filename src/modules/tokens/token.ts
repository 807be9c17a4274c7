/** API tokens for machines, and the principal a token stands for. */
import type { Action, PolicyActor } from '../access/index.js';

/** Issued secrets start with this, so a leaked one is recognisable (secret scanners, logs, chat). */
export const TOKEN_PREFIX = 'zz_';

export interface ApiToken {
  readonly id: number;
  readonly name: string;
  /** The first characters of the secret, to tell tokens apart in lists (`zz_AbCd`). */
  readonly displayPrefix: string;
  readonly actions: readonly Action[];
  /** The unit whose subtree the token reaches, or null for the whole district. */
  readonly scopeUnit: { readonly id: number; readonly code: string; readonly name: string; readonly path: string } | null;
  readonly issuedBy: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
  readonly revokedBy: string | null;
  readonly isDemo: boolean;
}

export type TokenStatus = 'active' | 'expired' | 'revoked';

/**
 * A machine as the access policy sees it: exactly its token's actions, within its token's scope. It has no
 * user (userId 0 matches no record's owner) and never stands for a person.
 */
export interface MachineActor extends PolicyActor {
  readonly machine: { readonly actions: readonly Action[]; readonly scopePath: string | 'all' };
  readonly token: { readonly id: number; readonly name: string; readonly isDemo: boolean; readonly expiresAt: Date | null; readonly scopeUnitCode: string | null };
}
