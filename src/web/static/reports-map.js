/**
 * The map view of /reports: Leaflet draws the district outline and the filtered reports' points from
 * /reports.geojson; each point links to the report's public page. No tiles. Without JavaScript the page shows
 * a link to the list instead (this script hides it).
 */
(function () {
  'use strict';
  var el = document.getElementById('reports-map');
  if (!el || !window.L || !window.fetch) return;
  var L = window.L;
  var data = el.dataset;
  var fallback = document.querySelector('.reports-map-fallback');
  el.hidden = false;
  if (fallback) fallback.hidden = true;
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25, minZoom: 7, maxZoom: 18 });

  function getJson(url) {
    return fetch(url, { headers: { Accept: 'application/geo+json' } }).then(function (r) {
      if (!r.ok) throw new Error(url + ': ' + r.status);
      return r.json();
    });
  }
  function text(s) {
    var span = document.createElement('span');
    span.textContent = s;
    return span.innerHTML;
  }

  getJson(data.district)
    .then(function (d) {
      var outline = L.geoJSON(d, { interactive: false, style: { weight: 2, color: '#b3141b', fillOpacity: 0.04 } }).addTo(map);
      if (outline.getLayers().length) map.fitBounds(outline.getBounds());
      else map.setView([31.16, 108.39], 10);
      return getJson(data.points);
    })
    .then(function (fc) {
      var points = L.geoJSON(fc, {
        pointToLayer: function (f, latlng) {
          var closed = f.properties.closed;
          return L.circleMarker(latlng, { radius: 7, weight: 2, color: closed ? '#3d6b35' : '#b3141b', fillColor: closed ? '#7fb069' : '#f08a24', fillOpacity: 0.85 });
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          layer.bindPopup('<a href="' + text(p.href) + '">' + text(p.title) + '</a><br>' + text(p.number) + ' · ' + text(p.category) + ' · ' + text(p.closed ? data.closed : data.open));
        },
      }).addTo(map);
      if (points.getLayers().length) map.fitBounds(points.getBounds(), { padding: [24, 24], maxZoom: 15 });
    })
    .catch(function () {
      el.hidden = true;
      if (fallback) fallback.hidden = false;
    });
})();
