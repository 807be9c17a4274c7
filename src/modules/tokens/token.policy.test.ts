import { describe, expect, it } from 'vitest';
import type { Action, PolicyActor, RoleName } from '../access/index.js';
import { TOKEN_ACTIONS, needsLastUsed, refusedTokenActions, tokenStatus } from './token.policy.js';

const DISTRICT = '/1/';
const TOWN_A = '/1/10/';
const GRID_A = '/1/10/100/1000/';
const TOWN_B = '/1/11/';
const DEPT = '/1/20/';

const person = (role: RoleName, unitPath: string, townPath: string | null, grants: string[] = []): PolicyActor => ({ userId: 1, posts: [{ role, unitPath, townPath }], grants });
const admin = person('admin', DISTRICT, null);
const supervisor = person('district_supervisor', '/1/2/', null);
const dispatcherA = person('town_dispatcher', TOWN_A, TOWN_A);
const handler = person('department_handler', DEPT, null);

describe('TOKEN_ACTIONS', () => {
  it('holds the machine-only actions, reporting and reading, never a reporter’s identity nor any change to a case', () => {
    expect(TOKEN_ACTIONS).toContain('telemetry.ingest');
    expect(TOKEN_ACTIONS).toContain('open311.submit');
    expect(TOKEN_ACTIONS).toContain('incident.read');
    expect(TOKEN_ACTIONS).not.toContain('reporter.identity.read');
    expect(TOKEN_ACTIONS.filter((a) => !a.endsWith('.read'))).toEqual(['incident.report', 'telemetry.ingest', 'open311.submit']);
  });
});

describe('refusedTokenActions: a token never exceeds its issuer', () => {
  it.each([
    ['an administrator: Open311 submission, district-wide', admin, ['open311.submit'], 'all', []],
    ['an administrator: readings for a utility', admin, ['telemetry.ingest'], DEPT, []],
    ['an administrator: reading incidents and alarms in a town', admin, ['incident.read', 'alarm.read'], TOWN_A, []],
    ['an administrator: a change action', admin, ['unit.manage'], 'all', ['unit.manage']],
    ['an administrator: a reporter’s identity, even when granted', person('admin', DISTRICT, null, ['reporter.identity.read']), ['reporter.identity.read'], 'all', ['reporter.identity.read']],
    ['a supervisor (cannot manage tokens): Open311 submission', supervisor, ['open311.submit'], 'all', ['open311.submit']],
    ['a supervisor: reading incidents district-wide (they can)', supervisor, ['incident.read'], 'all', []],
    ['a dispatcher: reading incidents in their town', dispatcherA, ['incident.read'], TOWN_A, []],
    ['a dispatcher: reading incidents in a grid of their town', dispatcherA, ['incident.read'], GRID_A, []],
    ['a dispatcher: reading incidents in another town', dispatcherA, ['incident.read'], TOWN_B, ['incident.read']],
    ['a dispatcher: reading incidents district-wide', dispatcherA, ['incident.read'], 'all', ['incident.read']],
    ['a dispatcher: audit reading (not theirs)', dispatcherA, ['audit.read', 'incident.read'], TOWN_A, ['audit.read']],
    ['a dispatcher: reporting in their town', dispatcherA, ['incident.report'], TOWN_A, []],
    ['a dispatcher: reporting district-wide', dispatcherA, ['incident.report'], 'all', ['incident.report']],
    ['a department handler: reading assets of the department', handler, ['asset.read'], DEPT, []],
    ['a department handler: telemetry (machine-only, needs token.manage)', handler, ['telemetry.ingest'], DEPT, ['telemetry.ingest']],
  ] as const)('%s', (_name, issuer, actions, scope, refused) => {
    expect(refusedTokenActions(issuer, actions as readonly Action[], scope)).toEqual(refused);
  });

  it('refuses everything to a machine issuing a token', () => {
    const machine: PolicyActor = { userId: 0, posts: [], grants: [], machine: { actions: ['incident.read'], scopePath: 'all' } };
    expect(refusedTokenActions(machine, ['incident.read'], 'all')).toEqual(['incident.read']);
  });
});

describe('tokenStatus', () => {
  const now = new Date('2026-03-02T09:00:00+08:00');
  it.each([
    ['no expiry, not revoked', null, null, 'active'],
    ['expiring later', null, new Date(now.getTime() + 1), 'active'],
    ['expiring now', null, now, 'expired'],
    ['revoked and expired', new Date(0), new Date(0), 'revoked'],
  ] as const)('%s: %s', (_name, revokedAt, expiresAt, expected) => {
    expect(tokenStatus({ revokedAt, expiresAt }, now)).toBe(expected);
  });

  it('writes “last used” at most once a minute', () => {
    expect(needsLastUsed(null, now)).toBe(true);
    expect(needsLastUsed(new Date(now.getTime() - 59_000), now)).toBe(false);
    expect(needsLastUsed(new Date(now.getTime() - 60_000), now)).toBe(true);
  });
});
