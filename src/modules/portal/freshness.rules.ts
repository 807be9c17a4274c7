/**
 * The freshness monitor's rules, from the quarterly inspection indicators for government websites
 * (国办秘函〔2019〕19号, ../shared/reference/domain.md §9.2). Any of these fails a site outright (单项否决):
 * the home page not updated for 2 weeks; 5 or more news/notice/policy columns stale, or 5 or more empty columns;
 * a valid public message unanswered for more than 3 months. Dead links cost points. Pure: facts and `now` come in.
 */
export type FindingLevel = 'fail' | 'warn' | 'ok' | 'info';

export interface FreshnessFinding {
  readonly check: 'home' | 'columns' | 'column' | 'links' | 'messages';
  readonly level: FindingLevel;
  /** Locale key of the message, e.g. FRESH.HOME_STALE. */
  readonly code: string;
  readonly params: Readonly<Record<string, string | number>>;
  /** Where an editor goes to fix it. */
  readonly href?: string;
}

export interface ColumnFacts {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly kind: string;
  readonly freshnessDays: number | null;
  readonly lastPublishedAt: Date | null;
  readonly liveCount: number;
}

export interface LinkFacts {
  readonly url: string;
  readonly status: number | null;
  readonly error: string | null;
  readonly failures: number;
  /** Where the link sits: a footer group or a document. */
  readonly where: string;
  readonly href: string;
}

export interface MessageFacts {
  /** Whether a public-message channel reports to the monitor at all. */
  readonly connected: boolean;
  readonly overdue: readonly { readonly title: string; readonly receivedAt: Date; readonly href?: string }[];
}

export interface FreshnessFacts {
  /** The newest publication among the columns shown on the home page. */
  readonly homeLastPublishedAt: Date | null;
  readonly columns: readonly ColumnFacts[];
  readonly deadLinks: readonly LinkFacts[];
  readonly messages: MessageFacts;
}

export const HOME_STALE_DAYS = 14;
export const STALE_COLUMNS_FAIL = 5;
export const EMPTY_COLUMNS_FAIL = 5;
/** Columns whose staleness the inspection counts (动态、通知公告、政策文件 类栏目). */
const COUNTED_KINDS = ['news', 'notice', 'policy', 'interpretation'];
const DAY = 86_400_000;

/** Three calendar months before `now` (a message received before this and still unanswered fails the site). */
export function threeMonthsBefore(now: Date): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - 3);
  return d;
}

const days = (from: Date, to: Date) => Math.floor((to.getTime() - from.getTime()) / DAY);

export function evaluateFreshness(facts: FreshnessFacts, now: Date): FreshnessFinding[] {
  const out: FreshnessFinding[] = [];
  if (!facts.homeLastPublishedAt) out.push({ check: 'home', level: 'fail', code: 'FRESH.HOME_EMPTY', params: {}, href: '/workbench/content/new' });
  else {
    const age = days(facts.homeLastPublishedAt, now);
    if (age >= HOME_STALE_DAYS) out.push({ check: 'home', level: 'fail', code: 'FRESH.HOME_STALE', params: { days: age, limit: HOME_STALE_DAYS }, href: '/workbench/content/new' });
    else out.push({ check: 'home', level: 'ok', code: 'FRESH.HOME_OK', params: { days: age, limit: HOME_STALE_DAYS } });
  }

  let stale = 0;
  let empty = 0;
  for (const c of facts.columns) {
    if (c.freshnessDays === null) continue;
    const href = `/workbench/content/new?column=${c.id}`;
    if (c.liveCount === 0 || !c.lastPublishedAt) {
      empty++;
      out.push({ check: 'column', level: 'warn', code: 'FRESH.COLUMN_EMPTY', params: { column: c.name }, href });
      continue;
    }
    const age = days(c.lastPublishedAt, now);
    if (age > c.freshnessDays) {
      if (COUNTED_KINDS.includes(c.kind)) stale++;
      out.push({ check: 'column', level: 'warn', code: 'FRESH.COLUMN_STALE', params: { column: c.name, days: age, limit: c.freshnessDays }, href });
    }
  }
  if (stale >= STALE_COLUMNS_FAIL) out.push({ check: 'columns', level: 'fail', code: 'FRESH.MANY_STALE', params: { count: stale, limit: STALE_COLUMNS_FAIL } });
  if (empty >= EMPTY_COLUMNS_FAIL) out.push({ check: 'columns', level: 'fail', code: 'FRESH.MANY_EMPTY', params: { count: empty, limit: EMPTY_COLUMNS_FAIL } });
  if (stale < STALE_COLUMNS_FAIL && empty < EMPTY_COLUMNS_FAIL) out.push({ check: 'columns', level: 'ok', code: 'FRESH.COLUMNS_OK', params: { stale, empty } });

  for (const l of facts.deadLinks) {
    out.push({ check: 'links', level: 'warn', code: 'FRESH.LINK_DEAD', params: { url: l.url, where: l.where, status: l.status ?? l.error ?? '-', failures: l.failures }, href: l.href });
  }
  if (facts.deadLinks.length === 0) out.push({ check: 'links', level: 'ok', code: 'FRESH.LINKS_OK', params: {} });

  if (!facts.messages.connected) out.push({ check: 'messages', level: 'info', code: 'FRESH.MESSAGES_NOT_CONNECTED', params: {} });
  else if (facts.messages.overdue.length === 0) out.push({ check: 'messages', level: 'ok', code: 'FRESH.MESSAGES_OK', params: {} });
  else {
    for (const m of facts.messages.overdue) {
      out.push({ check: 'messages', level: 'fail', code: 'FRESH.MESSAGE_UNANSWERED', params: { title: m.title, days: days(m.receivedAt, now) }, ...(m.href ? { href: m.href } : {}) });
    }
  }
  return out;
}

export const failed = (findings: readonly FreshnessFinding[]) => findings.some((f) => f.level === 'fail');
