/**
 * Who may see and change which people, and which posts and permissions they may hand out. Built on the access
 * policy (`user.read`, `user.manage`) so that a scoped administrator can never reach past their scope, nor make
 * someone else more powerful than themselves. Pure.
 */
import { GRANT_ONLY, ROLE_POLICY, can, inScope, postScope, scopeFor, type Action, type PolicyActor, type RoleName } from '../access/index.js';

export interface PostPlace {
  readonly role: RoleName;
  /** The unit's path. */
  readonly unitPath: string;
  /** The enclosing town's path, or null outside any town. */
  readonly townPath: string | null;
}

/** Whether `actor` may see a person whose current posts sit at `postPaths`: one of them in scope, or a district-wide reader. */
export function maySeePerson(actor: PolicyActor, postPaths: readonly string[]): boolean {
  const scope = scopeFor(actor, 'user.read');
  if (scope.kind === 'all') return true;
  return postPaths.some((p) => inScope(scope, { areaPath: p }));
}

/**
 * Whether `actor` may change a person whose current posts sit at `postPaths`. All of them must be in scope
 * (a change to the account affects every post); a person without posts only a district-wide administrator.
 */
export function mayManagePerson(actor: PolicyActor, postPaths: readonly string[]): boolean {
  const scope = scopeFor(actor, 'user.manage');
  if (scope.kind === 'all') return true;
  return postPaths.length > 0 && postPaths.every((p) => inScope(scope, { areaPath: p }));
}

/**
 * Whether `actor` may give someone this post: they manage people in its unit, and each of the role's actions
 * they can do themselves over everything the post will reach (a town role reaches the whole town, a district
 * role the whole district). Nobody hands out more than they hold.
 */
export function mayAssignPost(actor: PolicyActor, post: PostPlace): boolean {
  if (!can(actor, 'user.manage', { areaPath: post.unitPath })) return false;
  const reach = postScope(post);
  if (reach === null) return true;
  return ROLE_POLICY[post.role].actions.every((action: Action) =>
    reach === 'all' ? scopeFor(actor, action).kind === 'all' : can(actor, action, { areaPath: reach }),
  );
}

/** Permissions that are granted one by one rather than by a role (e.g. reading a 12350 reporter's identity). */
export const GRANTABLE: readonly Action[] = GRANT_ONLY;

/**
 * Whether `actor` may grant or revoke `permission`. A grant reaches the whole district, so only a district-wide
 * administrator may give it.
 */
export function mayGrant(actor: PolicyActor, permission: string): boolean {
  return (GRANTABLE as readonly string[]).includes(permission) && scopeFor(actor, 'user.manage').kind === 'all';
}
