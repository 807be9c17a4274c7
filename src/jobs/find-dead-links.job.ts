/** Probes every link the public can follow (footer directories, links in live documents) once a day. */
import type { Services } from '../services.js';
import type { Job } from './scheduler.js';

export function findDeadLinksJob(services: Services): Job {
  return {
    name: 'find-dead-links',
    intervalSeconds: 24 * 3600,
    leaseSeconds: 1800,
    async run({ log }) {
      const r = await services.portal.links.findDeadLinks();
      if (r.dead > 0) log.warn(r, 'dead links found');
      else log.info(r, 'links checked');
    },
  };
}
