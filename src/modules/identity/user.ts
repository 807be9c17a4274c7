/** Staff accounts, posts and roles. */
export const ROLES = [
  'citizen',
  'grid_worker',
  'town_dispatcher',
  'board_handler',
  'department_handler',
  'district_supervisor',
  'leader',
  'editor',
  'admin',
] as const;
export type RoleName = (typeof ROLES)[number];

export interface Post {
  readonly id: number;
  readonly unitId: number;
  readonly unitCode: string;
  readonly unitName: string;
  readonly role: RoleName;
}

export interface User {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly isDemo: boolean;
  readonly disabledAt: Date | null;
}

/** A signed-in person: the account and its current posts. */
export interface Actor {
  readonly user: User;
  readonly posts: readonly Post[];
}
