/** The portal's services wired together, and the demo content seeding. */
import type { Clock } from '../../kernel/clock.js';
import type { Database } from '../../kernel/db.js';
import type { Initiator } from '../../kernel/initiator.js';
import type { AuditService } from '../audit/index.js';
import type { OrganizationService } from '../organization/index.js';
import { createContentService, type ContentService } from './content.service.js';
import { DEMO_DOCUMENTS, DEMO_WORDS, demoLeaders, demoTownIntro } from './demo-content.js';
import type { FileStore } from './file-store.js';
import { createFreshnessService, type FreshnessService } from './freshness.service.js';
import { createLinkCheckService, type LinkCheckService } from './link-check.service.js';
import type { LinkProbe, MessageBacklog } from './portal.js';
import { createSiteService, type SiteService } from './site.service.js';

export interface PortalService {
  readonly content: ContentService;
  readonly site: SiteService;
  readonly links: LinkCheckService;
  readonly freshness: FreshnessService;
  /** Adds the demo content once (when no demo document exists yet); returns how many documents were added. */
  seedDemoContent(organization: OrganizationService): Promise<number>;
}

export interface PortalDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly audit: AuditService;
  readonly files: FileStore;
  readonly probe: LinkProbe;
  /** The public message channels' backlog, once a module provides one. */
  readonly messages?: MessageBacklog;
}

const DEMO_SEED: Initiator = { userId: null, label: 'demo-seed', ip: null };
const DAY = 86_400_000;

export function createPortalService(deps: PortalDeps): PortalService {
  const site = createSiteService(deps.database, deps.clock, deps.audit);
  const content = createContentService({ ...deps, onPublicChange: () => site.invalidate() });
  const links = createLinkCheckService(deps.database, deps.clock, content, deps.probe);
  const freshness = createFreshnessService({ database: deps.database, clock: deps.clock, site, content, links, messages: deps.messages });
  return {
    content,
    site,
    links,
    freshness,
    async seedDemoContent(organization) {
      if ((await content.countDemo()) > 0) return 0;
      const { columns } = await site.furniture();
      const columnId = (slug: string) => columns.find((c) => c.slug === slug)!.id;
      const now = deps.clock.now().getTime();
      const ids = new Map<string, number>();
      // Oldest first, except that a replaced policy comes after the one that replaced it (so it can name it).
      const ordered = [...DEMO_DOCUMENTS].sort((a, b) => Number(!!a.supersededBy) - Number(!!b.supersededBy) || b.daysAgo - a.daysAgo);
      for (const d of ordered) {
        const unit = d.unitCode ? await organization.getUnitByCode(d.unitCode).catch(() => undefined) : undefined;
        const id = await content.importPublished(
          {
            columnId: columnId(d.column),
            kind: d.kind,
            title: d.title,
            source: d.source,
            author: d.author ?? null,
            docNumber: d.docNumber ?? null,
            summary: d.summary,
            bodyHtml: d.body,
            interpretsId: d.interprets ? (ids.get(d.interprets) ?? null) : null,
            unitId: unit?.id ?? null,
            publishedAt: new Date(now - d.daysAgo * DAY - 2 * 3600_000),
            ...(d.pinned ? { pinned: true } : {}),
            ...(d.policyStatus ? { policyStatus: d.policyStatus } : {}),
            ...(d.policyStatusNote ? { policyStatusNote: d.policyStatusNote } : {}),
            ...(d.supersededBy ? { supersededById: ids.get(d.supersededBy) ?? null } : {}),
            isDemo: true,
          },
          DEMO_SEED,
        );
        ids.set(d.key, id);
      }
      const towns = await organization.listTowns();
      const departments = (await organization.listByKinds(['department'])).filter((u) => u.isDemo);
      await site.seedDemo(
        [
          ...towns.map((u, i) => ({ unitId: u.id, intro: demoTownIntro(u.name), leaders: demoLeaders(i, 'town'), officeHours: '工作日 9:00—12:00，14:00—17:30（演示）', isDemo: true })),
          ...departments.map((u, i) => ({ unitId: u.id, intro: null, leaders: demoLeaders(i + 5, 'department'), officeHours: '工作日 9:00—12:00，14:00—17:30（演示）', isDemo: true })),
        ],
        DEMO_WORDS,
        DEMO_SEED,
      );
      return ids.size;
    },
  };
}
