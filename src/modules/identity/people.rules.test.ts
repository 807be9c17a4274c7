import { describe, expect, it } from 'vitest';
import { personProblems, roleFromName, teamRoleAllowed, teamRoleFromName } from './people.rules.js';

describe('personProblems', () => {
  it.each([
    ['a complete, valid person', { username: 'li.ming', displayName: '李明', phone: '13812345678', password: 'Hanfeng-lake-2026' }, []],
    ['a volunteer without password or phone', { username: 'vol-001', displayName: '王阿姨', phone: null, password: null }, []],
    ['a landline with area code', { displayName: '李明', phone: '023-52212345' }, []],
    ['a short user name', { username: 'li', displayName: '李明' }, ['username:USER.USERNAME_INVALID']],
    ['a user name with Chinese characters', { username: '李明', displayName: '李明' }, ['username:USER.USERNAME_INVALID']],
    ['a blank name', { username: 'li.ming', displayName: '   ' }, ['displayName:field.required']],
    ['a name of 51 characters', { displayName: '李'.repeat(51) }, ['displayName:field.tooLong']],
    ['a phone with letters', { displayName: '李明', phone: '138-ABC' }, ['phone:USER.PHONE_INVALID']],
    ['a short password', { username: 'li.ming', displayName: '李明', password: 'short1' }, ['password:USER.PASSWORD_TOO_SHORT']],
    ['a common password', { username: 'li.ming', displayName: '李明', password: 'Password123' }, ['password:USER.PASSWORD_COMMON']],
    ['a password containing the user name', { username: 'li.ming', displayName: '李明', password: 'li.ming-2026-x' }, ['password:USER.PASSWORD_CONTAINS_USERNAME']],
    ['everything wrong at once, in form order', { username: 'x', displayName: '', phone: '??', password: '123' }, [
      'username:USER.USERNAME_INVALID',
      'displayName:field.required',
      'phone:USER.PHONE_INVALID',
      'password:USER.PASSWORD_TOO_SHORT',
    ]],
  ] as const)('%s', (_name, fields, expected) => {
    expect(personProblems(fields).map((p) => `${p.path}:${p.code}`)).toEqual(expected);
  });
});

describe('role and team names from a staff list', () => {
  it.each([
    ['grid_worker', 'grid_worker'],
    ['网格员', 'grid_worker'],
    [' 镇街调度员 ', 'town_dispatcher'],
    ['部门办理人员', 'department_handler'],
    ['督办员', 'district_supervisor'],
    ['系统管理员', 'admin'],
    ['ADMIN', 'admin'],
    ['校长', undefined],
  ])('role %j is %s', (name, role) => {
    expect(roleFromName(name)).toBe(role);
  });

  it.each([
    ['网格长', 'leader'],
    ['专职网格员', 'full_time'],
    ['兼职网格员', 'part_time'],
    ['网格指导员', 'instructor'],
    ['志愿者', 'volunteer'],
    ['part_time', 'part_time'],
    ['组长', undefined],
  ])('team place %j is %s', (name, teamRole) => {
    expect(teamRoleFromName(name)).toBe(teamRole);
  });

  it('allows a team place only on a grid post', () => {
    expect(teamRoleAllowed('leader', 'grid')).toBe(true);
    expect(teamRoleAllowed('leader', 'village')).toBe(false);
    expect(teamRoleAllowed(null, 'village')).toBe(true);
  });
});
