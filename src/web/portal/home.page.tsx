import type { FC } from 'hono/jsx';
import { districtOutline } from '../../modules/geography/index.js';
import type { TownKind, Unit } from '../../modules/organization/index.js';
import { DistrictMap } from '../components/district-map.js';
import { Layout, type PageContext } from '../components/layout.js';

const KIND_ORDER: readonly TownKind[] = ['street', 'town', 'township'];

export const TownGroups: FC<{ ctx: PageContext; towns: readonly Unit[]; headingLevel?: 2 | 3 }> = ({ ctx, towns }) => (
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

export const HomePage: FC<{ ctx: PageContext; towns: readonly Unit[] }> = ({ ctx, towns }) => {
  const { t } = ctx;
  const outline = districtOutline();
  return (
    <Layout ctx={ctx} title={t('home.title')} description={t('site.tagline')}>
      <h1>{t('site.fullName')}</h1>
      <p class="lead">{t('site.tagline')}</p>
      <div class="grid-2">
        <section class="card" aria-labelledby="map-heading">
          <h2 id="map-heading">{t('home.mapTitle')}</h2>
          <DistrictMap feature={outline} title={t('home.mapTitle')} />
          <p class="figure-note">{t('home.mapNote')}</p>
        </section>
        <section class="card" aria-labelledby="towns-heading">
          <h2 id="towns-heading">
            {t('home.townsTitle')} <span class="muted">{t('home.townsCount', { count: towns.length })}</span>
          </h2>
          <p>{t('home.intro')}</p>
          <TownGroups ctx={ctx} towns={towns} />
        </section>
      </div>
    </Layout>
  );
};
