// start.js — the first module of figures/: with ?figure=<id> it starts compiling the WebAssembly
// core at once (streaming, while the figure's own modules download) and importing the figure's
// module beside the frame's, and hands both to the frame;
// without, it shows the gallery, which needs no core at all. Not here: either view itself.
import { compileCore } from '../core.js';
import { figureById } from './registry.js';

const params = new URLSearchParams(location.search);
const id = params.get('figure');

if (id !== null && figureById(id)) {
  // the core, the frame and the figure's module all start downloading now, side by side
  const core = compileCore(), figure = import(`./${id}.js`);
  core.catch(() => {}); // both reported by the frame, which awaits them
  figure.catch(() => {});
  import('./frame.js').then(({ showFigure }) => showFigure(figureById(id), params, core, figure));
} else {
  import('./gallery.js').then(({ showGallery }) => showGallery(id));
}
