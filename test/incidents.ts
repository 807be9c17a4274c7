/** Helpers for case-flow tests: a platform over a test database, with a simple clock-hour timing. */
import { loadConfig } from '../src/config.js';
import type { DatabaseHandle } from '../src/db/database.js';
import { FakeClock } from '../src/kernel/clock.js';
import { silentLogger } from '../src/kernel/logger.js';
import { seedDemo } from '../src/modules/demo/index.js';
import type { Actor } from '../src/modules/identity/index.js';
import { createIncidentService, type IncidentService, type Limit, type StageTiming } from '../src/modules/incidents/index.js';
import { createServices, type Services } from '../src/services.js';

const HOUR = 3600_000;

/** Stage lengths as plain elapsed time (working hours = hours, working days = 24 h), warning at 75 %. */
export const elapsedTiming: StageTiming = {
  async forUnit() {
    const add = (from: Date, l: Limit) => new Date(from.getTime() + l.amount * (l.unit === 'days' || l.unit === 'natural_days' ? 24 * HOUR : HOUR));
    return {
      deadline: (from, limit) => {
        const dueAt = add(from, limit);
        return { dueAt, warnAt: new Date(from.getTime() + 0.75 * (dueAt.getTime() - from.getTime())) };
      },
      extend: (deadline, extra) => add(deadline, extra),
    };
  },
};

export interface CaseFlow {
  readonly services: Services;
  readonly incidents: IncidentService;
  readonly clock: FakeClock;
  actor(username: string): Promise<Actor>;
}

export async function createCaseFlow(database: DatabaseHandle, options: { timing?: StageTiming; start?: string } = {}): Promise<CaseFlow> {
  const clock = new FakeClock(options.start ?? '2026-03-02T09:00:00+08:00');
  const config = loadConfig({ DEMO: 'true' });
  const services = createServices({ database, clock, config, logger: silentLogger });
  await seedDemo({ ...services, incidentsAt: undefined, logger: silentLogger });
  const incidents = createIncidentService({
    database,
    clock,
    audit: services.audit,
    catalog: services.catalog,
    notifications: services.notifications,
    timing: options.timing ?? elapsedTiming,
  });
  return {
    services,
    incidents,
    clock,
    async actor(username) {
      const actor = await services.identity.actorByUsername(username);
      if (!actor) throw new Error(`No user ${username}`);
      return actor;
    },
  };
}

export const by = (actor: Actor) => ({ userId: actor.user.id, label: actor.user.username, ip: '10.0.0.1' });
