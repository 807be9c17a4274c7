/**
 * The portal's front page, in the spirit of the seed page: a search box, 开州要闻 with the pinned item first,
 * 通知公告, 政策文件 with their 解读, the interaction channels, services, and the 40 towns. No carousel, no
 * pop-up, nothing that moves (the elder mode's rules hold for everyone); a first visit stays under 100 KB.
 */
import type { FC } from 'hono/jsx';
import type { Column, DocumentSummary } from '../../modules/portal/index.js';
import type { TownKind, Unit } from '../../modules/organization/index.js';
import { Layout, columnHref, type PageContext } from '../components/layout.js';
import { DocList, SearchBox } from './common.js';
import { InteractionChannels } from './interaction.js';

const KIND_ORDER: readonly TownKind[] = ['street', 'town', 'township'];

export const TownGroups: FC<{ ctx: PageContext; towns: readonly Unit[] }> = ({ ctx, towns }) => (
  <div class="town-groups">
    {KIND_ORDER.map((kind) => {
      const group = towns.filter((u) => u.kind === kind);
      if (group.length === 0) return null;
      return (
        <>
          <h3>
            {ctx.t(`home.kind.${kind}`)}（{group.length}）
          </h3>
          <ul class="town-list">
            {group.map((u) => (
              <li>
                <a href={`/towns/${u.code}`}>{u.name}</a>
              </li>
            ))}
          </ul>
        </>
      );
    })}
  </div>
);

export interface HomeSection {
  readonly column: Column;
  readonly items: readonly DocumentSummary[];
}

const Section: FC<{ ctx: PageContext; section: HomeSection | undefined; id: string; wide?: boolean }> = ({ ctx, section, id, wide }) =>
  section ? (
    <section class={wide ? 'card home-card home-wide' : 'card home-card'} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} class="card-title">
        <a href={columnHref(section.column)}>{section.column.name}</a>
      </h2>
      <DocList ctx={ctx} items={section.items} />
      <p class="more">
        <a href={columnHref(section.column)} aria-label={ctx.t('portal.moreOf', { column: section.column.name })}>
          {ctx.t('portal.more')}
        </a>
      </p>
    </section>
  ) : null;

export const HomePage: FC<{
  ctx: PageContext;
  towns: readonly Unit[];
  news?: HomeSection;
  notices?: HomeSection;
  policies?: HomeSection;
  interpretations?: HomeSection;
  services?: HomeSection;
  interaction?: HomeSection;
  departments: readonly Unit[];
}> = ({ ctx, towns, news, notices, policies, interpretations, services, interaction, departments }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('home.title')} description={t('home.description')} share={{ title: t('site.fullName'), description: t('home.description') }}>
      <h1 class="home-title">{t('site.fullName')}</h1>
      <p class="lead">{t('site.tagline')}</p>
      <SearchBox ctx={ctx} id="home-search" />
      <div class="home-grid">
        <Section ctx={ctx} section={news} id="home-news" wide />
        <Section ctx={ctx} section={notices} id="home-notices" />
        <Section ctx={ctx} section={policies} id="home-policies" />
        <Section ctx={ctx} section={interpretations} id="home-interpretations" />
        <section class="card home-card" aria-labelledby="home-interaction-heading">
          <h2 id="home-interaction-heading" class="card-title">
            <a href="/columns/interaction">{interaction?.column.name ?? t('interaction.title')}</a>
          </h2>
          <InteractionChannels ctx={ctx} compact />
          {interaction && interaction.items.length > 0 && <DocList ctx={ctx} items={interaction.items.slice(0, 2)} dates={false} />}
        </section>
        <Section ctx={ctx} section={services} id="home-services" />
      </div>
      <section class="card home-towns" aria-labelledby="towns-heading">
        <h2 id="towns-heading">
          {t('home.townsTitle')} <span class="muted">{t('home.townsCount', { count: towns.length })}</span>
        </h2>
        <p>{t('home.intro')}</p>
        <TownGroups ctx={ctx} towns={towns} />
        {departments.length > 0 && (
          <>
            <h3>{t('units.departments')}</h3>
            <ul class="town-list">
              {departments.map((u) => (
                <li>
                  <a href={`/departments/${u.code}`}>{u.name}</a>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </Layout>
  );
};
