/**
 * The public reporting form, enhanced (the form works without this file):
 * - a Leaflet map to place a pin (no tiles: the district outline on a plain background), filling lon/lat;
 * - "use my location": the browser's position is WGS-84, the form's coordinate system, so no conversion;
 * - a search box that filters the category list;
 * - similar open reports nearby (same category, within the category's radius) with a "me too" button that
 *   supports one instead of filing a copy;
 * - the submit button is disabled after the first press (the server dedupes by the form's key as well).
 */
(function () {
  'use strict';
  var form = document.querySelector('form[data-report-form]');
  if (!form) return;
  var $ = function (sel) { return form.querySelector(sel); };
  var lon = $('#f-lon');
  var lat = $('#f-lat');
  var crs = $('[data-crs]');
  var category = $('#f-categoryId');

  // Double click, impatient second press: one submission.
  form.addEventListener('submit', function () {
    var button = $('[data-submit]');
    if (button) window.setTimeout(function () { button.disabled = true; }, 0);
  });

  // Category search: hides the options that do not match (and optgroups left empty).
  var searchRow = form.querySelector('[data-category-search]');
  if (searchRow && category) {
    searchRow.hidden = false;
    var input = searchRow.querySelector('input');
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase();
      var groups = category.querySelectorAll('optgroup');
      var options = category.querySelectorAll('option');
      for (var i = 0; i < options.length; i++) {
        var o = options[i];
        if (!o.value) continue;
        var label = (o.textContent + ' ' + (o.parentNode.label || '')).toLowerCase();
        o.hidden = q !== '' && label.indexOf(q) === -1;
        o.disabled = o.hidden;
      }
      for (var j = 0; j < groups.length; j++) {
        groups[j].hidden = groups[j].querySelectorAll('option:not([hidden])').length === 0;
      }
      var visible = category.querySelectorAll('option:not([hidden])');
      if (q && visible.length === 2) category.value = visible[1].value;
    });
  }

  // The map.
  var mapEl = document.getElementById('report-map');
  var marker = null;
  var map = null;
  function place(x, y, pan) {
    lon.value = x.toFixed(6);
    lat.value = y.toFixed(6);
    if (crs) crs.value = 'wgs84';
    if (map) {
      if (marker) marker.setLatLng([y, x]);
      else marker = window.L.circleMarker([y, x], { radius: 9, color: '#b3261e', weight: 3, fillOpacity: 0.6 }).addTo(map);
      if (pan) map.setView([y, x], Math.max(map.getZoom(), 15));
    }
    lookNearby();
  }
  if (mapEl && window.L && window.fetch) {
    var L = window.L;
    mapEl.hidden = false;
    map = L.map(mapEl, { attributionControl: false, zoomSnap: 0.5, minZoom: 8, maxZoom: 18 });
    map.setView([31.18, 108.39], 10);
    fetch(mapEl.dataset.district, { headers: { Accept: 'application/geo+json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (geo) {
        if (!geo || !geo.features || !geo.features.length) return;
        var layer = L.geoJSON(geo, { style: { color: '#0a4ea3', weight: 2, fillOpacity: 0.05 }, interactive: false }).addTo(map);
        if (!lon.value) map.fitBounds(layer.getBounds());
      })
      .catch(function () {});
    map.on('click', function (e) { place(e.latlng.lng, e.latlng.lat, false); });
    var x0 = parseFloat(lon.value);
    var y0 = parseFloat(lat.value);
    if (isFinite(x0) && isFinite(y0)) {
      marker = L.circleMarker([y0, x0], { radius: 9, color: '#b3261e', weight: 3, fillOpacity: 0.6 }).addTo(map);
      map.setView([y0, x0], 15);
    }
  }

  // "Use my location".
  var locateRow = form.querySelector('[data-locate-row]');
  if (locateRow && navigator.geolocation) {
    locateRow.hidden = false;
    var button = locateRow.querySelector('[data-locate-button]');
    var status = locateRow.querySelector('[data-locate-status]');
    button.addEventListener('click', function () {
      status.textContent = button.dataset.locating;
      navigator.geolocation.getCurrentPosition(
        function (p) {
          status.textContent = button.dataset.located;
          place(p.coords.longitude, p.coords.latitude, true);
        },
        function () { status.textContent = button.dataset.failed; },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  // Similar open reports nearby.
  var nearby = form.querySelector('[data-nearby]');
  var list = form.querySelector('[data-nearby-list]');
  var pending = 0;
  var lastQuery = '';
  function lookNearby() {
    if (!nearby || !category || !window.fetch) return;
    var x = parseFloat(lon.value);
    var y = parseFloat(lat.value);
    if (!category.value || !isFinite(x) || !isFinite(y) || (crs && crs.value !== 'wgs84')) {
      nearby.hidden = true;
      lastQuery = '';
      return;
    }
    var query = '/report/nearby?categoryId=' + encodeURIComponent(category.value) + '&lon=' + x + '&lat=' + y;
    // The same question again (a field's change event fires on blur, i.e. when the citizen taps a "me too"
    // button): keep the list as it is. Rebuilding it between the tap's press and release would lose the tap.
    if (query === lastQuery) return;
    lastQuery = query;
    var ticket = ++pending;
    fetch(query, { headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) lastQuery = '';
        return r.ok ? r.json() : { items: [] };
      })
      .then(function (data) {
        if (ticket !== pending) return;
        list.textContent = '';
        if (!data.items.length) {
          nearby.hidden = true;
          return;
        }
        data.items.forEach(function (item) {
          var li = document.createElement('li');
          var a = document.createElement('a');
          a.href = '/reports/' + item.number;
          a.textContent = item.title;
          li.appendChild(a);
          var meta = document.createElement('span');
          meta.className = 'muted';
          meta.textContent = ' · ' + item.state + ' · ' + list.dataset.distance.replace('{distance}', item.distanceM) + ' · ' + list.dataset.supporters.replace('{count}', item.supporters);
          li.appendChild(meta);
          // Supporting submits the separate support form (with this form's key, so a second press counts once).
          var b = document.createElement('button');
          b.type = 'submit';
          b.className = 'button button-secondary';
          b.setAttribute('form', 'support-form');
          b.name = 'number';
          b.value = item.number;
          b.textContent = list.dataset.supportLabel;
          li.appendChild(document.createTextNode(' '));
          li.appendChild(b);
          list.appendChild(li);
        });
        nearby.hidden = false;
      })
      .catch(function () { lastQuery = ''; });
  }
  if (category) category.addEventListener('change', lookNearby);
  if (lon) lon.addEventListener('change', lookNearby);
  if (lat) lat.addEventListener('change', lookNearby);
})();
