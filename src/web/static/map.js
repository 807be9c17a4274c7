/**
 * The interactive map on /map: Leaflet draws the towns from /geo/towns.geojson and, for the town chosen in
 * the list, clicked, or zoomed into, its villages and grids. No tiles: boundaries on a plain background.
 * Without JavaScript the page shows the server-rendered SVG and the lists instead (this script hides them).
 */
(function () {
  'use strict';
  var el = document.getElementById('geo-map');
  if (!el || !window.L || !window.fetch) return;
  var L = window.L;
  var data = el.dataset;
  var fallback = document.querySelector('.map-fallback');
  el.hidden = false;
  if (fallback) fallback.hidden = true;

  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25, minZoom: 7, maxZoom: 16 });
  var townsLayer = null;
  var detailLayers = [];
  var shownTown = '';
  var townFeatures = [];

  var zh = document.documentElement.lang !== 'en';
  function label(props) {
    if (!props.demo) return props.name;
    return zh ? props.name + '（' + data.demoLabel + '）' : props.name + ' (' + data.demoLabel + ')';
  }

  function getJson(url) {
    return fetch(url, { headers: { Accept: 'application/geo+json' } }).then(function (r) {
      if (!r.ok) throw new Error(url + ': ' + r.status);
      return r.json();
    });
  }

  // Ray casting on the GeoJSON rings, to know which town the map is centred on after a zoom.
  function ringContains(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }
  function featureContains(f, x, y) {
    var polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    return polygons.some(function (p) {
      return p.reduce(function (acc, ring) { return ringContains(ring, x, y) ? !acc : acc; }, false);
    });
  }

  function clearDetail() {
    detailLayers.forEach(function (l) { map.removeLayer(l); });
    detailLayers = [];
  }

  function showTown(code, fit) {
    if (!code || code === shownTown) return;
    shownTown = code;
    clearDetail();
    Promise.all([getJson(data.grids.replace('{code}', code)), getJson(data.villages.replace('{code}', code))]).then(function (r) {
      if (shownTown !== code) return;
      var grids = L.geoJSON(r[0], {
        style: function (f) { return { className: 'grid-path' + (f.properties.demo ? ' demo' : ''), weight: 1, color: '#5b6b82', fillOpacity: 0.06, fillColor: '#0b4f9c' }; },
        onEachFeature: function (f, layer) { layer.bindTooltip(label(f.properties), { sticky: true }); },
      }).addTo(map);
      var villages = L.geoJSON(r[1], { interactive: false, style: { weight: 2.5, color: '#0b4f9c', fill: false } }).addTo(map);
      detailLayers = [grids, villages];
      if (fit && grids.getLayers().length) map.fitBounds(grids.getBounds(), { padding: [12, 12] });
      if (window.history && window.history.replaceState) window.history.replaceState(null, '', '/map?town=' + encodeURIComponent(code));
    });
  }

  getJson(data.towns).then(function (fc) {
    townFeatures = fc.features;
    if (!townFeatures.length) return getJson(data.district).then(function (d) {
      var outline = L.geoJSON(d, { style: { weight: 2, color: '#b3141b', fillOpacity: 0.05 } }).addTo(map);
      map.fitBounds(outline.getBounds());
    });
    townsLayer = L.geoJSON(fc, {
      style: function (f) { return { weight: 2, color: '#b3141b', fillOpacity: 0.08, fillColor: f.properties.demo ? '#e8a33d' : '#0b4f9c' }; },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(label(f.properties), { sticky: true });
        layer.on('click', function () { showTown(f.properties.code, true); });
      },
    }).addTo(map);
    map.fitBounds(townsLayer.getBounds());
    if (fc.features.some(function (f) { return f.properties.demo; })) {
      var note = L.control({ position: 'bottomleft' });
      note.onAdd = function () {
        var div = L.DomUtil.create('div', 'map-demo-control');
        div.textContent = data.demoLabel;
        return div;
      };
      note.addTo(map);
    }
    if (data.town) showTown(data.town, true);
  });

  // Zoomed in far enough, show the grids of the town at the centre of the view.
  map.on('moveend', function () {
    if (map.getZoom() < 11 || !townFeatures.length) return;
    var c = map.getCenter();
    for (var i = 0; i < townFeatures.length; i++) {
      if (featureContains(townFeatures[i], c.lng, c.lat)) return showTown(townFeatures[i].properties.code, false);
    }
  });

  // The list's links choose a town without leaving the page.
  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest ? e.target.closest('a[data-town]') : null;
    if (!a) return;
    e.preventDefault();
    showTown(a.getAttribute('data-town'), true);
    el.focus();
  });
})();
