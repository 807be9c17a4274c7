// Progressive enhancement of the 12350 form (/interaction/safety); the form works without it.
// - A pin on the district map: a click turns into WGS-84 longitude and latitude in the form's fields (the map is
//   the district outline drawn as an equirectangular sketch; the page gives its projection in data attributes).
// - "Use my location" takes the browser's geolocation (WGS-84) and moves the pin there.
// - The name and phone fields are hidden while "anonymous" is chosen.
(() => {
  const form = document.querySelector('.safety-form');
  if (!form) return;
  const lon = form.querySelector('input[name="lon"]');
  const lat = form.querySelector('input[name="lat"]');
  const map = form.querySelector('[data-pin-map]');
  const pin = map && map.querySelector('[data-pin]');
  const svg = map && map.querySelector('svg');
  const locate = form.querySelector('[data-locate-button]');
  const clear = form.querySelector('[data-clear-button]');

  const projection = map && {
    minLon: Number(map.dataset.minLon),
    maxLat: Number(map.dataset.maxLat),
    kx: Number(map.dataset.kx),
    scale: Number(map.dataset.scale),
  };
  const toXY = (lo, la) => [(lo - projection.minLon) * projection.kx * projection.scale, (projection.maxLat - la) * projection.scale];
  const toLonLat = (x, y) => [projection.minLon + x / (projection.kx * projection.scale), projection.maxLat - y / projection.scale];

  const showPin = () => {
    if (!pin) return;
    const lo = Number(lon.value);
    const la = Number(lat.value);
    if (lon.value && lat.value && Number.isFinite(lo) && Number.isFinite(la)) {
      const [x, y] = toXY(lo, la);
      pin.setAttribute('cx', x.toFixed(1));
      pin.setAttribute('cy', y.toFixed(1));
    } else {
      pin.setAttribute('cx', '-100');
      pin.setAttribute('cy', '-100');
    }
  };

  if (map && svg) {
    map.hidden = false;
    svg.style.cursor = 'crosshair';
    svg.addEventListener('click', (event) => {
      const matrix = svg.getScreenCTM();
      if (!matrix) return;
      const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
      const [lo, la] = toLonLat(point.x, point.y);
      lon.value = lo.toFixed(6);
      lat.value = la.toFixed(6);
      showPin();
    });
    lon.addEventListener('input', showPin);
    lat.addEventListener('input', showPin);
    showPin();
  }

  if (locate && 'geolocation' in navigator) {
    locate.hidden = false;
    locate.addEventListener('click', () => {
      locate.disabled = true;
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          lon.value = pos.coords.longitude.toFixed(6);
          lat.value = pos.coords.latitude.toFixed(6);
          showPin();
          locate.disabled = false;
        },
        () => {
          locate.disabled = false;
        },
        { enableHighAccuracy: true, timeout: 15000 },
      );
    });
  }
  if (clear) {
    clear.hidden = false;
    clear.addEventListener('click', () => {
      lon.value = '';
      lat.value = '';
      showPin();
    });
  }

  const realName = form.querySelector('[data-real-name]');
  const modes = form.querySelectorAll('input[name="mode"]');
  const applyMode = () => {
    const anonymous = form.querySelector('input[name="mode"]:checked')?.value === 'anonymous';
    if (realName) realName.hidden = anonymous;
  };
  for (const m of modes) m.addEventListener('change', applyMode);
  applyMode();
})();
