/**
 * A demo 派单目录 in two levels, modelled on the 数字城管 部件/事件 classes (CJ/T 214, GB/T 30428.2;
 * ../shared/reference/domain.md §2.4) plus 12345 service matters and the 12350 work-safety channel, with time
 * limits from published catalogues (§2.5: 暴露垃圾 4 working hours–1 working day, 道路不洁 2–5 working hours,
 * 私搭乱建 up to 20 working days; §3.2: water/power/gas 24 h, general 7 days; §5: 12350 within 60 days) and
 * routes to the demo departments. Real deployments maintain their own catalogue in the workbench.
 */
import type { CategoryAttribute, Limits, Urgency } from '../incidents/index.js';

export interface DemoCategory {
  readonly code: string;
  readonly name: string;
  readonly class: 'component' | 'event' | 'service';
  readonly parent?: string;
  readonly limits?: Limits;
  readonly urgency?: Urgency;
  readonly filing?: string;
  readonly closing?: string;
  readonly publicVisible?: boolean;
  /** Lead unit code for the whole district, and optional co-handling units. */
  readonly lead?: string;
  readonly co?: readonly string[];
  /** Area-specific routes: in these towns, this unit (a code suffix of the town's board, e.g. 'PA') leads. */
  readonly townBoardIn?: { readonly towns: readonly string[]; readonly board: 'DJ' | 'JJ' | 'MS' | 'PA' };
  /** Extra questions (Open311 service attributes). */
  readonly attributes?: readonly CategoryAttribute[];
}

const attr = (a: Partial<CategoryAttribute> & Pick<CategoryAttribute, 'code' | 'datatype' | 'order' | 'description'>): CategoryAttribute => ({
  variable: true,
  required: false,
  datatypeDescription: null,
  values: [],
  ...a,
});

/** Demo service attributes: what a handling department asks beyond the place and the description. */
const COVER_ATTRIBUTES = [
  attr({ code: 'cover_use', datatype: 'singlevaluelist', order: 1, required: true, description: '井盖类别', values: [{ key: 'sewage', name: '污水' }, { key: 'rain', name: '雨水' }, { key: 'telecom', name: '通信' }, { key: 'power', name: '电力' }, { key: 'gas', name: '燃气' }, { key: 'unknown', name: '不清楚' }] }),
  attr({ code: 'in_roadway', datatype: 'singlevaluelist', order: 2, description: '是否位于机动车道', values: [{ key: 'yes', name: '是' }, { key: 'no', name: '否' }] }),
  attr({ code: 'safety_note', variable: false, datatype: 'text', order: 3, description: '如井口敞开，请先在周边设置明显警示，勿靠近。' }),
];
const LAMP_ATTRIBUTES = [
  attr({ code: 'pole_number', datatype: 'string', order: 1, description: '灯杆编号（灯杆上的喷涂编号）', datatypeDescription: '如 KZ-HF-0123' }),
  attr({ code: 'lamps_out', datatype: 'number', order: 2, description: '不亮的路灯数量', datatypeDescription: '整数，1–99' }),
];
const ROAD_ATTRIBUTES = [
  attr({ code: 'area_m2', datatype: 'number', order: 1, required: true, description: '破损面积（平方米）', datatypeDescription: '估算即可，如 0.8' }),
  attr({ code: 'lane', datatype: 'multivaluelist', order: 2, description: '影响范围', values: [{ key: 'roadway', name: '机动车道' }, { key: 'bike', name: '非机动车道' }, { key: 'sidewalk', name: '人行道' }] }),
];
const NOISE_ATTRIBUTES = [
  attr({ code: 'noise_started_at', datatype: 'datetime', order: 1, required: true, description: '噪声开始时间', datatypeDescription: 'ISO 8601，带时区，如 2026-11-28T22:30:00+08:00' }),
  attr({ code: 'site_name', datatype: 'string', order: 2, description: '工地或项目名称' }),
  attr({ code: 'details', datatype: 'text', order: 3, description: '施工内容（机械、时段等）' }),
];

const h = (amount: number) => ({ amount, unit: 'hours' as const });
const d = (amount: number) => ({ amount, unit: 'days' as const });
const nh = (amount: number) => ({ amount, unit: 'natural_hours' as const });
const nd = (amount: number) => ({ amount, unit: 'natural_days' as const });

const STREETS = ['500154001', '500154002', '500154003', '500154004', '500154005', '500154006', '500154007', '500154008'];

export const DEMO_CATALOG: readonly DemoCategory[] = [
  { code: 'BJ01', name: '公用设施', class: 'component' },
  { code: 'BJ0101', parent: 'BJ01', name: '井盖破损、缺失', class: 'component', urgency: 'urgent', limits: { handle: h(4) }, filing: '井盖破损、移位、缺失或有塌陷危险', closing: '井盖完好归位，周边设置警示已撤除', lead: 'D-CGJ', attributes: COVER_ATTRIBUTES },
  { code: 'BJ0102', parent: 'BJ01', name: '路灯不亮', class: 'component', limits: { handle: d(2) }, filing: '路灯夜间不亮或闪烁', closing: '路灯恢复正常照明', lead: 'D-CGJ', attributes: LAMP_ATTRIBUTES },
  { code: 'BJ0103', parent: 'BJ01', name: '供水设施损坏', class: 'component', limits: { handle: nh(24) }, lead: 'U-WATER', co: ['D-SLJ'] },
  { code: 'BJ0104', parent: 'BJ01', name: '燃气设施异常', class: 'component', urgency: 'urgent', lead: 'U-GAS', co: ['D-YJJ'] },
  { code: 'BJ0105', parent: 'BJ01', name: '电力设施隐患', class: 'component', limits: { handle: nh(24) }, lead: 'U-POWER' },
  // Lifeline assets (城市生命线, domain.md §4): a confirmed bridge, tunnel or risk-point alarm is filed under these and
  // dispatched to the asset's owner at once (src/services.ts ALARM_CATEGORY_CODES).
  { code: 'BJ0106', parent: 'BJ01', name: '综合管廊设施异常', class: 'component', urgency: 'urgent', limits: { handle: nh(24) }, filing: '管廊内气体、水位、温湿度等监测告警经研判属实，或巡检发现结构、附属设施异常', closing: '隐患排除，监测数据恢复正常', lead: 'D-ZJW', co: ['D-YJJ'], publicVisible: false },
  { code: 'BJ02', name: '道路交通', class: 'component' },
  { code: 'BJ0201', parent: 'BJ02', name: '道路破损', class: 'component', limits: { handle: d(5) }, filing: '路面坑洼、破损面积大于 0.5 平方米', closing: '路面修复平整', lead: 'D-ZJW', attributes: ROAD_ATTRIBUTES },
  { code: 'BJ0202', parent: 'BJ02', name: '交通标志损坏', class: 'component', limits: { handle: d(3) }, lead: 'D-JTW' },
  { code: 'BJ0203', parent: 'BJ02', name: '护栏损坏', class: 'component', limits: { handle: d(2) }, lead: 'D-JTW' },
  { code: 'BJ0204', parent: 'BJ02', name: '桥梁结构安全隐患', class: 'component', urgency: 'urgent', limits: { handle: nh(24) }, filing: '桥梁出现裂缝、异常变形或振动，或结构监测告警经研判属实', closing: '完成检测评估并处置，必要时交通管制已解除', lead: 'D-JTW', co: ['D-ZJW', 'D-YJJ'] },
  { code: 'BJ03', name: '市容环境设施', class: 'component' },
  { code: 'BJ0301', parent: 'BJ03', name: '垃圾桶破损', class: 'component', limits: { handle: d(1) }, lead: 'D-CGJ' },
  { code: 'BJ0302', parent: 'BJ03', name: '公厕设施损坏', class: 'component', limits: { handle: d(2) }, lead: 'D-CGJ' },
  { code: 'BJ04', name: '园林绿化', class: 'component' },
  { code: 'BJ0401', parent: 'BJ04', name: '行道树倒伏', class: 'component', urgency: 'urgent', lead: 'D-CGJ' },
  { code: 'BJ0402', parent: 'BJ04', name: '绿地损坏', class: 'component', limits: { handle: d(5) }, lead: 'D-CGJ' },
  { code: 'SJ01', name: '市容环境', class: 'event' },
  { code: 'SJ0101', parent: 'SJ01', name: '暴露垃圾', class: 'event', limits: { handle: h(4) }, filing: '路面、绿地等处有暴露垃圾', closing: '垃圾清理干净', lead: 'D-CGJ', townBoardIn: { towns: STREETS, board: 'MS' } },
  { code: 'SJ0102', parent: 'SJ01', name: '道路不洁', class: 'event', limits: { handle: h(2) }, lead: 'D-CGJ' },
  { code: 'SJ0103', parent: 'SJ01', name: '私搭乱建', class: 'event', limits: { handle: d(15) }, filing: '未经批准搭建建筑物、构筑物', closing: '违法建设停工并拆除', lead: 'D-CGJ', co: ['D-ZJW'] },
  { code: 'SJ0104', parent: 'SJ01', name: '渣土撒漏', class: 'event', limits: { handle: h(4) }, lead: 'D-CGJ' },
  { code: 'SJ02', name: '宣传广告', class: 'event' },
  { code: 'SJ0201', parent: 'SJ02', name: '违规张贴小广告', class: 'event', limits: { handle: d(1) }, lead: 'D-CGJ', townBoardIn: { towns: STREETS, board: 'MS' } },
  { code: 'SJ03', name: '施工管理', class: 'event' },
  { code: 'SJ0301', parent: 'SJ03', name: '施工噪声扰民', class: 'event', limits: { handle: d(1) }, lead: 'D-STHJJ', attributes: NOISE_ATTRIBUTES },
  { code: 'SJ0302', parent: 'SJ03', name: '工地扬尘', class: 'event', limits: { handle: d(1) }, lead: 'D-STHJJ', co: ['D-ZJW'] },
  { code: 'SJ04', name: '街面秩序', class: 'event' },
  { code: 'SJ0401', parent: 'SJ04', name: '占道经营', class: 'event', limits: { handle: h(4) }, filing: '在道路、广场等公共场所摆摊设点', closing: '摊点撤离，路面恢复畅通', lead: 'D-CGJ', townBoardIn: { towns: STREETS, board: 'PA' } },
  { code: 'SJ0402', parent: 'SJ04', name: '机动车乱停乱放', class: 'event', limits: { handle: d(1) }, lead: 'D-GAJ' },
  { code: 'SJ05', name: '突发事件', class: 'event' },
  { code: 'SJ0501', parent: 'SJ05', name: '路面积水', class: 'event', urgency: 'urgent', lead: 'D-CGJ', co: ['D-SLJ'] },
  { code: 'SJ0502', parent: 'SJ05', name: '道路塌陷', class: 'event', urgency: 'critical', lead: 'D-ZJW', co: ['D-YJJ', 'D-GAJ'], publicVisible: false },
  { code: 'SJ0503', parent: 'SJ05', name: '供水管道爆裂', class: 'event', urgency: 'urgent', lead: 'U-WATER', co: ['D-SLJ'] },
  { code: 'SJ0504', parent: 'SJ05', name: '安全风险点监测告警', class: 'event', urgency: 'urgent', limits: { handle: nh(24) }, filing: '城市安全风险点监测告警经研判属实', closing: '风险管控措施落实，监测数据恢复正常', lead: 'D-YJJ', publicVisible: false },
  { code: 'SJ06', name: '安全生产', class: 'event' },
  { code: 'SJ0601', parent: 'SJ06', name: '安全生产隐患举报', class: 'event', limits: { handle: nd(60) }, filing: '反映生产经营单位存在事故隐患或违法行为', closing: '核查处理完毕并向举报人反馈', lead: 'D-YJJ', publicVisible: false },
  { code: 'FW01', name: '公共服务', class: 'service' },
  { code: 'FW0101', parent: 'FW01', name: '停水、水压不足', class: 'service', limits: { handle: nh(24) }, lead: 'U-WATER' },
  { code: 'FW0102', parent: 'FW01', name: '停电', class: 'service', limits: { handle: nh(24) }, lead: 'U-POWER' },
  { code: 'FW0103', parent: 'FW01', name: '燃气供应', class: 'service', limits: { handle: nh(24) }, lead: 'U-GAS' },
  { code: 'FW0104', parent: 'FW01', name: '社会救助与养老服务', class: 'service', limits: { handle: d(7) }, lead: 'D-MZJ' },
  { code: 'FW0105', parent: 'FW01', name: '医疗卫生', class: 'service', limits: { handle: d(7) }, lead: 'D-WJW' },
  { code: 'FW0106', parent: 'FW01', name: '市场与消费', class: 'service', limits: { handle: d(7) }, lead: 'D-SCJGJ' },
  { code: 'FW09', name: '其他', class: 'service' },
  { code: 'FW0901', parent: 'FW09', name: '其他事项', class: 'service', limits: { handle: d(15) }, lead: 'D-CGJ' },
];
