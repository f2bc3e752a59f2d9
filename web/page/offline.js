// offline.js — the page's side of the service worker (sw.js): once a view has what it needs,
// the service worker is registered and asked to keep what this page and its Worker loaded, so
// that a reload, another tab or embed, and a visit offline take it from the browser; when it
// has, body[data-kept] says which release. Without service workers (an insecure origin, some
// private windows) nothing changes. Not here: what is kept or how it is checked (sw.js).

navigator.serviceWorker?.addEventListener('message', ({ data }) => {
  if (data?.type === 'kept') document.body.dataset.kept = data.version;
});

/** Asks the service worker to keep the page's files and the Worker's (`workerUrls`). */
export async function keepForLater(workerUrls) {
  // a page the service worker controls is kept as it loads: nothing to ask
  if (!('serviceWorker' in navigator) || navigator.serviceWorker.controller) return;
  try {
    const registration = await navigator.serviceWorker.register(new URL('../sw.js', import.meta.url));
    const sw = registration.active ?? (await navigator.serviceWorker.ready).active;
    const urls = [location.href, ...performance.getEntriesByType('resource').map((e) => e.name), ...workerUrls];
    sw.postMessage({ type: 'keep', urls });
  } catch (e) {
    console.warn(`nndl: no offline copy (${e.message})`);
  }
}
