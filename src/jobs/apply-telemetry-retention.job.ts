/** Drops reading partitions past retention (TELEMETRY_RETENTION_DAYS and the roll-ups' settings). */
import type { Services } from '../services.js';
import type { Job } from './scheduler.js';

export function applyTelemetryRetentionJob(services: Services): Job {
  return {
    name: 'apply-telemetry-retention',
    intervalSeconds: 86_400,
    leaseSeconds: 3600,
    async run({ log }) {
      const r = await services.lifeline.telemetry.applyRetention();
      if (r.dropped.length || r.hours) log.info(r, 'telemetry retention applied');
    },
  };
}
