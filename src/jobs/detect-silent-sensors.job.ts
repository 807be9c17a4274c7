/** Raises silence alarms for sensors that have sent nothing for k × their reporting interval. */
import type { Services } from '../services.js';
import type { Job } from './scheduler.js';

export function detectSilentSensorsJob(services: Services): Job {
  return {
    name: 'detect-silent-sensors',
    intervalSeconds: 15,
    async run({ log }) {
      const r = await services.lifeline.telemetry.checkSilences();
      if (r.raised) log.info(r, 'silent sensors');
    },
  };
}
