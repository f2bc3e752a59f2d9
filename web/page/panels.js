// @ts-check
// panels.js — the page's view in its link: the panels an embed chooses among, the ones it shows
// when it names none, and which of them train (a view with none of those never downloads MNIST
// nor loads the core on shared memory). One definition that params.js (the whole link), app.js
// (the view) and boot.js (which core the Worker gets, before anything else has loaded) read.
// Not here: the run's settings (params.js).
import { parseState } from '../shared/url-state.js';

export const PANELS = ['controls', 'curves', 'speeds', 'filters', 'draw', 'gallery'];
export const TRAINING_PANELS = ['controls', 'curves', 'speeds', 'gallery'];
/** The panels an embed shows when its link names none. */
const EMBED_PANELS = ['curves', 'draw'];

/** The view's settings of a link: whether it is an embed, and its panels. */
export const VIEW_SCHEMA = {
  embed: { type: /** @type {'bool'} */ ('bool'), default: false },
  panels: { type: /** @type {'names'} */ ('names'), values: PANELS, default: PANELS },
};

/** The view's panels by default: an embed's, or the full page's. */
export const panelsOf = (embed) => (embed ? [...EMBED_PANELS] : [...PANELS]);

/** parseState's fix for the view: an embed that names no panels shows the curves and the pad. */
export const fixView = (/** @type {Record<string, any>} */ state, /** @type {string[]} */ _, /** @type {Set<string>} */ given) => {
  if (state.embed && !given.has('panels')) state.panels = panelsOf(true);
};

/** Whether the view of the link `search` trains (read by the link's own grammar). */
export function viewTrains(search) {
  const { state } = parseState(VIEW_SCHEMA, search, { unknown: 'ignore', fix: fixView });
  return state.panels.some((/** @type {string} */ p) => TRAINING_PANELS.includes(p));
}
