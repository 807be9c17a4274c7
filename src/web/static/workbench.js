// Progressive enhancement for workbench forms; everything works without it.
// "Use my location" fills the longitude and latitude fields from the browser's geolocation (WGS-84).
for (const button of document.querySelectorAll('[data-locate-button]')) {
  button.hidden = !('geolocation' in navigator);
  button.addEventListener('click', () => {
    const box = button.closest('[data-locate]');
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        box.querySelector('input[name="lon"]').value = pos.coords.longitude.toFixed(6);
        box.querySelector('input[name="lat"]').value = pos.coords.latitude.toFixed(6);
        button.disabled = false;
      },
      () => {
        button.disabled = false;
      },
      { enableHighAccuracy: true, timeout: 15000 },
    );
  });
}
