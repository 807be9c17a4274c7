/** Deletes ended sessions, lapsed second-step sign-ins, quiet sign-in throttle rows and past request-throttle windows, so no table grows without bound. */
import type { Services } from '../services.js';
import type { Job } from './scheduler.js';

export function purgeExpiredSessionsJob(services: Services): Job {
  return {
    name: 'purge-expired-sessions',
    intervalSeconds: 3600,
    async run({ log }) {
      const deleted = (await services.identity.purgeExpiredSessions()) + (await services.throttle.purge());
      if (deleted > 0) log.info({ deleted }, 'expired sessions purged');
    },
  };
}
