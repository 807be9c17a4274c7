/**
 * The public map: the 40 towns and, for a chosen town, its villages and grids. Without JavaScript it is an
 * SVG sketch and lists of links; with it, Leaflet (served from this origin, no tile server) draws the same
 * boundaries from the GeoJSON endpoints and loads a town's grids when it is chosen or zoomed into.
 */
import { createRequire } from 'node:module';
import type { FC } from 'hono/jsx';
import type { BoundaryRecord, GeoMap } from '../../modules/geography/index.js';
import { BoundaryMap } from '../components/boundary-map.js';
import { Layout, type PageContext } from '../components/layout.js';

const require = createRequire(import.meta.url);

/** Leaflet's files, served by the asset loader under /static/leaflet/. */
export const MAP_ASSETS: Record<string, { file: string }> = {
  'leaflet/leaflet.js': { file: require.resolve('leaflet/dist/leaflet.js') },
  'leaflet/leaflet.css': { file: require.resolve('leaflet/dist/leaflet.css') },
};

const isDemo = (r: BoundaryRecord) => r.source === 'demo' || r.unit.isDemo;

export const MapPage: FC<{ ctx: PageContext; map: GeoMap; town: BoundaryRecord | undefined }> = ({ ctx, map, town }) => {
  const { t, view } = ctx;
  const areas = town ? map.areasOf(town.unit.code) : undefined;
  const anyDemo = map.towns.some(isDemo) || (areas?.grids.some(isDemo) ?? false);
  const crumbs = town ? [{ label: t('map.title'), href: '/map' }, { label: town.unit.name }] : [{ label: t('map.title') }];
  const layers = town
    ? [
        { records: [town], className: 'town' },
        { records: areas!.grids, className: 'grid' },
        { records: areas!.villages, className: 'village' },
      ]
    : [
        { records: map.towns.length > 0 ? map.towns : map.district ? [map.district] : [], className: 'town' },
      ];
  return (
    <Layout ctx={ctx} title={town ? `${town.unit.name} - ${t('map.title')}` : t('map.title')} crumbs={crumbs}>
      <link rel="stylesheet" href={view.asset('leaflet/leaflet.css')} />
      <link rel="stylesheet" href={view.asset('map.css')} />
      <h1>
        {town ? town.unit.name : t('map.title')}
        {town && isDemo(town) && <span class="badge badge-demo"> {t('map.demoLabel')}</span>}
      </h1>
      <p>{t('map.intro')}</p>
      {anyDemo && (
        <p class="map-demo-note" role="note">
          <span class="badge badge-demo">{t('map.demoLabel')}</span> {t('map.demoNote')}
        </p>
      )}
      {map.towns.length === 0 && <p>{t('map.noBoundaries')}</p>}
      <div class="map-layout">
        <section class="map-panel" aria-label={t('map.interactive')}>
          <div
            id="geo-map"
            class="geo-map"
            hidden
            data-district="/geo/district.geojson"
            data-towns="/geo/towns.geojson"
            data-grids="/geo/towns/{code}/grids.geojson"
            data-villages="/geo/towns/{code}/villages.geojson"
            data-town={town?.unit.code ?? ''}
            data-demo-label={t('map.demoLabel')}
            data-hint={t('map.interactiveHint')}
          ></div>
          <figure class="map-fallback">
            <BoundaryMap layers={layers} title={town ? t('map.townFigureTitle', { town: town.unit.name }) : t('map.figureTitle')} />
            <figcaption class="figure-note">
              {t('home.mapNote')} {t('map.revision', { revision: map.revision })}
            </figcaption>
          </figure>
        </section>
        <section class="map-side" aria-labelledby="map-list-heading">
          {town && areas ? (
            <>
              <h2 id="map-list-heading">{t('map.townGrids', { town: town.unit.name, villages: areas.villages.length, grids: areas.grids.length })}</h2>
              <p>
                <a href="/map" data-district-link="">
                  {t('map.backToDistrict')}
                </a>
              </p>
              <ul class="village-list">
                {areas.villages.map((v) => {
                  const count = areas.grids.filter((g) => g.unit.parentId === v.unit.id).length;
                  return (
                    <li>
                      {v.unit.name} <span class="muted">{t('map.gridCount', { count })}</span>
                    </li>
                  );
                })}
              </ul>
            </>
          ) : (
            <>
              <h2 id="map-list-heading">{t('map.townsHeading')}</h2>
              <ul class="town-list map-town-list">
                {map.towns.map((r) => (
                  <li>
                    <a href={`/map?town=${encodeURIComponent(r.unit.code)}`} data-town={r.unit.code} aria-label={t('map.showTown', { town: r.unit.name })}>
                      {r.unit.name}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>
      <script src={view.asset('leaflet/leaflet.js')} defer></script>
      <script src={view.asset('map.js')} defer></script>
    </Layout>
  );
};
