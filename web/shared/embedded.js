// embedded.js — a view's side of the message protocol with the page that embeds it in an iframe
// (a lesson, a learning platform, a notebook). Version 1; every message is an object
// { nndl: 1, type, ... }:
//   view -> host  height { height }              to any origin, whenever the height changes
//                 state  { state, url, notes?, id? } to trusted origins only: once ready (the
//                                                  first: it now hears get and set), after each
//                                                  change, and as the reply to get or set (with
//                                                  its id; notes: what a set did not use, and why)
//                 result { result }              to trusted origins only, where a view has one
//                 error  { message, id? }        to a trusted origin that sent what is not understood
//   host -> view  get { id? }; set { state: { name: value }, id? }  (values as a link writes them)
// Trusted: the view's own origin and those its link names in allow= (comma-separated origins);
// a message from any other origin, or from a window that is not the parent, is ignored. Also the
// first version's height message, { type: 'nndl-figure', height }, for the embed.js of lessons
// written before. Not here: what a state is (the figure's schema, the page's settings).

export const VERSION = 1;

/** The origins a view trusts: its own and those of `allow` ("https://a.example,https://b.example");
 * malformed ones go to notes. */
export function trustedOrigins(allow, notes = []) {
  const origins = new Set([location.origin]);
  for (const text of (allow ?? '').split(',').map((t) => t.trim()).filter(Boolean)) {
    let origin = null;
    try { origin = new URL(text).origin; } catch { /* said below */ }
    if (origin && origin !== 'null' && origin === text.replace(/\/$/, '')) origins.add(origin);
    else notes.push(`allow: "${text}" is not an origin like https://lessons.example.org`);
  }
  return origins;
}

/**
 * Connects a view in an iframe to its host: posts its height as it changes and its state after
 * every change (stateChanged()), answers get and set from trusted origins. `state()` gives
 * { state, url } now; `set(entries)` (optional) applies settings given as [name, text] pairs the
 * way a link gives them and resolves to the notes on those it did not use. Returns { stateChanged,
 * result } (result(value) posts a view's result), or null outside an iframe.
 */
export function connectHost({ origins, state, set }) {
  if (window.parent === window) return null;
  const host = window.parent;
  const toTrusted = (message) => { for (const origin of origins) host.postMessage({ nndl: VERSION, ...message }, origin); };
  let lastHeight = -1;
  const postHeight = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === lastHeight) return;
    lastHeight = height;
    host.postMessage({ nndl: VERSION, type: 'height', height }, '*'); // a height says nothing of the reader
    host.postMessage({ type: 'nndl-figure', height }, '*'); // the first version's, for older lessons' embed.js
  };
  new ResizeObserver(postHeight).observe(document.documentElement);
  postHeight();

  window.addEventListener('message', async (event) => {
    const message = event.data;
    if (event.source !== host || !origins.has(event.origin) || !message || typeof message !== 'object' || !('nndl' in message)) return;
    const reply = (fields) => host.postMessage({ nndl: VERSION, ...fields, ...(message.id !== undefined ? { id: message.id } : {}) }, event.origin);
    if (message.nndl !== VERSION) return reply({ type: 'error', message: `this view speaks version ${VERSION} of the nndl protocol, not ${JSON.stringify(message.nndl)}` });
    if (message.type === 'get') return reply({ type: 'state', ...state() });
    if (message.type === 'set' && !set) return reply({ type: 'error', message: 'this view takes its settings from its link, not by message' });
    if (message.type === 'set' && message.state && typeof message.state === 'object' && !Array.isArray(message.state)) {
      const notes = await set(Object.entries(message.state).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value)]));
      return reply({ type: 'state', ...state(), notes });
    }
    reply({ type: 'error', message: `"${String(message.type)}" is not a message of the nndl protocol (get, set)` });
  });
  toTrusted({ type: 'state', ...state() }); // ready: get and set are heard from now on
  return {
    stateChanged: () => toTrusted({ type: 'state', ...state() }),
    result: (result) => toTrusted({ type: 'result', result }),
  };
}
