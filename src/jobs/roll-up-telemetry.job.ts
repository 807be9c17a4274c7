/** Rolls stored readings up into 1-minute and 1-hour aggregates for charts, and re-rolls minutes that got late readings. */
import type { Services } from '../services.js';
import type { Job } from './scheduler.js';

export function rollUpTelemetryJob(services: Services): Job {
  return {
    name: 'roll-up-telemetry',
    intervalSeconds: 60,
    leaseSeconds: 600,
    async run({ log }) {
      const r = await services.lifeline.telemetry.rollUp();
      log.debug(r, 'telemetry rolled up');
    },
  };
}
