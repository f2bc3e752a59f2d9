// start.js — the first module of figures/: with ?figure=<id> it starts compiling the WebAssembly
// core at once (streaming, while the figure's own modules download) and importing the figure's
// module beside the frame's, and hands both to the frame;
// without, it shows the gallery, which needs no core at all. Not here: either view itself.
import { compileCore, loadCore } from '../core.js';
import { figureById } from './registry.js';

const params = new URLSearchParams(location.search);
const id = params.get('figure');

if (id !== null && figureById(id)) {
  // the core, the frame and the figure's module all start downloading now, side by side
  // (loadCore first: the figure's modules ask the core for its names as they load)
  const core = compileCore(), instance = loadCore({ wasm: core }), figure = import(`./${id}.js`);
  for (const p of [core, instance, figure]) p.catch(() => {}); // reported by the frame, which awaits them
  import('./frame.js').then(({ showFigure }) => showFigure(figureById(id), params, core, figure));
} else {
  import('./gallery.js').then(({ showGallery }) => showGallery(id));
}
