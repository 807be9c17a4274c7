/** The freshness monitor: gathers the facts, applies the inspection rules and keeps each report. */
import type { Clock } from '../../kernel/clock.js';
import type { Database } from '../../kernel/db.js';
import type { ContentService } from './content.service.js';
import { evaluateFreshness, failed, threeMonthsBefore, type FreshnessFinding } from './freshness.rules.js';
import type { LinkCheckService } from './link-check.service.js';
import type { MessageBacklog } from './portal.js';
import * as repo from './site.repository.js';
import type { SiteService } from './site.service.js';

export interface FreshnessReport {
  readonly checkedAt: Date;
  readonly findings: readonly FreshnessFinding[];
  readonly failed: boolean;
}

export interface FreshnessService {
  /** Checks now, stores the report and returns it. */
  run(): Promise<FreshnessReport>;
  latest(): Promise<FreshnessReport | undefined>;
}

/** Columns whose news the home page shows; their newest publication is the home page's "last updated". */
export const HOME_KINDS = ['news', 'notice', 'policy', 'interpretation'];

export function createFreshnessService(deps: {
  database: Database;
  clock: Clock;
  site: SiteService;
  content: ContentService;
  links: LinkCheckService;
  messages: MessageBacklog | undefined;
}): FreshnessService {
  const { database, clock } = deps;
  return {
    async run() {
      const now = clock.now();
      const [{ columns }, activity, dead] = await Promise.all([deps.site.furniture(), deps.content.columnActivity(), deps.links.deadLinks()]);
      const visible = columns.filter((c) => !c.hidden);
      const homeDates = visible.filter((c) => HOME_KINDS.includes(c.kind)).map((c) => activity.get(c.id)?.lastPublishedAt).filter((d): d is Date => d instanceof Date);
      const overdue = deps.messages ? await deps.messages.unansweredSince(threeMonthsBefore(now)) : [];
      const findings = evaluateFreshness(
        {
          homeLastPublishedAt: homeDates.length ? new Date(Math.max(...homeDates.map((d) => d.getTime()))) : null,
          columns: visible.map((c) => ({ id: c.id, slug: c.slug, name: c.name, kind: c.kind, freshnessDays: c.freshnessDays, liveCount: activity.get(c.id)?.liveCount ?? 0, lastPublishedAt: activity.get(c.id)?.lastPublishedAt ?? null })),
          deadLinks: dead.map((d) => ({ url: d.url, status: d.status, error: d.error, failures: d.failures, where: d.places.map((p) => p.where).join('、'), href: d.places[0]!.href })),
          messages: { connected: deps.messages !== undefined, overdue },
        },
        now,
      );
      if (!deps.links.externalEnabled) findings.push({ check: 'links', level: 'info', code: 'FRESH.EXTERNAL_NOT_CHECKED', params: {} });
      const report = { checkedAt: now, findings, failed: failed(findings) };
      await database.transaction((tx) => repo.insertFreshnessReport(tx, now, findings, report.failed));
      return report;
    },
    latest: () => repo.latestFreshnessReport(database.db),
  };
}
