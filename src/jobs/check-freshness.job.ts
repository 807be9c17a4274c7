/** The freshness monitor's daily report (home page, columns, dead links, unanswered messages). */
import type { Services } from '../services.js';
import type { Job } from './scheduler.js';

export function checkFreshnessJob(services: Services): Job {
  return {
    name: 'check-freshness',
    intervalSeconds: 24 * 3600,
    async run({ log }) {
      const report = await services.portal.freshness.run();
      const problems = report.findings.filter((f) => f.level === 'fail' || f.level === 'warn').length;
      if (report.failed) log.warn({ problems }, 'portal fails a website inspection rule');
      else log.info({ problems }, 'portal freshness checked');
    },
  };
}
