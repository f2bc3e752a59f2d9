// offline.js — a view's side of the service worker (sw.js), for the main page and the figures:
// once a view has what it needs, the service worker is registered and asked to keep what this
// view and its Worker loaded, so that a reload, another tab or embed, and a visit offline (an
// app on a tablet's home screen) take it from the browser; when it has, body[data-kept] says
// which release. Without service workers (an insecure origin, some
// private windows) nothing changes. Not here: what is kept or how it is checked (sw.js).

navigator.serviceWorker?.addEventListener('message', ({ data }) => {
  if (data?.type === 'kept') document.body.dataset.kept = data.version;
});

/** Asks the service worker to keep the page's files and the Worker's (`workerUrls`). */
export async function keepForLater(workerUrls) {
  // asked on every visit: a page the service worker took over while it loaded has files it
  // never saw (the worker skips what it keeps already, and takes the rest from the HTTP cache)
  if (!('serviceWorker' in navigator)) return;
  try {
    const registration = await navigator.serviceWorker.register(new URL('../sw.js', import.meta.url));
    const sw = registration.active ?? (await navigator.serviceWorker.ready).active;
    // the browser's own fetches (the icon, the manifest) are not in the page's resource timing; a
    // view in a frame has none (a lesson's page shows its own), and the apple-touch-icon is taken
    // by Safari when a reader adds the page to the home screen, online: neither is fetched to keep
    const own = window.top === window ? document.querySelectorAll('link[rel~=icon], link[rel=manifest]') : [];
    const links = [...own].map((l) => l.href);
    const urls = [location.href, ...links, ...performance.getEntriesByType('resource').map((e) => e.name), ...workerUrls];
    sw.postMessage({ type: 'keep', urls });
  } catch (e) {
    console.warn(`nndl: no offline copy (${e.message})`);
  }
}
