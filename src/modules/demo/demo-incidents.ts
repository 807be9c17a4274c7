/**
 * Demo incidents: a month of cases across the district in every stage of the case flow, replayed through the real
 * incident service on a clock that walks forward from 30 days ago, so numbers, histories, deadlines, red lights
 * and ratings are what the platform itself would have produced. The texts are written for the demo; no real
 * citizen message is used. Every incident is marked `is_demo`.
 */
import { FakeClock, type Clock } from '../../kernel/clock.js';
import type { Initiator } from '../../kernel/initiator.js';
import type { PolicyActor, PolicyPost, RoleName } from '../access/index.js';
import type { CatalogService, Channel, Incident, IncidentService, Rating, RequestType } from '../incidents/index.js';
import type { OrganizationService, Unit } from '../organization/index.js';
import { TOWN_KINDS } from '../organization/index.js';

/** Where a demo case stops. */
type Outcome =
  | 'reported'
  | 'accepted'
  | 'filed'
  | 'dispatched'
  | 'signed'
  | 'extension'
  | 'reported_back'
  | 'verified'
  | 'closed'
  | 'returned_verify'
  | 'answered'
  | 'rejected';

export interface DemoCase {
  readonly town: string;
  readonly category: string;
  readonly channel: Channel;
  readonly requestType?: RequestType;
  readonly title: string;
  readonly description: string;
  readonly address: string;
  readonly reporter?: { readonly name: string; readonly phone: string };
  /** Days before the seed when the case was reported (fractions allowed). */
  readonly daysAgo: number;
  readonly outcome: Outcome;
  readonly rating?: Rating;
  readonly ratingComment?: string;
  readonly result?: string;
  /** Handling time as a share of the stage limit's hours (above 1 = late). */
  readonly pace?: number;
}

const C = (c: DemoCase) => c;

export const DEMO_CASES: readonly DemoCase[] = [
  C({ town: '500154001', category: 'BJ0101', channel: 'web', title: '人行道井盖缺失', description: '汉丰街道滨湖路与开州大道交叉口东侧人行道上一个井盖不见了，晚上很危险，已经有老人差点踩空，请尽快处理。', address: '滨湖路与开州大道交叉口东侧', reporter: { name: '张女士', phone: '13800000001' }, daysAgo: 29.2, outcome: 'closed', rating: 'satisfied', ratingComment: '当天就盖好了，谢谢', result: '已补装井盖并设置警示标志，现场恢复正常。', pace: 0.5 }),
  C({ town: '500154001', category: 'SJ0101', channel: 'grid_patrol', title: '小区门口暴露垃圾', description: '东华社区某小区南门外堆放生活垃圾约两立方米，有异味。', address: '东华社区南门外', daysAgo: 27.6, outcome: 'closed', result: '环卫人员已清运，地面冲洗干净。', pace: 0.6 }),
  C({ town: '500154002', category: 'BJ0102', channel: 'hotline_12345', requestType: 'help', title: '路灯连续多晚不亮', description: '文峰街道盛山路中段有五六盏路灯连续一个星期晚上不亮，行人和电瓶车出行不便。', address: '盛山路中段', reporter: { name: '李先生', phone: '13800000002' }, daysAgo: 26.1, outcome: 'closed', rating: 'basically_satisfied', ratingComment: '修好了，但等了两天', result: '更换损坏的镇流器和灯泡 6 套，已恢复照明。', pace: 0.9 }),
  C({ town: '500154003', category: 'SJ0401', channel: 'web', requestType: 'complaint', title: '菜市场外占道经营', description: '云枫街道农贸市场外每天早上有十几个摊位摆在机动车道上卖菜，早高峰堵车严重。', address: '云枫农贸市场北侧道路', reporter: { name: '王先生', phone: '13800000003' }, daysAgo: 24.8, outcome: 'closed', rating: 'unsatisfied', ratingComment: '第二天又摆出来了', result: '已劝导摊贩进入市场经营，清理占道摊点 12 处。', pace: 0.8 }),
  C({ town: '500154004', category: 'BJ0201', channel: 'hotline_12345', requestType: 'report', title: '道路坑洼积水', description: '镇东街道迎宾大道辅道有一段路面坑洼，下雨后积水很深，车辆经过溅到行人身上。', address: '迎宾大道辅道', reporter: { name: '陈女士', phone: '13800000004' }, daysAgo: 23.5, outcome: 'closed', rating: 'satisfied', result: '已对破损路面进行修补，面积约 8 平方米。', pace: 0.7 }),
  C({ town: '500154005', category: 'SJ0301', channel: 'hotline_12345', requestType: 'complaint', title: '夜间施工噪声扰民', description: '丰乐街道某在建工地晚上十一点以后还在打桩，附近居民无法休息，已经持续三个晚上。', address: '丰乐街道安康路在建工地', reporter: { name: '刘先生', phone: '13800000005' }, daysAgo: 21.3, outcome: 'closed', rating: 'satisfied', result: '已责令施工单位停止夜间施工，对其违规行为立案调查。', pace: 0.5 }),
  C({ town: '500154100', category: 'FW0101', channel: 'hotline_12345', requestType: 'help', title: '村里停水两天', description: '大德镇某村三组从前天开始停水，没有接到任何通知，老人做饭洗衣都很困难。', address: '大德镇某村三组', reporter: { name: '周先生', phone: '13800000006' }, daysAgo: 19.9, outcome: 'closed', rating: 'satisfied', result: '主管道接头漏水已抢修完成，恢复供水；已向村民说明原因。', pace: 0.6 }),
  C({ town: '500154006', category: 'SJ0201', channel: 'grid_patrol', title: '楼道墙面小广告', description: '白鹤街道某小区 3 栋楼道内墙面被贴满开锁、办证小广告。', address: '白鹤街道某小区 3 栋', daysAgo: 18.4, outcome: 'closed', result: '已组织清理楼道小广告，共清除 40 余张。', pace: 0.4 }),
  C({ town: '500154007', category: 'BJ0401', channel: 'phone', title: '大风吹倒行道树', description: '赵家街道主干道边一棵行道树被大风吹倒，压住了半条车道。', address: '赵家街道主干道', reporter: { name: '赵先生', phone: '13800000007' }, daysAgo: 16.7, outcome: 'closed', rating: 'satisfied', result: '已移除倒伏树木，恢复通行，补植工作列入计划。', pace: 0.3 }),
  C({ town: '500154104', category: 'FW0104', channel: 'web', requestType: 'consult', title: '高龄津贴如何申请', description: '我父亲今年 80 岁了，想问一下高龄津贴在哪里申请，需要带什么材料？', address: '温泉镇', reporter: { name: '孙女士', phone: '13800000008' }, daysAgo: 15.2, outcome: 'answered' }),
  C({ town: '500154008', category: 'SJ0402', channel: 'web', requestType: 'complaint', title: '消防通道被车辆占用', description: '正安街道某小区消防通道长期停满私家车，万一发生火灾消防车进不来。', address: '正安街道某小区消防通道', reporter: { name: '吴先生', phone: '13800000009' }, daysAgo: 13.6, outcome: 'closed', rating: 'basically_satisfied', result: '已对违停车辆张贴告知书，并协调物业设置隔离桩。', pace: 0.9 }),
  C({ town: '500154001', category: 'SJ0102', channel: 'grid_patrol', title: '步行街路面油污', description: '汉丰街道步行街中段地面有大片油污，行人容易滑倒。', address: '汉丰步行街中段', daysAgo: 12.2, outcome: 'closed', result: '已用除油剂清洗路面。', pace: 1.4 }),
  C({ town: '500154117', category: 'SJ0601', channel: 'hotline_12350', requestType: 'report', title: '加工厂违规存放易燃物', description: '临江镇某木材加工厂车间内堆放大量油漆桶和木屑，没有消防器材，工人在旁边抽烟。', address: '临江镇工业园', daysAgo: 11.4, outcome: 'signed', pace: 0.3 }),
  C({ town: '500154002', category: 'BJ0301', channel: 'web', title: '垃圾桶破损', description: '文峰街道公园门口两个分类垃圾桶盖子坏了，垃圾溢出来。', address: '文峰公园正门', reporter: { name: '郑女士', phone: '13800000010' }, daysAgo: 9.5, outcome: 'closed', rating: 'satisfied', result: '已更换垃圾桶两个。', pace: 0.5 }),
  C({ town: '500154003', category: 'SJ0103', channel: 'grid_patrol', title: '屋顶私搭彩钢棚', description: '云枫街道某小区顶楼住户在屋顶搭建彩钢棚约 30 平方米，邻居反映有安全隐患。', address: '云枫街道某小区 5 栋屋顶', daysAgo: 8.7, outcome: 'extension', pace: 0.6 }),
  C({ town: '500154001', category: 'BJ0105', channel: 'hotline_12345', requestType: 'report', title: '电线杆倾斜', description: '汉丰街道老街一根电线杆明显倾斜，电线垂得很低，担心倒下来。', address: '汉丰老街 18 号附近', reporter: { name: '冯先生', phone: '13800000011' }, daysAgo: 1.6, outcome: 'reported_back', pace: 0.5 }),
  C({ town: '500154005', category: 'SJ0302', channel: 'web', requestType: 'complaint', title: '工地扬尘严重', description: '丰乐街道某工地渣土没有覆盖，刮风时灰尘很大，附近学校的孩子都戴口罩。', address: '丰乐街道学府路工地', reporter: { name: '何女士', phone: '13800000012' }, daysAgo: 5.8, outcome: 'returned_verify', pace: 0.7 }),
  C({ town: '500154004', category: 'BJ0203', channel: 'phone', title: '桥梁护栏被撞坏', description: '镇东街道一座小桥的护栏被车撞断一段，没有任何警示。', address: '镇东街道东河小桥', reporter: { name: '许先生', phone: '13800000013' }, daysAgo: 1.3, outcome: 'verified', pace: 0.6 }),
  C({ town: '500154102', category: 'FW0102', channel: 'hotline_12345', requestType: 'help', title: '整村停电', description: '厚坝镇某村昨晚开始停电，到现在还没有来电，冰箱里的东西都要坏了。', address: '厚坝镇某村', reporter: { name: '谢先生', phone: '13800000014' }, daysAgo: 4.1, outcome: 'signed', pace: 2 }),
  C({ town: '500154006', category: 'SJ0101', channel: 'hotline_12345', requestType: 'complaint', title: '河边垃圾无人清理', description: '白鹤街道河堤步道旁边有人倾倒建筑垃圾和生活垃圾，已经堆了一个多星期。', address: '白鹤街道河堤步道', reporter: { name: '韩女士', phone: '13800000015' }, daysAgo: 0.35, outcome: 'dispatched' }),
  C({ town: '500154001', category: 'BJ0102', channel: 'grid_patrol', title: '公园路灯闪烁', description: '汉丰湖公园环湖步道有三盏路灯一直闪烁。', address: '汉丰湖公园环湖步道', daysAgo: 1.2, outcome: 'signed', pace: 0.4 }),
  C({ town: '500154007', category: 'SJ0501', channel: 'phone', title: '下穿道积水', description: '赵家街道下穿通道积水约 30 厘米，有车辆熄火。', address: '赵家街道下穿通道', reporter: { name: '曹先生', phone: '13800000016' }, daysAgo: 2.5, outcome: 'closed', rating: 'satisfied', result: '已启用移动泵车排水，通道恢复通行。', pace: 0.4 }),
  C({ town: '500154120', category: 'FW0106', channel: 'web', requestType: 'complaint', title: '超市销售过期食品', description: '南雅镇场镇上一家超市货架上的面包已经过期三天还在卖。', address: '南雅镇场镇', reporter: { name: '邓女士', phone: '13800000017' }, daysAgo: 0.3, outcome: 'dispatched' }),
  C({ town: '500154008', category: 'FW0901', channel: 'web', requestType: 'suggestion', title: '建议增设公交站台', description: '正安街道新建小区入住的人越来越多，附近没有公交站，建议在小区门口增设一个站台。', address: '正安街道新建小区门口', reporter: { name: '彭先生', phone: '13800000018' }, daysAgo: 1.8, outcome: 'filed' }),
  C({ town: '500154002', category: 'SJ0401', channel: 'grid_patrol', title: '学校门口流动摊贩', description: '文峰街道某小学门口放学时段有流动摊贩售卖油炸食品。', address: '文峰街道某小学门口', daysAgo: 0.15, outcome: 'dispatched' }),
  C({ town: '500154003', category: 'BJ0104', channel: 'phone', title: '闻到燃气味', description: '云枫街道某小区 2 单元楼道里有明显燃气味，请燃气公司来看看。', address: '云枫街道某小区 2 单元', reporter: { name: '蒋女士', phone: '13800000019' }, daysAgo: 0.2, outcome: 'reported_back', pace: 0.2 }),
  C({ town: '500154109', category: 'FW0105', channel: 'hotline_12345', requestType: 'consult', title: '村卫生室开放时间', description: '大进镇某村卫生室最近经常关门，想问一下开放时间，医生什么时候在？', address: '大进镇某村卫生室', reporter: { name: '沈先生', phone: '13800000020' }, daysAgo: 0.1, outcome: 'accepted' }),
  C({ town: '500154001', category: 'SJ0104', channel: 'web', title: '渣土车沿路撒漏', description: '汉丰街道开州大道夜间渣土车经过后路面撒满泥土，早上车辆经过尘土飞扬。', address: '开州大道', reporter: { name: '韦女士', phone: '13800000021' }, daysAgo: 0.6, outcome: 'reported' }),
  C({ town: '500154005', category: 'BJ0302', channel: 'web', title: '公厕冲水坏了', description: '丰乐街道广场旁公共厕所冲水器坏了好几天，味道很大。', address: '丰乐广场公共厕所', daysAgo: 0.4, outcome: 'reported' }),
  C({ town: '500154004', category: 'SJ0402', channel: 'web', requestType: 'complaint', title: '车辆停在盲道上', description: '镇东街道商业街盲道上长期停满电动车和汽车。', address: '镇东街道商业街', reporter: { name: '杨先生', phone: '13800000022' }, daysAgo: 0.25, outcome: 'reported' }),
  C({ town: '500154001', category: 'FW0901', channel: 'web', requestType: 'praise', title: '表扬环卫工人', description: '汉丰街道负责滨湖路的环卫师傅每天很早就打扫，路面特别干净，想表扬一下。', address: '滨湖路', reporter: { name: '朱女士', phone: '13800000023' }, daysAgo: 7.3, outcome: 'answered' }),
  C({ town: '500154006', category: 'FW0901', channel: 'web', title: '测试', description: '测试测试', address: '', daysAgo: 10.1, outcome: 'rejected' }),
];

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface DemoIncidentDeps {
  readonly organization: OrganizationService;
  readonly catalog: CatalogService;
  /** The incident service running on a given clock (the seeder walks its own clock through the past month). */
  readonly incidentsAt: (clock: Clock) => IncidentService;
  /** A point inside a town's territory (WGS-84), when the district's geography is loaded. */
  readonly pointIn?: (townCode: string, seed: number) => Promise<{ lon: number; lat: number } | null>;
  readonly now: Date;
}

/** One step of a case: how long after the previous step it happens (decided when the previous one is done). */
type Step = { after: () => number; run: () => Promise<void> };

/** Replays the demo cases; returns how many incidents were created. */
export async function seedDemoIncidents(deps: DemoIncidentDeps, cases: readonly DemoCase[] = DEMO_CASES): Promise<number> {
  const clock = new FakeClock(deps.now);
  const incidents = deps.incidentsAt(clock);
  const unitCache = new Map<number, Promise<Unit>>();
  const unitById = (id: number) => {
    if (!unitCache.has(id)) unitCache.set(id, deps.organization.getUnitById(id));
    return unitCache.get(id)!;
  };

  /** A post for the people who would act: the unit's role, with its town when inside one. */
  async function actorAt(unitId: number, role: RoleName): Promise<{ actor: PolicyActor; by: Initiator }> {
    const unit = await unitById(unitId);
    const ancestors = await deps.organization.ancestors(unit);
    const town = [unit, ...ancestors].find((u) => (TOWN_KINDS as readonly string[]).includes(u.kind));
    const post: PolicyPost = { role, unitId: unit.id, unitPath: unit.path, townPath: town?.path ?? null };
    return { actor: { userId: 0, posts: [post], grants: [] }, by: { userId: null, label: `${unit.name}（演示）`, ip: null } };
  }
  const roleFor = async (unitId: number): Promise<RoleName> => ((await unitById(unitId)).kind === 'board' ? 'board_handler' : 'department_handler');

  const timelines: { next: number; steps: Step[] }[] = [];
  let created = 0;
  for (const [i, c] of cases.entries()) {
    const start = deps.now.getTime() - c.daysAgo * DAY;
    const state: { incident?: Incident } = {};
    // A step comes after 20–70 % of the time its stage allows (at most 6 hours, at least 3 minutes): on time.
    const gap = (k: number) => () => {
      const due = state.incident?.dueAt?.getTime();
      const left = due === undefined ? HOUR : due - clock.now().getTime();
      return Math.max(3 * 60_000, Math.min(6 * HOUR, (0.2 + ((i * 7 + k * 13) % 6) / 10) * left));
    };
    const category = (await deps.catalog.getByCode(c.category)).current;
    const town = await deps.organization.getUnitByCode(c.town);
    const location = deps.pointIn ? await deps.pointIn(c.town, i) : null;

    const act = async (kind: 'coordinator' | 'lead' | 'area', cmd: Parameters<IncidentService['act']>[1]) => {
      const inc = state.incident!;
      const unitId = kind === 'coordinator' ? inc.coordinatorUnitId : kind === 'lead' ? inc.leadUnitId : inc.areaUnitId;
      if (unitId === null) throw new Error(`demo case ${i}: no ${kind} unit`);
      const role: RoleName = kind === 'coordinator' ? 'town_dispatcher' : kind === 'lead' ? await roleFor(unitId) : 'grid_worker';
      const { actor, by } = await actorAt(unitId, role);
      state.incident = await incidents.act(inc.id, { ...cmd, expectedVersion: inc.version }, actor, by);
    };

    const steps: Step[] = [];
    timelines.push({ next: start, steps });
    const at = (ms: number | (() => number), run: () => Promise<void>) => steps.push({ after: typeof ms === 'number' ? () => ms : ms, run });
    at(0, async () => {
      const patrol = c.channel === 'grid_patrol';
      const result = await incidents.report(
        {
          channel: c.channel,
          requestType: c.requestType ?? null,
          categoryId: category.categoryId ?? null,
          title: c.title,
          description: c.description,
          address: c.address || null,
          location,
          areaUnitId: location ? null : town.id,
          reporter: c.reporter ? { name: c.reporter.name, phone: c.reporter.phone } : { anonymous: true },
          then: patrol && c.outcome !== 'reported' ? { file: true } : undefined,
          isDemo: true,
        },
        { userId: null, label: patrol ? `${town.name}网格员（演示）` : '演示数据', ip: null },
      );
      state.incident = result.incident;
      created++;
    });
    const order: Outcome[] = ['reported', 'accepted', 'filed', 'dispatched', 'signed', 'reported_back', 'verified', 'closed'];
    const target = c.outcome === 'extension' ? 'signed' : c.outcome === 'returned_verify' ? 'reported_back' : c.outcome;
    const reach = (o: Outcome) => order.indexOf(target) >= order.indexOf(o) && order.includes(target);
    if (c.outcome === 'rejected') {
      at(gap(1), () => act('coordinator', { action: 'reject', reason: '内容无效，无法受理' }));
      continue;
    }
    if (c.outcome === 'answered') {
      at(gap(1), () => act('coordinator', { action: 'accept' }));
      at(gap(2), () => act('coordinator', { action: 'answer', reply: c.requestType === 'praise' ? '感谢您的肯定，已转告相关单位和环卫作业人员。' : '已电话答复：请携带身份证、户口簿到户籍所在地村（社区）便民服务中心申请，工作人员会协助办理。' }));
      continue;
    }
    if (c.channel !== 'grid_patrol') {
      if (reach('accepted')) at(gap(1), () => act('coordinator', { action: 'accept' }));
      if (reach('filed')) at(gap(2), () => act('coordinator', { action: 'file', categoryId: category.categoryId }));
    }
    if (reach('dispatched')) at(gap(3), () => act('coordinator', { action: 'dispatch' }));
    if (reach('signed')) at(gap(4), () => act('lead', { action: 'sign' }));
    if (c.outcome === 'extension') at(gap(5), () => act('lead', { action: 'request_extension', reason: '当事人拒不自行拆除，需履行告知和催告程序', extra: { amount: 10, unit: 'days' } }));
    if (reach('reported_back') || c.outcome === 'returned_verify') {
      // At `pace` times the time the handling deadline allowed from signing (wall-clock, so nights count).
      at(
        () => Math.max(HOUR / 2, (c.pace ?? 0.6) * ((state.incident!.handleDueAt?.getTime() ?? clock.now().getTime() + 48 * HOUR) - clock.now().getTime())),
        () => act('lead', { action: 'report_back', result: c.result ?? '已按要求处理完毕。' }),
      );
    }
    if (c.outcome === 'returned_verify') {
      at(gap(6), () => act('area', { action: 'verify_fail', reason: '现场核查：部分渣土仍未覆盖，请继续整改' }));
    }
    if (reach('verified')) at(gap(6), () => act('area', { action: 'verify_pass' }));
    if (reach('closed')) at(gap(7), () => act('coordinator', { action: 'close' }));
    if (reach('closed') && c.rating) at(6 * HOUR + i * 600_000, () => act('coordinator', { action: 'rate', rating: c.rating, ratingComment: c.ratingComment }));
  }

  // Replay all cases in time order, each step timed from the one before; nothing lies in the future.
  const end = deps.now.getTime();
  for (;;) {
    const live = timelines.filter((tl) => tl.steps.length > 0);
    if (live.length === 0) break;
    const tl = live.reduce((a, b) => (b.next < a.next ? b : a));
    clock.set(new Date(tl.next));
    await tl.steps.shift()!.run();
    // On the embedded engine every query settles as a microtask, so without a pause the replay (run while the
    // server already answers) would hold the event loop until it ends: let requests in between steps.
    await new Promise<void>((resolve) => setImmediate(resolve));
    // A step that would fall after now happens sooner (halfway to now), so every case reaches its outcome
    // whatever day of the week the demo is seeded on.
    if (tl.steps.length > 0) tl.next = Math.min(tl.next + tl.steps[0]!.after(), tl.next + (end - tl.next) / 2);
  }
  return created;
}
