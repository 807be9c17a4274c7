/**
 * The 12350 channel in the workbench: the panel on a 12350 incident's page (kind, business, reward eligibility)
 * and the reporter's identity, shown on a POST (never a GET: no identity in a URL, a history or a prefetch) to
 * holders of the grant `reporter.identity.read`. The service audits every viewing and every refusal.
 */
import { Hono } from 'hono';
import type { FC } from 'hono/jsx';
import { can } from '../../../modules/access/index.js';
import type { SafetyReport } from '../../../modules/safety/index.js';
import { formatDateTime } from '../../components/format.js';
import { CsrfField, pageContext, renderPage, type PageContext } from '../../components/layout.js';
import type { AppEnv } from '../../context.js';
import { initiatorOf } from '../../initiator.js';
import { WorkbenchLayout, requireActor } from '../shell.js';

/** The 12350 facts on an incident's page, with the identity button for those allowed. */
export const SafetyPanel: FC<{ ctx: PageContext; incidentId: number; report: SafetyReport; handleDueAt: Date | null }> = ({ ctx, incidentId, report, handleDueAt }) => {
  const { t } = ctx;
  return (
    <section class="card safety-panel" aria-labelledby="safety-heading">
      <h2 id="safety-heading">{t('safety.panel.title')}</h2>
      <dl class="facts">
        {handleDueAt && (
          <>
            <dt>{t('safety.panel.due')}</dt>
            <dd>{formatDateTime(handleDueAt, ctx.locale)}</dd>
          </>
        )}
        <dt>{t('safety.panel.kind')}</dt>
        <dd>{t(`safety.hazard.${report.hazardKind}`)}</dd>
        {report.occurredAt && (
          <>
            <dt>{t('safety.panel.occurredAt')}</dt>
            <dd>{formatDateTime(report.occurredAt, ctx.locale)}</dd>
          </>
        )}
        <dt>{t('safety.panel.business')}</dt>
        <dd>
          {report.businessName}
          {report.businessAddress && ` · ${report.businessAddress}`}
        </dd>
        {report.businessCreditCode && (
          <>
            <dt>{t('safety.panel.creditCode')}</dt>
            <dd>
              <code>{report.businessCreditCode}</code>
            </dd>
          </>
        )}
        <dt>{t('safety.panel.reporter')}</dt>
        <dd>{t(report.isRealName ? 'safety.realName' : 'safety.anonymous')}</dd>
        <dt>{t('safety.panel.reward')}</dt>
        <dd>
          <span class={report.rewardEligible ? 'pill pill-ok' : 'pill'} data-eligibility={report.eligibilityReason}>
            {t(`safety.eligibility.${report.eligibilityReason}`)}
          </span>
        </dd>
      </dl>
      {report.isRealName && ctx.actor && can(ctx.actor, 'reporter.identity.read') && (
        <form method="post" action={`/workbench/incidents/${incidentId}/reporter-identity`}>
          <CsrfField token={ctx.csrfToken} />
          <p class="muted">{t('safety.identity.help')}</p>
          <button type="submit" class="button button-secondary">
            {t('safety.identity.show')}
          </button>
        </form>
      )}
    </section>
  );
};

export function safetyWorkbenchRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/workbench/incidents/:id{[0-9]+}/reporter-identity', async (c) => {
    const actor = requireActor(c);
    const id = Number(c.req.param('id'));
    const services = c.get('services');
    // Refusals (no grant) are audited by the service and surface as 403.
    const identity = await services.safety.revealIdentity(id, actor, initiatorOf(c));
    const incident = await services.incidents.get(id);
    const ctx = pageContext(c);
    const { t } = ctx;
    c.header('Cache-Control', 'no-store');
    return renderPage(
      c,
      <WorkbenchLayout ctx={ctx} title={t('safety.identity.title')} crumbs={[{ label: t('inc.console'), href: '/workbench/incidents' }, { label: incident.number, href: `/workbench/incidents/${id}` }, { label: t('safety.identity.title') }]}>
        <h1>
          {t('safety.identity.title')} · <code>{incident.number}</code>
        </h1>
        <p class="alert alert-info" role="status">
          {t('safety.identity.recorded')}
        </p>
        {identity ? (
          <dl class="facts">
            <dt>{t('safety.identity.name')}</dt>
            <dd>{identity.name}</dd>
            <dt>{t('safety.identity.phone')}</dt>
            <dd>{identity.phone}</dd>
            {identity.idNumber && (
              <>
                <dt>{t('safety.identity.idNumber')}</dt>
                <dd>{identity.idNumber}</dd>
              </>
            )}
            {identity.contact && (
              <>
                <dt>{t('safety.identity.contact')}</dt>
                <dd>{identity.contact}</dd>
              </>
            )}
          </dl>
        ) : (
          <p>{t('safety.identity.none')}</p>
        )}
        <p>
          <a href={`/workbench/incidents/${id}`}>{t('safety.identity.back')}</a>
        </p>
      </WorkbenchLayout>,
    );
  });

  return app;
}
