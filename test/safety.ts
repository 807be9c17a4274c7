/** Helpers for 12350 tests: the platform with a fixed reporter key over a demo-seeded test database. */
import { loadConfig } from '../src/config.js';
import type { DatabaseHandle } from '../src/db/database.js';
import { FakeClock } from '../src/kernel/clock.js';
import { silentLogger } from '../src/kernel/logger.js';
import { seedDemo } from '../src/modules/demo/index.js';
import { createServices, type Services } from '../src/services.js';

export type { Services };

/** A reporter key for tests (never a real deployment's). */
export const TEST_REPORTER_KEY = Buffer.alloc(32, 0x5a).toString('base64');

export async function createSafetyPlatform(database: DatabaseHandle, start = '2026-03-02T09:00:00+08:00'): Promise<{ services: Services; clock: FakeClock }> {
  const clock = new FakeClock(start);
  const services = createServices({ database, clock, config: loadConfig({ DEMO: 'true', REPORTER_KEY: TEST_REPORTER_KEY }), logger: silentLogger });
  await seedDemo({ ...services, incidentsAt: undefined, logger: silentLogger });
  return { services, clock };
}
