// start.js — the first module of figures/: on a figure's own page (figures/<id>/, which names it
// in a meta) or with ?figure=<id> it starts compiling the WebAssembly
// core at once (streaming, while the figure's own modules download), importing the figure's
// module beside the frame's, and the figure's Worker if it has one (registry.js: its client, which
// hands it the core), and hands them to the frame; without, it shows the gallery, which needs no
// core at all. Not here: either view itself.
import { compileCore, loadCore } from '../../lib/nndl.js';
import { WorkerClient } from '../../lib/worker-client.js';
import { figureById } from './registry.js';

const params = new URLSearchParams(location.search);
// scheme=light or dark: the colours a lesson asks for (its own page's), before anything is drawn
const scheme = params.get('scheme');
if (scheme === 'light' || scheme === 'dark') document.documentElement.style.colorScheme = scheme;
const id = params.get('figure') ?? document.querySelector('meta[name="nndl-figure"]')?.content ?? null;

const entry = id === null ? null : figureById(id);
if (entry) {
  // the core, the frame, the figure's module and its Worker all start downloading now, side by
  // side (loadCore first: the figure's modules ask the core for its names as they load)
  const core = compileCore(), instance = loadCore({ wasm: core }), figure = import(`../${id}.js`);
  for (const p of [core, instance, figure]) p.catch(() => {}); // reported by the frame, which awaits them
  const worker = entry.worker ? new WorkerClient(new URL(`../workers/${entry.worker}`, import.meta.url), { wasm: core }) : null;
  import('./frame.js').then(({ showFigure }) => showFigure(entry, params, core, figure, worker)).then(keepOffline);
} else {
  import('./gallery.js').then(({ showGallery }) => showGallery(id)).then(keepOffline);
}

/** Once the view is up and idle, the service worker keeps what it loaded (a figure opens offline,
 * from a tablet's home screen too): after the reader's first minutes, never in their way. */
function keepOffline() {
  const later = window.requestIdleCallback ?? ((fn) => setTimeout(fn, 2000));
  later(() => import('../../shared/offline.js').then(({ keepForLater }) => keepForLater([])), { timeout: 5000 });
}
