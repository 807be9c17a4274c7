/** Seeds the demo district once per database: demo departments, utilities, accounts, geography, catalogue and a month of incidents. */
import { Worker } from 'node:worker_threads';
import { systemClock, type Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import { districtOutline, geometryContains, type GeographyService } from '../geography/index.js';
import type { IdentityService } from '../identity/index.js';
import type { CatalogService, SeedCategory } from '../incidents/index.js';
import { DEMO_LIFELINE, type LifelineServices } from '../lifeline/index.js';
import type { OrganizationService, TownKind } from '../organization/index.js';
import type { PortalService } from '../portal/index.js';
import type { SettingsService } from '../settings/index.js';
import { DEMO_CATALOG } from './demo-catalog.js';
import type { TokenService } from '../tokens/index.js';
import { DEMO_ACCOUNTS, DEMO_DEPARTMENTS, DEMO_PASSWORD, DEMO_UTILITIES } from './demo-data.js';
import { generateDemoGeography, type DemoGeography } from './demo-geography.js';
import { seedDemoIncidents, type DemoIncidentDeps } from './demo-incidents.js';

export interface DemoDeps {
  readonly organization: OrganizationService;
  readonly catalog: CatalogService;
  readonly identity: IdentityService;
  readonly settings: SettingsService;
  readonly geography: GeographyService;
  readonly portal: PortalService;
  readonly tokens: TokenService;
  readonly logger: Logger;
  /** When given, the demo district's lifeline assets, sensors and gateway are seeded too. */
  readonly lifeline?: LifelineServices;
  /** With it, a month of demo incidents is replayed as well (see demo-incidents.ts). */
  readonly incidentsAt?: DemoIncidentDeps['incidentsAt'];
  readonly clock?: Clock;
}

const DEMO_SEED = { userId: null, label: 'demo-seed', ip: null } as const;

/** The demo geography being generated on another thread; `cancel` stops it when it is not needed after all. */
export interface PregeneratedGeography {
  readonly result: Promise<DemoGeography | undefined>;
  cancel(): void;
}

/**
 * Starts generating the demo geography for the reference towns on a worker thread, so that on a demo
 * deployment's first start it runs on the second core while the embedded database initialises (about a
 * second off the time to ready). Resolves to undefined if the worker cannot run; seeding then generates inline.
 */
export function pregenerateDemoGeography(): PregeneratedGeography {
  let worker: Worker | undefined;
  const result = new Promise<DemoGeography | undefined>((resolve) => {
    try {
      // The project runs TypeScript through tsx, whose loader a worker does not inherit: register it first.
      const tsx = import.meta.resolve('tsx/esm/api');
      const script = new URL('./demo-geography.worker.ts', import.meta.url).href;
      worker = new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(script)}); })`, { eval: true });
    } catch {
      resolve(undefined);
      return;
    }
    worker.once('message', (geo: DemoGeography) => resolve(geo));
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  return { result, cancel: () => void worker?.terminate() };
}

async function replayIncidents(deps: DemoDeps): Promise<number> {
  if (!deps.incidentsAt) return 0;
  return seedDemoIncidents({
    organization: deps.organization,
    catalog: deps.catalog,
    incidentsAt: deps.incidentsAt,
    pointIn: (townCode, seed) => pointInTown(deps.geography, townCode, seed),
    now: (deps.clock ?? systemClock).now(),
  });
}

/**
 * Replays the demo incidents into a demo database that has none yet (seeded with incidents 'later', or before
 * incidents existed); returns how many were created. Run under the seed lock when several processes start.
 */
export async function seedMissingDemoIncidents(deps: DemoDeps & { readonly hasDemoIncidents: () => Promise<boolean> }): Promise<number> {
  if (!deps.incidentsAt || !(await deps.settings.demoSeeded()) || (await deps.hasDemoIncidents())) return 0;
  return replayIncidents(deps);
}

/** Seeds demo data unless this database already has it; returns whether it seeded now. */
export async function seedDemo(
  deps: DemoDeps,
  options: {
    pregenerated?: Promise<DemoGeography | undefined>;
    /**
     * 'later': leave the month of demo incidents to seedMissingDemoIncidents, which a starting server runs once it
     * answers (the replay is the slowest part of a first start); 'now' (default): replay them here.
     */
    incidents?: 'now' | 'later';
  } = {},
): Promise<boolean> {
  // The demo Open311 key is ensured on every demo start (a database seeded before the key existed gets it too; a
  // revoked one stays revoked).
  if (await deps.tokens.seedDemoToken()) deps.logger.info({ key: 'demo-key' }, 'demo Open311 key added');
  // The portal's demo content has its own marker (a demo document exists), so a demo database seeded before the
  // portal existed gets it too.
  const seedPortal = async () => {
    const documents = await deps.portal.seedDemoContent(deps.organization);
    if (documents > 0) deps.logger.info({ documents }, 'portal demo content seeded');
  };
  if (await deps.settings.demoSeeded()) {
    await seedPortal();
    return false;
  }
  let units = await deps.organization.addMissingUnits([...DEMO_DEPARTMENTS, ...DEMO_UTILITIES], { isDemo: true });
  // Accounts and geography are independent: hashing the passwords (on the thread pool) overlaps the geometry work.
  const [areas, users] = await Promise.all([seedDemoGeography(deps, options.pregenerated), seedDemoAccounts(deps)]);
  units += areas;
  const categories = await deps.catalog.seed(await demoCatalogEntries(deps.organization), { isDemo: true });
  const incidents = options.incidents === 'later' ? 0 : await replayIncidents(deps);
  await seedPortal();
  if (deps.lifeline) {
    await deps.lifeline.assets.seedReferenceProfiles();
    await deps.lifeline.assets.seedDemo(DEMO_LIFELINE);
  }
  await deps.settings.markDemoSeeded();
  deps.logger.info({ units, users, areas, categories, incidents }, 'demo data seeded');
  return true;
}

async function seedDemoAccounts(deps: Pick<DemoDeps, 'identity'>): Promise<number> {
  let users = 0;
  for (const account of DEMO_ACCOUNTS) {
    try {
      await deps.identity.createUser(
        {
          username: account.username,
          displayName: account.displayName,
          password: DEMO_PASSWORD,
          posts: [{ unitCode: account.unitCode, role: account.role }],
          isDemo: true,
        },
        DEMO_SEED,
      );
      users++;
    } catch (e) {
      // An account of that name may have been created by hand before the demo was seeded; keep it.
      if ((e as { code?: string }).code !== 'USER.USERNAME_TAKEN') throw e;
    }
  }
  return users;
}

/**
 * A point inside one of a town's grids (the `seed`-th, counting round): the mean of the grid's outer ring, if the
 * grid contains it, else the next grid's. Null when the town has no grid boundaries.
 */
async function pointInTown(geography: GeographyService, townCode: string, seed: number): Promise<{ lon: number; lat: number } | null> {
  const { grids } = (await geography.map()).areasOf(townCode);
  for (let k = 0; k < grids.length; k++) {
    const grid = grids[(seed * 7 + k) % grids.length]!;
    const polygon = grid.geometry.type === 'Polygon' ? grid.geometry.coordinates : grid.geometry.coordinates[0]!;
    const ring = polygon[0]!.slice(0, -1);
    const lon = ring.reduce((s, p) => s + p[0]!, 0) / ring.length;
    const lat = ring.reduce((s, p) => s + p[1]!, 0) / ring.length;
    if (geometryContains(grid.geometry, [lon, lat])) return { lon: Math.round(lon * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6 };
  }
  return null;
}

/**
 * Generates the demo villages, communities and grids with boundaries for all town-level units, unless towns
 * already have boundaries (imported from a real GIS: those are never overwritten). Returns the units added.
 */
export async function seedDemoGeography(deps: Pick<DemoDeps, 'organization' | 'geography'>, pregenerated?: Promise<DemoGeography | undefined>): Promise<number> {
  await deps.geography.seedDistrictOutline();
  if ((await deps.geography.map()).towns.length > 0) return 0;
  const towns = (await deps.organization.listTowns()).map((u) => ({ code: u.code, name: u.name, kind: u.kind as TownKind }));
  // The worker generated for the reference towns; if these were renamed meanwhile, names would differ.
  const early = await pregenerated;
  const sameTowns = early !== undefined && early.towns.length === towns.length && towns.every((t) => early.villages.some((v) => v.parentCode === t.code && v.name.startsWith(t.name)));
  const geo = sameTowns ? early : generateDemoGeography(districtOutline().geometry.coordinates, towns);
  const added = await deps.organization.addMissingUnits([...geo.villages, ...geo.grids], { isDemo: true });
  await deps.geography.saveBoundaries(
    [...geo.towns, ...geo.villages, ...geo.grids].map(({ code, geometry }) => ({ code, geometry })),
    { source: 'demo', actor: 'demo' },
  );
  return added;
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
      attributes: c.attributes ?? [],
      route: c.lead ? { leadUnitId: await id(c.lead), coUnitIds: await Promise.all((c.co ?? []).map(id)) } : undefined,
      areaRoutes: c.townBoardIn
        ? await Promise.all(c.townBoardIn.towns.map(async (town) => ({ areaUnitId: await id(town), leadUnitId: await id(`${town}-${c.townBoardIn!.board}`), coUnitIds: [] })))
        : undefined,
    });
  }
  return entries;
}
