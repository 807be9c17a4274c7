/** Opens the incidents of confirmed alarms whose hand-over to the case flow failed (the judgement was kept). */
import type { Services } from '../services.js';
import type { Job } from './scheduler.js';

export function openAlarmIncidentsJob(services: Services): Job {
  return {
    name: 'open-alarm-incidents',
    intervalSeconds: 60,
    async run({ log }) {
      const r = await services.lifeline.alarms.retryPendingIncidents();
      if (r.opened || r.failed) log.info(r, 'incidents for confirmed alarms');
    },
  };
}
