/**
 * Fires the case flow's durable timers (warnings and deadlines) and escalates what stayed overdue at a
 * coordinating stage. Runs every few seconds on every worker; timers are claimed with SKIP LOCKED, so workers
 * share the load and never fire one twice; after downtime the first runs catch up on everything due.
 */
import type { Services } from '../services.js';
import type { Job } from './scheduler.js';

export function fireIncidentTimersJob(services: Services): Job {
  return {
    name: 'fire-incident-timers',
    intervalSeconds: 5,
    leaseSeconds: 120,
    async run({ log }) {
      let fired = 0;
      let stale = 0;
      // Drain in batches, so a backlog after downtime is cleared in one run without one huge transaction.
      for (let i = 0; i < 20; i++) {
        const r = await services.incidents.fireDueTimers(500);
        fired += r.fired;
        stale += r.stale;
        if (r.fired + r.stale < 500) break;
      }
      const escalated = await services.incidents.escalateOverdue(200);
      if (fired || escalated) log.info({ fired, stale, escalated }, 'incident timers fired');
    },
  };
}
