import { describe, expect, it } from 'vitest';
import { ROLE_POLICY, type PolicyActor, type RoleName } from '../access/index.js';
import { mayAssignPost, mayGrant, mayManagePerson, maySeePerson } from './people.policy.js';

const DISTRICT = '/1/';
const TOWN_A = '/1/10/';
const GRID_A = '/1/10/100/1000/';
const TOWN_B = '/1/11/';
const GRID_B = '/1/11/110/1100/';
const DEPT = '/1/20/';

const actor = (role: RoleName, unitPath: string, townPath: string | null): PolicyActor => ({ userId: 1, posts: [{ role, unitPath, townPath }], grants: [] });
const admin = actor('admin', DISTRICT, null);
const supervisor = actor('district_supervisor', '/1/2/', null);
const dispatcherA = actor('town_dispatcher', TOWN_A, TOWN_A);
const gridWorker = actor('grid_worker', GRID_A, TOWN_A);
// A hypothetical administrator of town A alone. The role table gives user.manage only to district-wide
// administrators, but the rules must hold for any scope, so this actor holds every administrator action within
// town A (expressed with the policy's exact-actions-in-a-subtree form).
const townAdmin: PolicyActor = { userId: 2, posts: [], grants: [], machine: { actions: ROLE_POLICY.admin.actions, scopePath: TOWN_A } };

describe('maySeePerson', () => {
  it.each([
    ['an administrator, a person in another town', admin, [GRID_B], true],
    ['an administrator, a person without posts', admin, [], true],
    ['a supervisor (district-wide user.read)', supervisor, [GRID_B], true],
    ['a dispatcher, a grid worker of their town', dispatcherA, [GRID_A], true],
    ['a dispatcher, a person in another town', dispatcherA, [GRID_B], false],
    ['a dispatcher, a person with posts in both towns', dispatcherA, [GRID_B, GRID_A], true],
    ['a dispatcher, a person without posts', dispatcherA, [], false],
    ['a dispatcher, a department handler', dispatcherA, [DEPT], false],
    ['a grid worker (no user.read)', gridWorker, [GRID_A], false],
  ] as const)('%s: %s', (_name, who, paths, expected) => {
    expect(maySeePerson(who, paths)).toBe(expected);
  });
});

describe('mayManagePerson', () => {
  it.each([
    ['an administrator, anyone', admin, [GRID_B, DEPT], true],
    ['an administrator, a person without posts', admin, [], true],
    ['a supervisor (reads, does not manage)', supervisor, [GRID_A], false],
    ['a dispatcher', dispatcherA, [GRID_A], false],
    ['a town administrator, a person of their town', townAdmin, [GRID_A], true],
    ['a town administrator, a person with a post in another town too', townAdmin, [GRID_A, GRID_B], false],
    ['a town administrator, a person without posts', townAdmin, [], false],
  ] as const)('%s: %s', (_name, who, paths, expected) => {
    expect(mayManagePerson(who, paths)).toBe(expected);
  });
});

describe('mayAssignPost: nobody hands out more than they hold', () => {
  it.each([
    ['an administrator, an administrator post', admin, { role: 'admin', unitPath: DISTRICT, townPath: null }, true],
    ['an administrator, a grid worker in any town', admin, { role: 'grid_worker', unitPath: GRID_B, townPath: TOWN_B }, true],
    ['a town administrator, a grid worker of their town', townAdmin, { role: 'grid_worker', unitPath: GRID_A, townPath: TOWN_A }, true],
    ['a town administrator, a dispatcher of their town', townAdmin, { role: 'town_dispatcher', unitPath: TOWN_A, townPath: TOWN_A }, true],
    ['a town administrator, a grid worker of another town', townAdmin, { role: 'grid_worker', unitPath: GRID_B, townPath: TOWN_B }, false],
    ['a town administrator, an administrator post inside their town (would reach the district)', townAdmin, { role: 'admin', unitPath: TOWN_A, townPath: TOWN_A }, false],
    ['a town administrator, a supervisor post (district-wide)', townAdmin, { role: 'district_supervisor', unitPath: GRID_A, townPath: TOWN_A }, false],
    ['a town administrator, a citizen (reaches nothing)', townAdmin, { role: 'citizen', unitPath: GRID_A, townPath: TOWN_A }, true],
    ['a dispatcher (no user.manage)', dispatcherA, { role: 'grid_worker', unitPath: GRID_A, townPath: TOWN_A }, false],
  ] as const)('%s: %s', (_name, who, post, expected) => {
    expect(mayAssignPost(who, post)).toBe(expected);
  });
});

describe('mayGrant', () => {
  it.each([
    ['an administrator, reporter identity', admin, 'reporter.identity.read', true],
    ['an administrator, a role action (not grantable)', admin, 'unit.manage', false],
    ['an administrator, an unknown permission', admin, 'everything', false],
    ['a town administrator (a grant reaches the district)', townAdmin, 'reporter.identity.read', false],
    ['a supervisor', supervisor, 'reporter.identity.read', false],
  ] as const)('%s: %s', (_name, who, permission, expected) => {
    expect(mayGrant(who, permission)).toBe(expected);
  });
});
