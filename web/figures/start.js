// start.js — the first module of figures/: with ?figure=<id> it starts compiling the WebAssembly
// core at once (streaming, while the figure's own modules download) and hands it to the frame;
// without, it shows the gallery, which needs no core at all. Not here: either view itself.
import { compileCore } from '../core.js';
import { figureById } from './registry.js';

const params = new URLSearchParams(location.search);
const id = params.get('figure');

if (id !== null && figureById(id)) {
  const core = compileCore();
  core.catch(() => {}); // reported by the frame, which awaits it
  import('./frame.js').then(({ showFigure }) => showFigure(figureById(id), params, core));
} else {
  import('./gallery.js').then(({ showGallery }) => showGallery(id));
}
