/**
 * 信件选登 from the workbench: staff publish a letter and its reply, with personal data removed by the
 * incident service's redaction rule, or withdraw it. The form sits on the incident page once it has a reply.
 */
import { Hono } from 'hono';
import type { FC } from 'hono/jsx';
import { redact, type Incident, type Publication } from '../../../modules/incidents/index.js';
import { CsrfField, type PageContext } from '../../components/layout.js';
import type { AppEnv } from '../../context.js';
import { initiatorOf } from '../../initiator.js';
import { requireCan } from '../shell.js';

export const PublishReply: FC<{ ctx: PageContext; incident: Incident; publication: Publication | undefined }> = ({ ctx, incident, publication }) => {
  const { t } = ctx;
  return (
    <section class="card" aria-labelledby="publish-heading">
      <h2 id="publish-heading">{publication ? t('letters.published', { link: '' }) : t('letters.publish')}</h2>
      {publication ? (
        <p>
          <a href={`/interaction/letters#${incident.number}`}>{publication.title}</a>
        </p>
      ) : (
        <>
          <p class="muted">{t('letters.preview')}</p>
          <blockquote class="prewrap">{redact(incident.reply ?? '')}</blockquote>
        </>
      )}
      <form method="post" action={`/workbench/incidents/${incident.id}/${publication ? 'unpublish' : 'publish'}`}>
        <CsrfField token={ctx.csrfToken} />
        <button class={publication ? 'button button-secondary' : 'button'} type="submit">
          {publication ? t('letters.unpublish') : t('letters.publish')}
        </button>
      </form>
    </section>
  );
};

export function publicationRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/workbench/incidents/:id{[0-9]+}/publish', async (c) => {
    const actor = requireCan(c, 'incident.accept');
    const id = Number(c.req.param('id'));
    await c.get('services').incidents.publishReply(id, actor, initiatorOf(c));
    return c.redirect(`/workbench/incidents/${id}`, 303);
  });
  app.post('/workbench/incidents/:id{[0-9]+}/unpublish', async (c) => {
    const actor = requireCan(c, 'incident.accept');
    const id = Number(c.req.param('id'));
    await c.get('services').incidents.unpublishReply(id, actor, initiatorOf(c));
    return c.redirect(`/workbench/incidents/${id}`, 303);
  });
  return app;
}
