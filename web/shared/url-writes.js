// url-writes.js — a view's settings written into its address, for the main page and the figures
// alike: at most once every URL_EVERY_MS while the reader types or drags (Safari refuses more than
// 100 history.replaceState calls in 30 s, and a write per input event reaches that in seconds),
// the latest state winning, and a write the browser refuses caught (the link catches up at the
// next). Not here: what the settings are or how they are spelled (url-state.js).

/** How often a view writes its URL at most: 75 writes in 30 s, under Safari's 100. */
export const URL_EVERY_MS = 400;

/** fn at once, then at most once every `ms` (the last call's turn comes at the end of the wait). */
export function throttled(fn, ms) {
  let last = -Infinity, timer = null;
  return () => {
    const wait = last + ms - performance.now();
    if (timer) return;
    if (wait <= 0) { last = performance.now(); fn(); return; }
    timer = setTimeout(() => { timer = null; last = performance.now(); fn(); }, wait);
  };
}

/** A function that writes url() (the view's current address) into the history entry, throttled;
 * written() runs after each write, refused or not (what follows the address: a link, a parent). */
export function urlWriter(url, written = () => {}) {
  return throttled(() => {
    try {
      history.replaceState(null, '', url());
    } catch { /* refused (Safari past 100 writes in 30 s): the link catches up at the next write */ }
    written();
  }, URL_EVERY_MS);
}
