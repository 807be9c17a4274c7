/**
 * Demo content written by this project (no third-party text): a few news items, notices, a policy with its
 * interpretation and an older policy it replaced, service guides, a reply in 互动交流, and a profile page for every
 * town and demo department. Names of people are placeholders marked 演示; nothing here describes the real Kaizhou.
 */
import type { Leader } from './column.js';

export interface DemoDocument {
  readonly key: string;
  readonly column: string;
  readonly kind: 'article' | 'policy' | 'interpretation' | 'guide';
  readonly daysAgo: number;
  readonly title: string;
  readonly source: string;
  readonly author?: string;
  readonly docNumber?: string;
  readonly summary: string;
  readonly body: string;
  readonly pinned?: boolean;
  readonly interprets?: string;
  readonly policyStatus?: 'in_force' | 'amended' | 'repealed';
  readonly policyStatusNote?: string;
  /** The key of the document that replaced this one. */
  readonly supersededBy?: string;
  readonly unitCode?: string;
}

const NOTE = '<p><em>本文为演示内容，由开州智治项目编写，不代表开州区真实情况。</em></p>';

export const DEMO_DOCUMENTS: readonly DemoDocument[] = [
  {
    key: 'news-grid',
    column: 'news',
    kind: 'article',
    daysAgo: 1,
    pinned: true,
    title: '全区网格化治理工作推进会召开 “小事不出村、大事不出镇”再提速',
    source: '开州智治演示编辑部',
    author: '演示记者',
    summary: '会议通报了各镇街网格事件的发现、办理和回访情况，部署下一阶段工作。',
    body: `${NOTE}
<p>近日，全区网格化治理工作推进会召开。会议通报了上一季度各镇乡街道网格事件的发现、流转、办理和回访情况：网格员主动发现的问题占比继续提高，群众反映的问题大多在村（社区）和镇街一级得到解决。</p>
<h2>把问题解决在基层</h2>
<p>会议要求，各镇街基层治理指挥中心要用好“一件事”闭环机制，做到接单即响应、派单即处置、办结即回访；对跨部门的问题，及时提请区城市运行和治理中心协调，不推诿、不积压。</p>
<h2>让网格员减负增效</h2>
<p>会议强调，要精简网格员的填报事项，把时间还给走访和巡查；同时加强培训，提升网格员识别安全隐患、化解矛盾纠纷的能力。</p>`,
  },
  {
    key: 'news-lake',
    column: 'news',
    kind: 'article',
    daysAgo: 3,
    title: '汉丰湖周边步道完成提质改造 市民休闲更方便',
    source: '开州智治演示编辑部',
    summary: '改造后的步道增设了无障碍坡道、休息座椅和夜间照明。',
    body: `${NOTE}
<p>汉丰湖周边步道提质改造近日完工。改造后的步道增设了无障碍坡道、休息座椅和夜间照明，并在主要出入口设置了导览标识，方便老年人和行动不便的市民出行。</p>
<p>施工期间，相关部门通过网格员逐户告知周边居民，收集意见建议 60 余条，其中增设饮水点、调整照明时段等建议已被采纳。</p>`,
  },
  {
    key: 'news-flood',
    column: 'news',
    kind: 'article',
    daysAgo: 6,
    title: '全区开展汛前安全隐患排查 重点检查地灾点和病险水库',
    source: '开州智治演示编辑部',
    summary: '排查覆盖地质灾害隐患点、病险水库、在建工地和城市低洼易涝区域。',
    body: `${NOTE}
<p>入汛前，全区组织开展安全隐患排查，覆盖地质灾害隐患点、病险水库、在建工地和城市低洼易涝区域。排查发现的问题已全部建立台账，明确责任单位和整改时限。</p>
<ul><li>地质灾害隐患点落实群测群防员；</li><li>城市易涝点配备抽排设备和值守人员；</li><li>在建工地完善围挡和排水设施。</li></ul>`,
  },
  {
    key: 'news-service',
    column: 'news',
    kind: 'article',
    daysAgo: 10,
    title: '“一件事一次办”扩围 新增企业开办等 5 个事项',
    source: '开州智治演示编辑部',
    summary: '群众和企业办理相关事项时，只需提交一次材料、跑一次窗口。',
    body: `${NOTE}
<p>“一件事一次办”改革再扩围，新增企业开办、不动产登记、新生儿出生等 5 个事项。群众和企业办理时，只需在综合窗口提交一次材料，后台由相关部门协同办理。</p>`,
  },
  {
    key: 'town-news-1',
    column: 'town-news',
    kind: 'article',
    daysAgo: 4,
    unitCode: '500154001',
    title: '汉丰街道开展“敲门行动” 上门了解独居老人需求',
    source: '汉丰街道（演示）',
    summary: '网格员和志愿者走访辖区独居老人，登记生活需求并帮助解决。',
    body: `${NOTE}
<p>汉丰街道组织网格员和志愿者开展“敲门行动”，走访辖区独居老人，登记就医、助餐、家电维修等生活需求，能当场解决的当场解决，不能当场解决的纳入网格事件办理。</p>`,
  },
  {
    key: 'town-news-2',
    column: 'town-news',
    kind: 'article',
    daysAgo: 8,
    unitCode: '500154104',
    title: '温泉镇召开院坝会 群众议定村道维修方案',
    source: '温泉镇（演示）',
    summary: '村民在院坝会上讨论并议定了村道维修的先后顺序。',
    body: `${NOTE}
<p>温泉镇在多个村召开院坝会，请村民一起讨论村道维修的先后顺序。会上，村民对方案提出意见，镇村干部当场答复，最终形成的方案在村务公开栏公示。</p>`,
  },
  {
    key: 'notice-water',
    column: 'notices',
    kind: 'article',
    daysAgo: 2,
    pinned: true,
    title: '关于部分区域临时停水的通知（演示）',
    source: '开州自来水公司（演示）',
    summary: '因管网改造，部分区域将临时停水，请提前做好储水准备。',
    body: `${NOTE}
<p>因供水管网改造施工，下周二 8:00 至 18:00，滨湖路以东部分区域将临时停水。请相关区域的居民和单位提前做好储水准备。施工如有变化，将另行通知。</p>
<p>咨询电话：023-0000 0000（演示号码）。</p>`,
  },
  {
    key: 'notice-hearing',
    column: 'notices',
    kind: 'article',
    daysAgo: 5,
    title: '关于征求《城市社区嵌入式服务设施建设方案（征求意见稿）》意见的公告（演示）',
    source: '区住房城乡建委（演示）',
    summary: '欢迎社会各界提出意见建议，征求意见期为 30 日。',
    body: `${NOTE}
<p>为提升社区服务水平，现将《城市社区嵌入式服务设施建设方案（征求意见稿）》向社会公开征求意见。征求意见期为 30 日，意见建议可通过“互动交流”栏目提交。</p>`,
  },
  {
    key: 'notice-holiday',
    column: 'notices',
    kind: 'article',
    daysAgo: 12,
    title: '政务服务中心节假日值班安排（演示）',
    source: '区政务服务中心（演示）',
    summary: '节假日期间，政务服务中心设值班窗口，办理急需事项。',
    body: `${NOTE}
<p>节假日期间，区政务服务中心设值班窗口，办理户籍、社保等急需事项；其他事项可通过网上办事大厅办理。</p>`,
  },
  {
    key: 'policy-old',
    column: 'policies',
    kind: 'policy',
    daysAgo: 400,
    docNumber: '开州演示发〔2024〕1号',
    policyStatus: 'repealed',
    supersededBy: 'policy-renewal',
    policyStatusNote: '已被《开州区城市更新实施办法（演示）》（开州演示发〔2026〕3号）废止。',
    title: '开州区老旧小区改造暂行办法（演示）',
    source: '开州区人民政府（演示）',
    summary: '规范老旧小区改造的范围、程序和资金使用。本文件已废止。',
    body: `${NOTE}
<p>第一条\u3000为规范老旧小区改造工作，制定本办法。</p>
<p>第二条\u3000本办法所称老旧小区，是指建成年代较早、失养失修失管、市政配套设施不完善的住宅小区。</p>`,
  },
  {
    key: 'policy-renewal',
    column: 'policies',
    kind: 'policy',
    daysAgo: 7,
    docNumber: '开州演示发〔2026〕3号',
    title: '开州区城市更新实施办法（演示）',
    source: '开州区人民政府（演示）',
    summary: '明确城市更新的原则、项目生成、居民参与和资金保障。',
    body: `${NOTE}
<h2>第一章\u3000总则</h2>
<p>第一条\u3000为推进城市更新，改善人居环境，提升城市品质，结合本区实际，制定本办法。</p>
<p>第二条\u3000城市更新坚持“留改拆”并举、以保留利用提升为主，坚持居民自愿、共建共享。</p>
<h2>第二章\u3000项目生成</h2>
<p>第三条\u3000城市更新项目由镇街会同有关部门提出，经征求居民意见后纳入年度计划。涉及居民切身利益的，应当召开居民议事会。</p>
<h2>第三章\u3000保障措施</h2>
<p>第四条\u3000区财政统筹安排城市更新资金，鼓励社会资本依法参与。</p>
<p>第五条\u3000本办法自印发之日起施行。《开州区老旧小区改造暂行办法（演示）》同时废止。</p>`,
  },
  {
    key: 'interpretation-renewal',
    column: 'interpretations',
    kind: 'interpretation',
    daysAgo: 7,
    interprets: 'policy-renewal',
    title: '一图读懂《开州区城市更新实施办法（演示）》',
    source: '区住房城乡建委（演示）',
    summary: '城市更新怎么改、谁来定、钱从哪里来：用问答说清楚。',
    body: `${NOTE}
<h2>一、为什么要出台这个办法？</h2>
<p>过去的老旧小区改造办法只管“小区”，城市更新还涉及街区、公共空间和配套设施。新办法把这些都纳入进来，并强调居民参与。</p>
<h2>二、居民怎么参与？</h2>
<p>项目生成前要征求居民意见；涉及居民切身利益的，要召开居民议事会。居民也可以通过网格员或“互动交流”栏目提出更新需求。</p>
<h2>三、原来的办法还有效吗？</h2>
<p>不再有效。新办法施行后，《开州区老旧小区改造暂行办法（演示）》同时废止。</p>`,
  },
  {
    key: 'guide-residence',
    column: 'services',
    kind: 'guide',
    daysAgo: 20,
    title: '居住证办理指南（演示）',
    source: '区公安局（演示）',
    summary: '办理条件、所需材料、办理地点和时限。',
    body: `${NOTE}
<h2>办理条件</h2><p>在本区居住半年以上，符合有合法稳定就业、合法稳定住所、连续就读条件之一。</p>
<h2>所需材料</h2><ul><li>居民身份证；</li><li>居住证明材料；</li><li>近期免冠照片。</li></ul>
<h2>办理地点和时限</h2><p>居住地派出所户籍窗口；材料齐全的，15 个工作日内办结。</p>`,
  },
  {
    key: 'guide-pension',
    column: 'services',
    kind: 'guide',
    daysAgo: 30,
    title: '城乡居民养老保险参保登记指南（演示）',
    source: '区人力社保局（演示）',
    summary: '参保对象、办理渠道和缴费档次。',
    body: `${NOTE}
<h2>参保对象</h2><p>年满 16 周岁（不含在校学生）、未参加职工基本养老保险的城乡居民。</p>
<h2>办理渠道</h2><p>户籍所在地村（社区）便民服务点、镇街社保所，或网上办事大厅。</p>`,
  },
  {
    key: 'reply-streetlight',
    column: 'interaction',
    kind: 'article',
    daysAgo: 9,
    title: '热点回应：关于滨湖路部分路灯不亮的答复（演示）',
    source: '区城市管理局（演示）',
    summary: '群众反映的路灯故障已修复，并建立了夜间巡查机制。',
    body: `${NOTE}
<p>近期有群众反映滨湖路部分路段路灯夜间不亮。经现场核查，系线路老化所致，维修单位已更换线路，路灯恢复正常。我们已建立夜间巡查机制，发现故障 24 小时内修复。感谢您的监督。</p>`,
  },
];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];

/** Placeholder leaders for a demo profile: clearly marked, never a real person's name. */
export function demoLeaders(seed: number, kind: 'town' | 'department'): Leader[] {
  const a = SURNAMES[seed % SURNAMES.length]!;
  const b = SURNAMES[(seed + 3) % SURNAMES.length]!;
  return kind === 'town'
    ? [
        { name: `${a}某某（演示）`, title: '党（工）委书记', portfolio: '主持全面工作' },
        { name: `${b}某某（演示）`, title: '镇长（主任）', portfolio: '主持政府（办事处）工作，分管基层治理指挥中心' },
      ]
    : [{ name: `${a}某某（演示）`, title: '主要负责人', portfolio: '主持全面工作' }];
}

export function demoTownIntro(name: string): string {
  return `${name}是开州区的镇乡街道之一。本页为演示内容：介绍、负责人和联系方式均为占位信息，由开州智治项目生成，供展示“部门街镇”页面之用。`;
}

export const DEMO_WORDS: readonly { kind: 'sensitive' | 'typo'; word: string; suggestion: string | null; note: string | null }[] = [
  { kind: 'sensitive', word: '演示敏感词', suggestion: null, note: '演示用：检查是否生效' },
  { kind: 'sensitive', word: '代开发票', suggestion: null, note: '违法广告' },
  { kind: 'sensitive', word: '网络赌博', suggestion: null, note: '违法内容' },
  { kind: 'typo', word: '按装', suggestion: '安装', note: null },
  { kind: 'typo', word: '既使', suggestion: '即使', note: null },
  { kind: 'typo', word: '再接再励', suggestion: '再接再厉', note: null },
  { kind: 'typo', word: '谈笑风声', suggestion: '谈笑风生', note: null },
  { kind: 'typo', word: '迫不急待', suggestion: '迫不及待', note: null },
  { kind: 'typo', word: '一股作气', suggestion: '一鼓作气', note: null },
  { kind: 'typo', word: '人才倍出', suggestion: '人才辈出', note: null },
  { kind: 'typo', word: '美仑美奂', suggestion: '美轮美奂', note: null },
  { kind: 'typo', word: '截止目前', suggestion: '截至目前', note: '公文常见' },
];
