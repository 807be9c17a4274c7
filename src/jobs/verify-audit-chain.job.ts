/** Walks the audit chain once a day; a break is logged as an error (and alerted on by whoever watches logs). */
import type { Services } from '../services.js';
import type { Job } from './scheduler.js';

export function verifyAuditChainJob(services: Services): Job {
  return {
    name: 'verify-audit-chain',
    intervalSeconds: 24 * 3600,
    leaseSeconds: 3600,
    async run({ log }) {
      const result = await services.audit.verify();
      if (result.ok) log.info({ checked: result.checked, lastSeq: result.lastSeq }, 'audit chain intact');
      else log.error({ broken: result.broken, checked: result.checked }, 'audit chain broken');
    },
  };
}
