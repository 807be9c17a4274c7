/** Every job of the worker role. */
import type { Services } from '../services.js';
import { deliverOutboxJob } from './deliver-outbox.job.js';
import { fireIncidentTimersJob } from './fire-incident-timers.job.js';
import { purgeExpiredSessionsJob } from './purge-expired-sessions.job.js';
import type { Job } from './scheduler.js';
import { verifyAuditChainJob } from './verify-audit-chain.job.js';

export function allJobs(services: Services): Job[] {
  return [fireIncidentTimersJob(services), deliverOutboxJob(services), purgeExpiredSessionsJob(services), verifyAuditChainJob(services)];
}
