/**
 * What makes a person's record valid, and the names a staff list may use for roles and team places. Pure.
 */
import type { FieldProblem } from '../../kernel/errors.js';
import { MIN_PASSWORD_LENGTH, passwordWeakness } from './password.js';
import { ROLES, TEAM_ROLES, type RoleName, type TeamRole } from './user.js';

export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,40}$/;
/** Mobile (13812345678), landline with area code (023-52212345), extension, or a short service number (12345). */
export const PHONE_PATTERN = /^\+?[0-9][0-9 ()-]{2,22}$/;
export const DISPLAY_NAME_MAX = 50;

export interface PersonFields {
  readonly username?: string;
  readonly displayName?: string;
  readonly phone?: string | null;
  /** Omitted or null: no password (the person cannot sign in until given one). */
  readonly password?: string | null;
}

/** Every problem with a person's fields, in the order of the form (user name, name, phone, password). */
export function personProblems(p: PersonFields, usernameForPassword = p.username): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (p.username !== undefined && !USERNAME_PATTERN.test(p.username)) {
    problems.push({ path: 'username', code: 'USER.USERNAME_INVALID', message: 'username: 3–40 letters, digits, _ . -' });
  }
  if (p.displayName !== undefined) {
    const name = p.displayName.trim();
    if (name.length === 0) problems.push({ path: 'displayName', code: 'field.required', message: 'display name is required' });
    else if ([...name].length > DISPLAY_NAME_MAX) problems.push({ path: 'displayName', code: 'field.tooLong', message: `display name: at most ${DISPLAY_NAME_MAX} characters`, params: { max: DISPLAY_NAME_MAX } });
  }
  if (p.phone && !PHONE_PATTERN.test(p.phone)) problems.push({ path: 'phone', code: 'USER.PHONE_INVALID', message: 'phone: digits, spaces, + - ( )' });
  if (p.password) {
    const weakness = passwordWeakness(p.password, { username: usernameForPassword });
    if (weakness) problems.push(weakPasswordProblem('password', weakness));
  }
  return problems;
}

const WEAKNESS_CODES = {
  too_short: 'USER.PASSWORD_TOO_SHORT',
  common: 'USER.PASSWORD_COMMON',
  contains_username: 'USER.PASSWORD_CONTAINS_USERNAME',
} as const;

/** The precise problem with a weak password (too short, too common, or containing the user name). */
export function weakPasswordProblem(path: string, weakness: keyof typeof WEAKNESS_CODES): FieldProblem {
  return { path, code: WEAKNESS_CODES[weakness], message: `password is too weak (${weakness})`, params: { min: MIN_PASSWORD_LENGTH } };
}

/** A "1+3+N" team place belongs to a post in a grid (网格); elsewhere it means nothing. */
export function teamRoleAllowed(teamRole: TeamRole | null | undefined, unitKind: string): boolean {
  return !teamRole || unitKind === 'grid';
}

/** Role names a staff list may use: the identifiers, and the Chinese names used in Kaizhou's rosters. */
export const ROLE_ALIASES: Readonly<Record<string, RoleName>> = {
  ...Object.fromEntries(ROLES.map((r) => [r, r])),
  群众: 'citizen',
  志愿者: 'citizen',
  网格员: 'grid_worker',
  调度员: 'town_dispatcher',
  镇街调度员: 'town_dispatcher',
  指挥中心调度员: 'town_dispatcher',
  镇街指挥中心调度员: 'town_dispatcher',
  板块办理人员: 'board_handler',
  板块工作人员: 'board_handler',
  部门办理人员: 'department_handler',
  部门工作人员: 'department_handler',
  督办员: 'district_supervisor',
  督办人员: 'district_supervisor',
  区级督办人员: 'district_supervisor',
  领导: 'leader',
  网站编辑: 'editor',
  编辑: 'editor',
  管理员: 'admin',
  系统管理员: 'admin',
};

/** Team places by identifier or Chinese name (网格长, 专职网格员, 兼职网格员, 网格指导员, 志愿者). */
export const TEAM_ROLE_ALIASES: Readonly<Record<string, TeamRole>> = {
  ...Object.fromEntries(TEAM_ROLES.map((r) => [r, r])),
  网格长: 'leader',
  专职网格员: 'full_time',
  兼职网格员: 'part_time',
  网格指导员: 'instructor',
  志愿者: 'volunteer',
  网格志愿者: 'volunteer',
};

export function roleFromName(name: string): RoleName | undefined {
  return ROLE_ALIASES[name.trim()] ?? ROLE_ALIASES[name.trim().toLowerCase()];
}

export function teamRoleFromName(name: string): TeamRole | undefined {
  return TEAM_ROLE_ALIASES[name.trim()] ?? TEAM_ROLE_ALIASES[name.trim().toLowerCase()];
}
