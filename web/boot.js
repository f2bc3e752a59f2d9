// boot.js — what every view starts first, before the page's own code has loaded: the Worker
// (whose scripts then load alongside the page's), the download and compilation of the core,
// and the download of the pretrained network, which goes to the Worker as it arrives. Then it
// loads app.js. Keeping this module small and free of imports but core.js is what lets the
// drawing pad answer about a second after a first visit on classroom Wi-Fi. Not here: anything
// the reader sees (app.js).
import { compileCore, fetchOk } from './core.js';

export const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
/** What the Worker says before app.js has its handlers; app.js replays it. */
export const early = [];
worker.onmessage = ({ data }) => early.push(data);

/** The core, compiled once as it streams in; app.js instantiates it and hands it to the Worker. */
export const wasm = compileCore();
wasm.catch(() => {}); // app.js reports it

const fetchData = (name) => fetchOk(new URL(`data/${name}`, location.href));

// The pretrained network and what is known of it, fetched here rather than in the Worker so
// that the download does not wait for the Worker's scripts; the bytes move to it, not copied.
Promise.all([fetchData('pretrained.nndl').then((r) => r.arrayBuffer()), fetchData('pretrained.json').then((r) => r.json())])
  .then(([model, about]) => worker.postMessage({ type: 'init', base: new URL('data/', location.href).href, model, about }, [model]))
  .catch((e) => worker.postMessage({ type: 'init', base: new URL('data/', location.href).href, failed: e.message }));

// Not awaited: app.js imports this module, which must have finished first. A page that cannot
// start says why where the loading bar was.
import('./app.js').catch((e) => {
  const text = document.getElementById('loading-text');
  if (text) text.textContent = `The page cannot start: ${e.message}`;
  throw e;
});
