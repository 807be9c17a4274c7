/** Seeds the demo district once per database: demo departments, utilities and accounts. */
import { systemClock, type Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import { seedDemoIncidents, type DemoIncidentDeps } from './demo-incidents.js';
import type { IdentityService } from '../identity/index.js';
import type { CatalogService, SeedCategory } from '../incidents/index.js';
import { DEMO_LIFELINE, type LifelineServices } from '../lifeline/index.js';
import type { OrganizationService } from '../organization/index.js';
import { DEMO_CATALOG } from './demo-catalog.js';
import type { SettingsService } from '../settings/index.js';
import { DEMO_ACCOUNTS, DEMO_DEPARTMENTS, DEMO_PASSWORD, DEMO_UTILITIES } from './demo-data.js';

export interface DemoDeps {
  readonly organization: OrganizationService;
  readonly catalog: CatalogService;
  readonly identity: IdentityService;
  readonly settings: SettingsService;
  readonly logger: Logger;
  /** With it, a month of demo incidents is replayed as well (see demo-incidents.ts). */
  readonly incidentsAt?: DemoIncidentDeps['incidentsAt'];
  readonly pointIn?: DemoIncidentDeps['pointIn'];
  readonly clock?: Clock;
  /** When given, the demo district's lifeline assets, sensors and gateway are seeded too. */
  readonly lifeline?: LifelineServices;
}

const DEMO_SEED = { userId: null, label: 'demo-seed', ip: null } as const;

/** Seeds demo data unless this database already has it; returns whether it seeded now. */
export async function seedDemo(deps: DemoDeps): Promise<boolean> {
  if (await deps.settings.demoSeeded()) return false;
  const units = await deps.organization.addMissingUnits([...DEMO_DEPARTMENTS, ...DEMO_UTILITIES], { isDemo: true });
  let users = 0;
  for (const account of DEMO_ACCOUNTS) {
    try {
      await deps.identity.createUser({
        username: account.username,
        displayName: account.displayName,
        password: DEMO_PASSWORD,
        posts: [{ unitCode: account.unitCode, role: account.role }],
        isDemo: true,
      }, DEMO_SEED);
      users++;
    } catch (e) {
      // An account of that name may have been created by hand before the demo was seeded; keep it.
      if ((e as { code?: string }).code !== 'USER.USERNAME_TAKEN') throw e;
    }
  }
  const categories = await deps.catalog.seed(await demoCatalogEntries(deps.organization), { isDemo: true });
  const incidents = deps.incidentsAt
    ? await seedDemoIncidents({ organization: deps.organization, catalog: deps.catalog, incidentsAt: deps.incidentsAt, pointIn: deps.pointIn, now: (deps.clock ?? systemClock).now() })
    : 0;
  if (deps.lifeline) {
    await deps.lifeline.assets.seedReferenceProfiles();
    await deps.lifeline.assets.seedDemo(DEMO_LIFELINE);
  }
  await deps.settings.markDemoSeeded();
  deps.logger.info({ units, users, categories, incidents }, 'demo data seeded');
  return true;
}

/** The demo catalogue with unit codes resolved to ids, and town-specific routes to each town's board. */
export async function demoCatalogEntries(organization: OrganizationService): Promise<SeedCategory[]> {
  const ids = new Map<string, number>();
  const id = async (code: string) => {
    if (!ids.has(code)) ids.set(code, (await organization.getUnitByCode(code)).id);
    return ids.get(code)!;
  };
  const entries: SeedCategory[] = [];
  for (const [i, c] of DEMO_CATALOG.entries()) {
    entries.push({
      code: c.code,
      parentCode: c.parent,
      class: c.class,
      sortOrder: i,
      name: c.name,
      filingCondition: c.filing ?? null,
      closingCondition: c.closing ?? null,
      defaultUrgency: c.urgency ?? 'normal',
      limits: c.limits ?? {},
      publicVisible: c.publicVisible ?? true,
      route: c.lead ? { leadUnitId: await id(c.lead), coUnitIds: await Promise.all((c.co ?? []).map(id)) } : undefined,
      areaRoutes: c.townBoardIn
        ? await Promise.all(c.townBoardIn.towns.map(async (town) => ({ areaUnitId: await id(town), leadUnitId: await id(`${town}-${c.townBoardIn!.board}`), coUnitIds: [] })))
        : undefined,
    });
  }
  return entries;
}
