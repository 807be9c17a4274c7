/** Publishes documents whose scheduled time has come and takes down those whose offline time has come. */
import type { Services } from '../services.js';
import type { Job } from './scheduler.js';

export function publishScheduledJob(services: Services): Job {
  return {
    name: 'publish-scheduled',
    intervalSeconds: 60,
    async run({ log }) {
      const r = await services.portal.content.runDue();
      if (r.published || r.withdrawn || r.failed) log.info(r, 'scheduled documents processed');
    },
  };
}
