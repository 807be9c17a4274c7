/** Delivers queued webhooks, SMS and e-mail, retrying failures on a growing schedule. */
import type { Services } from '../services.js';
import type { Job } from './scheduler.js';

export function deliverOutboxJob(services: Services): Job {
  return {
    name: 'deliver-outbox',
    intervalSeconds: 10,
    async run({ log }) {
      const r = await services.notifications.deliverDue(200);
      if (r.sent || r.failed) log.info(r, 'outbox delivered');
    },
  };
}
