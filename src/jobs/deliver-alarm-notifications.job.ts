/** Delivers alarm notifications from the outbox (written in the alarm's transaction) through the notifier. */
import type { Services } from '../services.js';
import type { Job } from './scheduler.js';

export function deliverAlarmNotificationsJob(services: Services): Job {
  return {
    name: 'deliver-alarm-notifications',
    intervalSeconds: 2,
    async run({ log }) {
      const r = await services.lifeline.alarms.deliverNotifications();
      if (r.failed) log.warn(r, 'alarm notifications failed; retrying with backoff');
    },
  };
}
