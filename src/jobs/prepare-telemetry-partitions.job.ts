/** Creates the monthly partitions of stored readings ahead of time (ingest also creates a missing one on demand). */
import type { Services } from '../services.js';
import type { Job } from './scheduler.js';

export function prepareTelemetryPartitionsJob(services: Services): Job {
  return {
    name: 'prepare-telemetry-partitions',
    intervalSeconds: 6 * 3600,
    async run({ log }) {
      const created = await services.lifeline.telemetry.ensurePartitions();
      if (created.length) log.info({ created }, 'telemetry partitions created');
    },
  };
}
