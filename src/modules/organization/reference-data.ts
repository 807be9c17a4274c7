/**
 * Reference data shipped with the product: 开州区 and its 40 town-level units with their statistical codes
 * (统计用区划代码, National Bureau of Statistics 2023 edition, via modood/Administrative-divisions-of-China,
 * WTFPL; see ../shared/data/cn-admin-codes). 8 街道 (…001–008), 27 镇 (…100–127), 5 乡 (…201–206).
 */
import { townKindOf, type BoardType, type UnitSpec } from './unit.js';

export const DISTRICT_CODE = '500154';
export const DISTRICT_CENTER_CODE = '500154-OPS';

const TOWNS: readonly (readonly [code: string, name: string])[] = [
  ['500154001', '汉丰街道'],
  ['500154002', '文峰街道'],
  ['500154003', '云枫街道'],
  ['500154004', '镇东街道'],
  ['500154005', '丰乐街道'],
  ['500154006', '白鹤街道'],
  ['500154007', '赵家街道'],
  ['500154008', '正安街道'],
  ['500154100', '大德镇'],
  ['500154102', '厚坝镇'],
  ['500154103', '金峰镇'],
  ['500154104', '温泉镇'],
  ['500154105', '郭家镇'],
  ['500154106', '白桥镇'],
  ['500154107', '和谦镇'],
  ['500154108', '河堰镇'],
  ['500154109', '大进镇'],
  ['500154110', '谭家镇'],
  ['500154111', '敦好镇'],
  ['500154112', '高桥镇'],
  ['500154113', '九龙山镇'],
  ['500154114', '天和镇'],
  ['500154115', '中和镇'],
  ['500154116', '义和镇'],
  ['500154117', '临江镇'],
  ['500154118', '竹溪镇'],
  ['500154119', '铁桥镇'],
  ['500154120', '南雅镇'],
  ['500154121', '巫山镇'],
  ['500154122', '岳溪镇'],
  ['500154123', '长沙镇'],
  ['500154124', '南门镇'],
  ['500154125', '渠口镇'],
  ['500154126', '满月镇'],
  ['500154127', '雪宝山镇'],
  ['500154201', '关面乡'],
  ['500154203', '麻柳乡'],
  ['500154204', '紫水乡'],
  ['500154205', '三汇口乡'],
  ['500154206', '五通乡'],
];

/**
 * The "141" structure every Chongqing town has (../shared/reference/domain.md §1.1): one 镇街基层治理指挥中心
 * and four boards — 党的建设, 经济发展, 民生服务, 平安法治.
 */
const BOARDS: readonly (readonly [suffix: string, subtype: BoardType, name: string])[] = [
  ['DJ', 'party_building', '党的建设板块'],
  ['JJ', 'economy', '经济发展板块'],
  ['MS', 'livelihood', '民生服务板块'],
  ['PA', 'safety_law', '平安法治板块'],
];

/** The code of a town's command center, and of one of its boards. */
export const commandCenterCode = (townCode: string) => `${townCode}-ZX`;
export const boardCode = (townCode: string, board: BoardType) => `${townCode}-${BOARDS.find((b) => b[1] === board)![0]}`;

/** The district, its operations center, the 40 towns and each town's command center and boards, parents first. */
export const REFERENCE_UNITS: readonly UnitSpec[] = [
  { code: DISTRICT_CODE, name: '开州区', kind: 'district', parentCode: null, sortOrder: 0 },
  {
    code: DISTRICT_CENTER_CODE,
    name: '开州区城市运行和治理中心',
    kind: 'district_center',
    parentCode: DISTRICT_CODE,
    sortOrder: 1,
    duties: '全区城市运行监测、事件统一受理与分拨、跨部门跨层级协同调度、督查督办与考核评价。',
  },
  ...TOWNS.flatMap(([code, name], i): UnitSpec[] => [
    { code, name, kind: townKindOf(name), parentCode: DISTRICT_CODE, sortOrder: 100 + i },
    {
      code: commandCenterCode(code),
      name: `${name}基层治理指挥中心`,
      kind: 'command_center',
      parentCode: code,
      sortOrder: 0,
      duties: '24小时值班值守，统一受理、分派、督办辖区事件，应急状态下作为前方指挥部。',
    },
    ...BOARDS.map(([suffix, subtype, boardName], j) => ({
      code: `${code}-${suffix}`,
      name: `${name}${boardName}`,
      kind: 'board' as const,
      subtype,
      parentCode: commandCenterCode(code),
      sortOrder: j + 1,
    })),
  ]),
];
