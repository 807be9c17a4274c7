// The lifeline board refreshes its map and alarm list every second; without JavaScript the page is complete and a
// reload shows the same. The fragment comes from our own server (escaped by the templates).
const live = document.getElementById('ll-live');
if (live && live.dataset.liveSrc) {
  let busy = false;
  const refresh = async () => {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const res = await fetch(live.dataset.liveSrc, { headers: { accept: 'text/html' }, credentials: 'same-origin', cache: 'no-store' });
      if (res.ok) {
        const html = await res.text();
        // Keep the keyboard focus where it was when the same link is still there.
        const focused = document.activeElement && live.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
        live.innerHTML = html;
        if (focused) live.querySelector(`a[href="${CSS.escape(focused)}"]`)?.focus();
      }
    } catch {
      // Offline for a moment: try again on the next tick.
    } finally {
      busy = false;
    }
  };
  setInterval(refresh, 1000);
}
