/** Staff accounts and posts. Roles belong to the access policy, which says what each may do. */
import type { RoleName } from '../access/index.js';

export { ROLES, type RoleName } from '../access/index.js';

export const TEAM_ROLES = ['leader', 'full_time', 'part_time', 'instructor', 'volunteer'] as const;
/** A place in a grid's "1+3+N" team: 网格长, 专职网格员, 兼职网格员, 网格指导员, and volunteers. */
export type TeamRole = (typeof TEAM_ROLES)[number];

export interface Post {
  readonly id: number;
  readonly unitId: number;
  readonly unitCode: string;
  readonly unitName: string;
  readonly unitKind: string;
  /** The unit's materialised path ('/1/7/300/'), which scopes what the post reaches. */
  readonly unitPath: string;
  /** The enclosing town's path, or null for posts outside any town (district, departments). */
  readonly townPath: string | null;
  readonly role: RoleName;
  readonly teamRole: TeamRole | null;
}

export interface User {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly isDemo: boolean;
  readonly disabledAt: Date | null;
  /** The password was chosen by someone else (an administrator); until its holder replaces it, only that is allowed. */
  readonly passwordChangeRequired: boolean;
}

/** A signed-in person: the account, its current posts and its explicit grants. */
export interface Actor {
  readonly userId: number;
  readonly user: User;
  readonly posts: readonly Post[];
  readonly grants: readonly string[];
}
