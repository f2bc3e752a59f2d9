// boot.js — what every view starts first, before the page's own code has loaded: the Worker
// (whose scripts then load alongside the page's, given the core through the one Worker client
// as soon as it is compiled), the download and compilation of the core, and the download of the
// pretrained network, which goes to the Worker as it arrives. Then it loads app.js and hands it
// all of these by a call. Keeping this module small and free of imports but the library's (and
// the view's panels, which say whether it trains) is what lets the drawing pad answer about a
// second after a first visit on classroom Wi-Fi. Not here: anything the reader sees (app.js).
import { compileCore, fetchOk } from '../lib/nndl.js';
import { answerHelper, canShare } from '../lib/threads.js';
import { WorkerClient } from '../lib/worker-client.js';
import { viewTrains } from './panels.js';

/** The core, compiled once as it streams in; the Worker and app.js instantiate it. Where the page
 * is cross-origin isolated and the view trains, the Worker trains on every core: it gets the core
 * on shared memory (nndl-mt.wasm, lib/threads.js); a view of the pad alone never loads it. */
const wasm = compileCore();
wasm.catch(() => {}); // app.js reports it
const workerWasm = canShare() && viewTrains(location.search) ? compileCore(new URL('../lib/nndl-mt.wasm', import.meta.url)) : wasm;
const worker = new WorkerClient(new URL('./worker/worker.js', import.meta.url), { wasm: workerWasm });
// the Worker's helper threads are started here: a Worker's own `new Worker` can hang in Firefox
if (workerWasm !== wasm) worker.listen({ helper: (message) => answerHelper(message, (reply) => worker.post(reply)) });

// The pretrained network and what is known of it, fetched here rather than in the Worker so
// that the download does not wait for the Worker's scripts; the bytes move to it, not copied.
const base = new URL('data/', location.href).href;
const fetchData = (name) => fetchOk(new URL(name, base));
Promise.all([fetchData('pretrained.nndl').then((r) => r.arrayBuffer()), fetchData('pretrained.json').then((r) => r.json())])
  .then(([model, about]) => worker.post({ type: 'pretrained', base, model, about }, [model]))
  .catch((e) => worker.post({ type: 'pretrained', base, failed: e.message }));

// A page that cannot start says why where the loading bar was.
import('./app.js').then(({ start }) => start({ worker, wasm })).catch((e) => {
  const text = document.getElementById('loading-text');
  if (text) text.textContent = `The page cannot start: ${e.message}`;
  throw e;
});
