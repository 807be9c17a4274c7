/** Seeds the demo district once per database: demo departments, utilities and accounts. */
import type { Logger } from '../../kernel/logger.js';
import type { IdentityService } from '../identity/index.js';
import { DEMO_LIFELINE, type LifelineServices } from '../lifeline/index.js';
import type { OrganizationService } from '../organization/index.js';
import type { SettingsService } from '../settings/index.js';
import { DEMO_ACCOUNTS, DEMO_DEPARTMENTS, DEMO_PASSWORD, DEMO_UTILITIES } from './demo-data.js';

export interface DemoDeps {
  readonly organization: OrganizationService;
  readonly identity: IdentityService;
  readonly settings: SettingsService;
  readonly logger: Logger;
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
  if (deps.lifeline) {
    await deps.lifeline.assets.seedReferenceProfiles();
    await deps.lifeline.assets.seedDemo(DEMO_LIFELINE);
  }
  await deps.settings.markDemoSeeded();
  deps.logger.info({ units, users }, 'demo data seeded');
  return true;
}
