/**
 * Who may do what, and over which part of the district: pure code, the single source for every page, API and
 * query. A post (a role in a unit) gives a set of actions and a data scope:
 * - district roles (supervisor, leader, administrator, editor) reach the whole district;
 * - town roles (dispatcher, board handler) reach their town (镇街) and everything in it;
 * - a grid worker reaches their own grid; a department handler their own department (its subtree).
 * A record is in scope when its place (area path) or one of the units handling it lies under the scope root.
 * Some actions are never implied by a role and need an explicit grant (e.g. reading a 12350 reporter's identity).
 * (Domain: ../shared/reference/domain.md §1.1 "141", §1.7 grids; issue 3 §5.)
 */
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

export const ACTIONS = [
  // organisation, people, machines, audit
  'unit.read',
  'unit.manage',
  'geo.manage',
  'user.read',
  'user.manage',
  'token.manage',
  'audit.read',
  'audit.export',
  'audit.verify',
  // the case flow
  'incident.read',
  'incident.report',
  'incident.accept',
  'incident.dispatch',
  'incident.sign',
  'incident.handle',
  'incident.verify',
  'incident.close',
  'incident.supervise',
  'incident.escalate',
  'incident.merge',
  'incident.void',
  'catalog.manage',
  'calendar.manage',
  'stats.read',
  // the portal
  'content.edit',
  'content.review',
  'content.publish',
  'content.manage',
  'message.reply',
  // lifeline
  'asset.read',
  'asset.manage',
  'alarm.read',
  'alarm.acknowledge',
  'alarm.judge',
  // plans
  'plan.read',
  'plan.manage',
  // machines (API tokens)
  'telemetry.ingest',
  'open311.submit',
  // explicit grants only
  'reporter.identity.read',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Actions no role implies; a person needs an explicit grant for each. */
export const GRANT_ONLY: readonly Action[] = ['reporter.identity.read'];
/** Actions only machines (API tokens) perform. */
export const MACHINE_ONLY: readonly Action[] = ['telemetry.ingest', 'open311.submit'];

export type ScopeRule = 'district' | 'town' | 'unit' | 'none';

interface RolePolicy {
  readonly scope: ScopeRule;
  readonly actions: readonly Action[];
}

const INCIDENT_WORK: readonly Action[] = ['incident.read', 'incident.report', 'incident.sign', 'incident.handle', 'stats.read'];

export const ROLE_POLICY: Readonly<Record<RoleName, RolePolicy>> = {
  citizen: { scope: 'none', actions: [] },
  grid_worker: { scope: 'unit', actions: ['unit.read', ...INCIDENT_WORK, 'incident.verify', 'incident.escalate'] },
  town_dispatcher: {
    scope: 'town',
    actions: [
      'unit.read',
      'user.read',
      ...INCIDENT_WORK,
      'incident.accept',
      'incident.dispatch',
      'incident.verify',
      'incident.close',
      'incident.escalate',
      'incident.merge',
      'incident.void',
      'asset.read',
      'alarm.read',
      'plan.read',
    ],
  },
  board_handler: { scope: 'town', actions: ['unit.read', ...INCIDENT_WORK, 'incident.escalate', 'plan.read'] },
  department_handler: {
    scope: 'unit',
    actions: ['unit.read', ...INCIDENT_WORK, 'incident.escalate', 'asset.read', 'asset.manage', 'alarm.read', 'alarm.acknowledge', 'plan.read', 'message.reply'],
  },
  district_supervisor: {
    scope: 'district',
    actions: [
      'unit.read',
      'user.read',
      'audit.read',
      'audit.export',
      ...INCIDENT_WORK,
      'incident.accept',
      'incident.dispatch',
      'incident.verify',
      'incident.close',
      'incident.supervise',
      'incident.escalate',
      'incident.merge',
      'incident.void',
      'asset.read',
      'alarm.read',
      'alarm.acknowledge',
      'alarm.judge',
      'plan.read',
      'plan.manage',
      'message.reply',
    ],
  },
  leader: { scope: 'district', actions: ['unit.read', 'incident.read', 'incident.supervise', 'stats.read', 'asset.read', 'alarm.read', 'plan.read', 'audit.read'] },
  editor: { scope: 'district', actions: ['unit.read', 'content.edit', 'content.review', 'content.publish', 'message.reply'] },
  admin: {
    scope: 'district',
    actions: ACTIONS.filter((a) => !GRANT_ONLY.includes(a) && !MACHINE_ONLY.includes(a)),
  },
};

/** A post as the policy sees it: the role, and the path of the subtree it reaches. */
export interface PolicyPost {
  readonly role: RoleName;
  /** The unit of the post, when known (the acting unit recorded in histories). */
  readonly unitId?: number;
  readonly unitPath: string;
  /** The enclosing town's path, for posts inside a town (null for district and department posts). */
  readonly townPath: string | null;
}

export interface PolicyActor {
  readonly userId: number;
  readonly posts: readonly PolicyPost[];
  readonly grants: readonly string[];
  /**
   * Set for a machine (an API token): exactly these actions, within `scopePath` (or everywhere). Posts and
   * grants are ignored; a token never gains what its issuer could not do (checked when it is issued).
   */
  readonly machine?: { readonly actions: readonly Action[]; readonly scopePath: string | 'all' };
}

/** Where a record sits: its place in the district and the units handling it. */
export interface Resource {
  readonly areaPath?: string | null;
  readonly unitPaths?: readonly (string | null)[];
  readonly ownerUserId?: number | null;
}

export type Scope = { readonly kind: 'all' } | { readonly kind: 'paths'; readonly paths: readonly string[] } | { readonly kind: 'none' };

/** The root path a post reaches, or 'all', or null for none. */
export function postScope(post: PolicyPost): string | 'all' | null {
  const rule = ROLE_POLICY[post.role].scope;
  switch (rule) {
    case 'district':
      return 'all';
    case 'town':
      return post.townPath ?? post.unitPath;
    case 'unit':
      return post.unitPath;
    case 'none':
      return null;
  }
}

const roleAllows = (role: RoleName, action: Action) => ROLE_POLICY[role].actions.includes(action);

/** The union of the scopes of every post that allows `action`. */
export function scopeFor(actor: PolicyActor, action: Action): Scope {
  if (actor.machine) {
    if (!actor.machine.actions.includes(action)) return { kind: 'none' };
    return actor.machine.scopePath === 'all' ? { kind: 'all' } : { kind: 'paths', paths: [actor.machine.scopePath] };
  }
  if (GRANT_ONLY.includes(action)) return actor.grants.includes(action) ? { kind: 'all' } : { kind: 'none' };
  const paths: string[] = [];
  for (const post of actor.posts) {
    if (!roleAllows(post.role, action)) continue;
    const root = postScope(post);
    if (root === 'all') return { kind: 'all' };
    if (root !== null && !paths.includes(root)) paths.push(root);
  }
  return paths.length ? { kind: 'paths', paths } : { kind: 'none' };
}

export function inScope(scope: Scope, resource: Resource): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'none') return false;
  const places = [resource.areaPath, ...(resource.unitPaths ?? [])].filter((p): p is string => typeof p === 'string');
  return places.some((place) => scope.paths.some((root) => place.startsWith(root)));
}

/**
 * Whether `actor` may do `action` — to `resource` when given (its place or a handling unit must be in scope, or
 * the actor owns it), or at all when not (to show a page or a button).
 */
export function can(actor: PolicyActor | undefined, action: Action, resource?: Resource): boolean {
  if (!actor) return false;
  const scope = scopeFor(actor, action);
  if (scope.kind === 'none') return false;
  if (!resource) return true;
  if (resource.ownerUserId != null && resource.ownerUserId === actor.userId) return true;
  return inScope(scope, resource);
}
