/** Every job of the worker role. */
import type { Services } from '../services.js';
import { applyTelemetryRetentionJob } from './apply-telemetry-retention.job.js';
import { deliverAlarmNotificationsJob } from './deliver-alarm-notifications.job.js';
import { deliverOutboxJob } from './deliver-outbox.job.js';
import { detectSilentSensorsJob } from './detect-silent-sensors.job.js';
import { fireIncidentTimersJob } from './fire-incident-timers.job.js';
import { openAlarmIncidentsJob } from './open-alarm-incidents.job.js';
import { prepareTelemetryPartitionsJob } from './prepare-telemetry-partitions.job.js';
import { checkFreshnessJob } from './check-freshness.job.js';
import { findDeadLinksJob } from './find-dead-links.job.js';
import { publishScheduledJob } from './publish-scheduled.job.js';
import { purgeExpiredSessionsJob } from './purge-expired-sessions.job.js';
import { rollUpTelemetryJob } from './roll-up-telemetry.job.js';
import type { Job } from './scheduler.js';
import { verifyAuditChainJob } from './verify-audit-chain.job.js';

export function allJobs(services: Services): Job[] {
  return [
    fireIncidentTimersJob(services),
    deliverOutboxJob(services),
    purgeExpiredSessionsJob(services),
    verifyAuditChainJob(services),
    prepareTelemetryPartitionsJob(services),
    rollUpTelemetryJob(services),
    applyTelemetryRetentionJob(services),
    detectSilentSensorsJob(services),
    deliverAlarmNotificationsJob(services),
    openAlarmIncidentsJob(services),
    publishScheduledJob(services),
    findDeadLinksJob(services),
    checkFreshnessJob(services),
  ];
}
