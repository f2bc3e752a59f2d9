// palette.js — the colours for canvases (the figures' plots, the page's charts, the pads), read
// from palette.css's custom properties as the page shows them (each is light-dark(): resolved by
// a probe element in the scheme where the canvases are), and told again when the reader's scheme
// turns light or dark, so that a colour is named once, in CSS. Not here: the colours themselves
// (palette.css).

const DARK = globalThis.matchMedia?.('(prefers-color-scheme: dark)'); // none in Node (tests)
const listeners = new Set();
const shadowHosts = new Set();
let cache = new Map();

/** Reads the palette from `host` too: a <nndl-figure> defines it on its shadow root's :host, not
 * on the page's root, whose custom properties (if any) are the lesson's own. */
export function readPaletteFrom(host) {
  shadowHosts.add(host);
  cache = new Map();
}

/** Where the palette is defined: a connected <nndl-figure>, else the page's root. */
function paletteRoot() {
  for (const host of shadowHosts) {
    if (host.isConnected) return host;
    shadowHosts.delete(host); // removed from the page (put back, it says so again)
  }
  return document.documentElement;
}

/** A palette name's colour now ('accent', 'goal', 'ink', 'blue', ...): the custom property
 * --name of palette.css, as rgb(); any other CSS colour ('#f7b500', 'rgb(...)') as it is. */
export function color(name) {
  if (!/^[a-z][a-z-]*$/.test(name)) return name;
  if (cache.has(name)) return cache.get(name);
  const root = paletteRoot();
  if (!getComputedStyle(root).getPropertyValue(`--${name}`).trim()) return name; // not there (yet: a stylesheet loading)
  const probe = document.createElement('i'); // the colour in the scheme that applies there
  probe.hidden = true;
  probe.style.color = `var(--${name})`;
  (root.shadowRoot ?? root).append(probe);
  const value = getComputedStyle(probe).color;
  probe.remove();
  cache.set(name, value);
  return value;
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
