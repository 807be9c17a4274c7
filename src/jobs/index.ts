/** Every job of the worker role. */
import type { Services } from '../services.js';
import { purgeExpiredSessionsJob } from './purge-expired-sessions.job.js';
import type { Job } from './scheduler.js';

export function allJobs(services: Services): Job[] {
  return [purgeExpiredSessionsJob(services)];
}
