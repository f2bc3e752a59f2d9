// palette.js — the colours for canvases (the figures' plots, the page's charts, the pads), read
// from palette.css's custom properties, and told again when the reader's scheme turns light or
// dark, so that a colour is named once, in CSS. Not here: the colours themselves (palette.css).

const DARK = globalThis.matchMedia?.('(prefers-color-scheme: dark)'); // none in Node (tests)
const listeners = new Set();
let cache = new Map();

/** A palette name's colour now ('accent', 'goal', 'ink', 'blue', ...): the custom property
 * --name of palette.css. Any other CSS colour ('#f7b500', 'rgb(...)') is returned as it is. */
export function color(name) {
  if (!/^[a-z][a-z-]*$/.test(name)) return name;
  if (!cache.has(name)) cache.set(name, getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim() || name);
  return cache.get(name);
}

/** COLORS.ink, COLORS.accent, ...: color(name) as properties, for drawing code. */
export const COLORS = new Proxy({}, { get: (_, name) => (typeof name === 'string' ? color(name) : undefined) });

/** Calls fn whenever the scheme changes (canvases redraw in the new colours). */
export function onSchemeChange(fn) {
  listeners.add(fn);
}

DARK?.addEventListener('change', () => {
  cache = new Map();
  for (const fn of listeners) fn();
});
