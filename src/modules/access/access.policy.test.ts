/**
 * The whole matrix: every role × every action × records in every kind of place. The expected actions per role
 * are written out here on purpose, separately from the policy, so a change to the policy has to be made twice.
 */
import { describe, expect, it } from 'vitest';
import { ACTIONS, can, scopeFor, type Action, type PolicyActor, type Resource, type RoleName } from './access.policy.js';

const DISTRICT = '/1/';
const TOWN_A = '/1/10/';
const VILLAGE_A1 = '/1/10/100/';
const GRID_A1 = '/1/10/100/1000/';
const GRID_A2 = '/1/10/100/1001/';
const GRID_B1 = '/1/11/110/1100/';
const DEPT_D = '/1/20/';
const DEPT_E = '/1/21/';

type Place = 'ownGrid' | 'otherGridSameTown' | 'otherTown' | 'assignedToOwnDept' | 'assignedToOtherDept' | 'districtLevel';
const RESOURCES: Record<Place, Resource> = {
  ownGrid: { areaPath: GRID_A1 },
  otherGridSameTown: { areaPath: GRID_A2 },
  otherTown: { areaPath: GRID_B1 },
  assignedToOwnDept: { areaPath: GRID_B1, unitPaths: [DEPT_D] },
  assignedToOtherDept: { areaPath: GRID_B1, unitPaths: [DEPT_E] },
  districtLevel: { areaPath: DISTRICT },
};

const POSTS: Record<RoleName, { unitPath: string; townPath: string | null } | null> = {
  citizen: null,
  grid_worker: { unitPath: GRID_A1, townPath: TOWN_A },
  town_dispatcher: { unitPath: TOWN_A, townPath: TOWN_A },
  board_handler: { unitPath: '/1/10/50/51/', townPath: TOWN_A },
  department_handler: { unitPath: DEPT_D, townPath: null },
  district_supervisor: { unitPath: '/1/2/', townPath: null },
  leader: { unitPath: DISTRICT, townPath: null },
  editor: { unitPath: DISTRICT, townPath: null },
  admin: { unitPath: DISTRICT, townPath: null },
};

const REACH: Record<RoleName, readonly Place[]> = {
  citizen: [],
  grid_worker: ['ownGrid'],
  town_dispatcher: ['ownGrid', 'otherGridSameTown'],
  board_handler: ['ownGrid', 'otherGridSameTown'],
  department_handler: ['assignedToOwnDept'],
  district_supervisor: ['ownGrid', 'otherGridSameTown', 'otherTown', 'assignedToOwnDept', 'assignedToOtherDept', 'districtLevel'],
  leader: ['ownGrid', 'otherGridSameTown', 'otherTown', 'assignedToOwnDept', 'assignedToOtherDept', 'districtLevel'],
  editor: ['ownGrid', 'otherGridSameTown', 'otherTown', 'assignedToOwnDept', 'assignedToOtherDept', 'districtLevel'],
  admin: ['ownGrid', 'otherGridSameTown', 'otherTown', 'assignedToOwnDept', 'assignedToOtherDept', 'districtLevel'],
};

const WORK = ['incident.read', 'incident.report', 'incident.sign', 'incident.handle', 'stats.read'] as const;
const EXPECTED: Record<RoleName, readonly Action[]> = {
  citizen: [],
  grid_worker: ['unit.read', ...WORK, 'incident.verify', 'incident.escalate'],
  town_dispatcher: ['unit.read', 'user.read', ...WORK, 'incident.accept', 'incident.dispatch', 'incident.verify', 'incident.close', 'incident.escalate', 'incident.merge', 'incident.void', 'asset.read', 'alarm.read', 'plan.read'],
  board_handler: ['unit.read', ...WORK, 'incident.escalate', 'plan.read'],
  department_handler: ['unit.read', ...WORK, 'incident.escalate', 'asset.read', 'asset.manage', 'alarm.read', 'alarm.acknowledge', 'plan.read', 'message.reply'],
  district_supervisor: [
    'unit.read', 'user.read', 'audit.read', 'audit.export', ...WORK, 'incident.accept', 'incident.dispatch', 'incident.verify', 'incident.close',
    'incident.supervise', 'incident.escalate', 'incident.merge', 'incident.void', 'asset.read', 'alarm.read', 'alarm.acknowledge', 'alarm.judge',
    'plan.read', 'plan.manage', 'message.reply',
  ],
  leader: ['unit.read', 'incident.read', 'incident.supervise', 'stats.read', 'asset.read', 'alarm.read', 'plan.read', 'audit.read'],
  editor: ['unit.read', 'content.edit', 'content.review', 'content.publish', 'message.reply'],
  admin: ACTIONS.filter((a) => !['reporter.identity.read', 'telemetry.ingest', 'open311.submit'].includes(a)),
};

const actorFor = (role: RoleName, grants: string[] = []): PolicyActor => {
  const post = POSTS[role];
  return { userId: 99, posts: post ? [{ role, ...post }] : [], grants };
};

describe('access policy matrix', () => {
  const roles = Object.keys(POSTS) as RoleName[];
  for (const role of roles) {
    it(`${role}: each action, in each place`, () => {
      const actor = actorFor(role);
      const mismatches: string[] = [];
      for (const action of ACTIONS) {
        const allowed = EXPECTED[role].includes(action);
        if (can(actor, action) !== allowed) mismatches.push(`${action} (any place): expected ${allowed}`);
        for (const [place, resource] of Object.entries(RESOURCES) as [Place, Resource][]) {
          const expected = allowed && REACH[role].includes(place);
          if (can(actor, action, resource) !== expected) mismatches.push(`${action} @ ${place}: expected ${expected}`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }

  it('never lets anyone act without a signed-in actor', () => {
    for (const action of ACTIONS) expect(can(undefined, action)).toBe(false);
  });

  it('gives grant-only actions to nobody by role, not even an administrator, and to anyone granted', () => {
    for (const role of roles) expect(can(actorFor(role), 'reporter.identity.read')).toBe(false);
    expect(can(actorFor('town_dispatcher', ['reporter.identity.read']), 'reporter.identity.read', RESOURCES.otherTown)).toBe(true);
  });

  it('gives a machine exactly its token’s actions within the token’s scope, whatever else it holds', () => {
    const gateway: PolicyActor = { userId: 0, posts: [{ role: 'admin', unitPath: DISTRICT, townPath: null }], grants: [], machine: { actions: ['telemetry.ingest'], scopePath: DEPT_D } };
    expect(can(gateway, 'telemetry.ingest', { areaPath: GRID_B1, unitPaths: [DEPT_D] })).toBe(true);
    expect(can(gateway, 'telemetry.ingest', { areaPath: GRID_B1, unitPaths: [DEPT_E] })).toBe(false);
    expect(can(gateway, 'unit.manage')).toBe(false);
    const open311: PolicyActor = { userId: 0, posts: [], grants: [], machine: { actions: ['open311.submit'], scopePath: 'all' } };
    expect(can(open311, 'open311.submit', RESOURCES.otherTown)).toBe(true);
    expect(can(open311, 'incident.read', RESOURCES.otherTown)).toBe(false);
  });

  it('unions the scopes of several posts, per action', () => {
    const actor: PolicyActor = {
      userId: 7,
      posts: [
        { role: 'grid_worker', unitPath: GRID_A1, townPath: TOWN_A },
        { role: 'department_handler', unitPath: DEPT_D, townPath: null },
      ],
      grants: [],
    };
    expect(scopeFor(actor, 'incident.read')).toEqual({ kind: 'paths', paths: [GRID_A1, DEPT_D] });
    expect(scopeFor(actor, 'incident.verify')).toEqual({ kind: 'paths', paths: [GRID_A1] });
    expect(can(actor, 'incident.verify', RESOURCES.assignedToOwnDept)).toBe(false);
    expect(can(actor, 'incident.handle', RESOURCES.assignedToOwnDept)).toBe(true);
    expect(scopeFor(actor, 'unit.manage')).toEqual({ kind: 'none' });
  });

  it('lets the owner of a record act on it outside their scope when the role allows the action', () => {
    const gw = actorFor('grid_worker');
    expect(can(gw, 'incident.read', { areaPath: GRID_B1, ownerUserId: 99 })).toBe(true);
    expect(can(gw, 'incident.dispatch', { areaPath: GRID_B1, ownerUserId: 99 })).toBe(false);
  });

  it('does not confuse a path prefix with a sibling whose id starts with the same digits', () => {
    const actor = actorFor('grid_worker');
    expect(can(actor, 'incident.read', { areaPath: '/1/10/100/10001/' })).toBe(false);
    expect(can(actor, 'incident.read', { areaPath: `${VILLAGE_A1}1000/x/` })).toBe(true);
  });
});
