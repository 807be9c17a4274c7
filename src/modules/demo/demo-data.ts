/**
 * Demo data, written by the project and marked as demo wherever it shows. Department names follow the usual
 * pattern of a Chongqing district (../shared/reference/domain.md §8.3) but are not Kaizhou's official list.
 */
import { DISTRICT_CENTER_CODE, DISTRICT_CODE, type UnitSpec } from '../organization/index.js';
import type { RoleName } from '../identity/index.js';

export const DEMO_DEPARTMENTS: readonly UnitSpec[] = [
  ['D-CGJ', '区城市管理局'],
  ['D-ZJW', '区住房城乡建委'],
  ['D-SLJ', '区水利局'],
  ['D-STHJJ', '区生态环境局'],
  ['D-YJJ', '区应急管理局'],
  ['D-JTW', '区交通运输委'],
  ['D-SCJGJ', '区市场监管局'],
  ['D-MZJ', '区民政局'],
  ['D-WJW', '区卫生健康委'],
  ['D-GAJ', '区公安局'],
].map(([code, name], i) => ({ code: code!, name: name!, kind: 'department' as const, parentCode: DISTRICT_CODE, sortOrder: 10 + i }));

export const DEMO_UTILITIES: readonly UnitSpec[] = [
  ['U-POWER', '开州供电公司（演示）'],
  ['U-GAS', '开州燃气公司（演示）'],
  ['U-WATER', '开州自来水公司（演示）'],
].map(([code, name], i) => ({ code: code!, name: name!, kind: 'utility' as const, parentCode: DISTRICT_CODE, sortOrder: 40 + i }));

/** The demo sign-in password shared by every demo account (printed at start and in the README). */
export const DEMO_PASSWORD = 'Kaizhou@2026';

export interface DemoAccount {
  readonly username: string;
  readonly displayName: string;
  readonly unitCode: string;
  readonly role: RoleName;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'admin', displayName: '系统管理员（演示）', unitCode: DISTRICT_CODE, role: 'admin' },
  { username: 'supervisor', displayName: '区治理中心督办员（演示）', unitCode: DISTRICT_CENTER_CODE, role: 'district_supervisor' },
  { username: 'leader', displayName: '区领导（演示）', unitCode: DISTRICT_CODE, role: 'leader' },
  { username: 'dispatcher', displayName: '汉丰街道调度员（演示）', unitCode: '500154001-ZX', role: 'town_dispatcher' },
  { username: 'gridworker', displayName: '汉丰街道网格员（演示）', unitCode: '500154001', role: 'grid_worker' },
  { username: 'handler', displayName: '区城市管理局办理员（演示）', unitCode: 'D-CGJ', role: 'department_handler' },
  { username: 'editor', displayName: '网站编辑（演示）', unitCode: DISTRICT_CODE, role: 'editor' },
  // A second editor: a review only counts when someone other than the author reads the text.
  { username: 'reviewer', displayName: '网站审核编辑（演示）', unitCode: DISTRICT_CODE, role: 'editor' },
];
