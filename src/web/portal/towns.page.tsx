import type { FC } from 'hono/jsx';
import type { Unit } from '../../modules/organization/index.js';
import { Layout, type PageContext } from '../components/layout.js';

const kindKey = (kind: string) => (kind === 'street' || kind === 'town' || kind === 'township' ? (`home.kind.${kind}` as const) : undefined);

export const TownsPage: FC<{ ctx: PageContext; towns: readonly Unit[] }> = ({ ctx, towns }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('towns.title')} crumbs={[{ label: t('towns.title') }]}>
      <h1>{t('towns.title')}</h1>
      <p>{t('towns.intro')}</p>
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
    </Layout>
  );
};

export const TownPage: FC<{ ctx: PageContext; town: Unit; parent: Unit | undefined; children: readonly Unit[] }> = ({ ctx, town, parent, children }) => {
  const { t } = ctx;
  const key = kindKey(town.kind);
  return (
    <Layout ctx={ctx} title={town.name} crumbs={[{ label: t('towns.title'), href: '/towns' }, { label: town.name }]}>
      <h1>
        {town.name} {town.isDemo && <span class="badge badge-demo">{t('site.demoBadge')}</span>}
      </h1>
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
      </dl>
      {children.length > 0 && (
        <ul>
          {children.map((u) => (
            <li>
              {u.name}
              {u.isDemo && <span class="badge badge-demo"> {t('site.demoBadge')}</span>}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
};
