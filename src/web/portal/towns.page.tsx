/**
 * 部门街镇: towns and streets do not run websites of their own (国办发〔2017〕47号) but publish through the
 * district portal, so each department and each town has a page here: duties, leaders, contact and its news. The
 * unit's facts (duties, phone, address) come from the organisation module; leaders and the introduction are the
 * portal's profile, which editors keep.
 */
import type { FC } from 'hono/jsx';
import type { Unit } from '../../modules/organization/index.js';
import type { DocumentSummary, UnitProfile } from '../../modules/portal/index.js';
import { Layout, type PageContext } from '../components/layout.js';
import { DocList } from './common.js';

const kindKey = (kind: string) => (kind === 'street' || kind === 'town' || kind === 'township' ? (`home.kind.${kind}` as const) : kind === 'department' ? ('units.department' as const) : undefined);

export const unitHref = (u: Unit) => (u.kind === 'department' ? `/departments/${u.code}` : `/towns/${u.code}`);

export const TownsPage: FC<{ ctx: PageContext; towns: readonly Unit[]; departments: readonly Unit[]; title: string }> = ({ ctx, towns, departments, title }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={title} crumbs={[{ label: title }]} share={{ title }}>
      <h1>{title}</h1>
      <p>{t('towns.intro')}</p>
      {departments.length > 0 && (
        <section aria-labelledby="departments-heading">
          <h2 id="departments-heading">{t('units.departments')}</h2>
          <ul class="town-list">
            {departments.map((u) => (
              <li>
                <a href={unitHref(u)}>{u.name}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="towns-table-heading">
        <h2 id="towns-table-heading">{t('home.townsTitle')}</h2>
        <div class="table-scroll">
          <table class="data">
            <caption>
              {t('home.townsTitle')} {t('home.townsCount', { count: towns.length })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('towns.name')}</th>
                <th scope="col">{t('towns.kind')}</th>
                <th scope="col">{t('towns.code')}</th>
              </tr>
            </thead>
            <tbody>
              {towns.map((u) => {
                const key = kindKey(u.kind);
                return (
                  <tr>
                    <td>
                      <a href={`/towns/${u.code}`}>{u.name}</a>
                      {u.isDemo && <span class="badge badge-demo"> {t('site.demoBadge')}</span>}
                    </td>
                    <td>{key ? t(key) : u.kind}</td>
                    <td>
                      <code>{u.code}</code>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </Layout>
  );
};

export const TownPage: FC<{
  ctx: PageContext;
  town: Unit;
  parent: Unit | undefined;
  children: readonly Unit[];
  profile: UnitProfile | undefined;
  news: readonly DocumentSummary[];
  directoryTitle: string;
}> = ({ ctx, town, parent, children, profile, news, directoryTitle }) => {
  const { t } = ctx;
  const key = kindKey(town.kind);
  return (
    <Layout ctx={ctx} title={town.name} crumbs={[{ label: directoryTitle, href: '/towns' }, { label: town.name }]} share={{ title: town.name, ...(profile?.intro ? { description: profile.intro.slice(0, 120) } : {}) }}>
      <h1>
        {town.name} {(town.isDemo || profile?.isDemo) && <span class="badge badge-demo">{t('site.demoBadge')}</span>}
      </h1>
      {profile?.intro && <p class="lead">{profile.intro}</p>}
      <div class="unit-grid">
        <section class="card" aria-labelledby="unit-facts-heading">
          <h2 id="unit-facts-heading">{t('units.contact')}</h2>
          <dl class="facts">
            <dt>{t('towns.kind')}</dt>
            <dd>{key ? t(key) : town.kind}</dd>
            <dt>{t('towns.code')}</dt>
            <dd>
              <code>{town.code}</code>
            </dd>
            {parent && (
              <>
                <dt>{t('town.parent')}</dt>
                <dd>{parent.name}</dd>
              </>
            )}
            <dt>{t('units.phone')}</dt>
            <dd>{town.phone ?? t('units.notPublished')}</dd>
            <dt>{t('units.address')}</dt>
            <dd>{town.address ?? t('units.notPublished')}</dd>
            {profile?.officeHours && (
              <>
                <dt>{t('units.officeHours')}</dt>
                <dd>{profile.officeHours}</dd>
              </>
            )}
          </dl>
        </section>
        <section class="card" aria-labelledby="unit-leaders-heading">
          <h2 id="unit-leaders-heading">{t('units.leaders')}</h2>
          {profile && profile.leaders.length > 0 ? (
            <ul class="leaders">
              {profile.leaders.map((l) => (
                <li>
                  <strong>{l.name}</strong> <span class="muted">{l.title}</span>
                  {l.portfolio && <p>{l.portfolio}</p>}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t('units.notPublished')}</p>
          )}
        </section>
      </div>
      <section aria-labelledby="unit-duties-heading">
        <h2 id="unit-duties-heading">{t('units.duties')}</h2>
        <p>{town.duties ?? t('units.notPublished')}</p>
      </section>
      <section aria-labelledby="unit-news-heading">
        <h2 id="unit-news-heading">{t('units.news')}</h2>
        <DocList ctx={ctx} items={news} />
      </section>
      {children.length > 0 && (
        <section aria-labelledby="unit-children-heading">
          <h2 id="unit-children-heading">{t('units.children')}</h2>
          <ul class="town-list">
            {children.map((u) => (
              <li>
                <span>{u.name}</span>
                {u.isDemo && <span class="badge badge-demo"> {t('site.demoBadge')}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Layout>
  );
};
