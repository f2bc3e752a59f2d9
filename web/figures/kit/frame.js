// frame.js — what every figure page shares: it reads the figure's settings from the URL (notes
// for malformed ones), loads the WebAssembly core and the figure's module together, mounts the
// figure, keeps the URL in step with every change (a link reproduces the state), draws the chrome
// (title, chapter, copy-embed-code) or, with embed=1, only the figure, and in an iframe speaks the
// embedding protocol (shared/embedded.js: its height to any host; its state to trusted ones, who
// may get and set it; allow= names them). Renders are coalesced: one at a time, the latest
// state. Not here: any figure's content (../<id>.js), the gallery (gallery.js).
import { loadCore } from '../../lib/nndl.js';
import { connectHost, trustedOrigins } from '../../shared/embedded.js';
import { parseState, stateEntries } from '../../shared/url-state.js';
import { urlWriter } from '../../shared/url-writes.js';
import { button, el, readout } from './controls.js';

/** What the frame itself reads from a figure's link, beside the figure's own settings. */
const FRAME = { embed: { type: 'bool', default: false } };

/** Shows notes (malformed settings, failures) in the page's alert box under a heading. */
export function showNotes(notes, heading = 'Some settings in this link were not used:') {
  const box = document.getElementById('notes');
  box.replaceChildren(el('p', { textContent: heading }), el('ul', {}, notes.map((n) => el('li', { textContent: n }))));
  box.hidden = notes.length === 0;
}

/** The iframe snippet that embeds a figure's page at `url` (sized by embed.js). */
export function embedCode(url, title) {
  const page = new URL(url, location.href);
  page.searchParams.set('embed', '1');
  const src = page.href.replaceAll('%2C', ',');
  const script = new URL('embed.js', page).href;
  const safe = (t) => t.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  return `<iframe src="${safe(src)}" title="${safe(title)}" style="width: 100%; height: 480px; border: 0" loading="lazy"></iframe>\n<script src="${safe(script)}" async></script>`;
}

/** Copies text to the clipboard, or (where the browser refuses) selects it in a box to copy. */
export async function copyText(text, status, fallbackHost) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = 'Embed code copied.';
  } catch {
    const box = el('textarea', { value: text, readOnly: true, rows: 4, className: 'embed-code' });
    box.setAttribute('aria-label', 'Embed code');
    fallbackHost.querySelector('textarea.embed-code')?.remove();
    fallbackHost.append(box);
    box.select();
    status.textContent = 'Copy the selected embed code (Ctrl+C).';
  }
}

function chrome(entry, embed, getUrl) {
  const main = document.getElementById('main');
  document.title = `${entry.title} — nndl figures`;
  document.body.classList.toggle('embed', embed);
  const heading = el('h1', { textContent: entry.title });
  const meta = el('p', { className: 'meta' }, [`Chapter ${entry.chapter} of `, el('em', { textContent: 'Neural Networks and Deep Learning' }), ` · ${entry.summary}`]);
  const status = readout('copy-status');
  const tools = el('div', { className: 'figure-tools' });
  tools.append(button('Copy embed code', () => copyText(embedCode(getUrl(), entry.title), status, tools), { secondary: true }), status);
  const open = el('a', { href: '', target: '_blank', rel: 'noopener', className: 'open-full', textContent: 'Open in nndl ↗' });
  const figure = el('section', { className: 'figure', id: `figure-${entry.id}` });
  figure.setAttribute('aria-labelledby', 'figure-title');
  heading.id = 'figure-title';
  const book = el('p', { className: 'book-note', textContent: entry.book ?? '' });
  main.replaceChildren(el('div', { className: 'figure-head' }, embed ? [heading, open] : [heading, meta, tools]), figure, book);
  return { figure, open };
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve));

/** Shows the figure `entry` with the settings of `params`: the core being compiled, the figure's
 * module being imported, and its Worker (registry.js) already started with the core, if it has one. */
export async function showFigure(entry, params, compiled, imported = import(`../${entry.id}.js`), worker = null) {
  const { state: { embed }, notes: preNotes } = parseState(FRAME, params, { unknown: 'ignore' });
  const allow = params.get('allow'), origins = trustedOrigins(allow, preNotes);
  let module;
  try {
    [module] = await Promise.all([imported, compiled.then((wasm) => loadCore({ wasm }))]);
  } catch (e) {
    showNotes([e.message], 'The figure could not start:');
    return;
  }
  const { schema, fix } = module;
  const { state, notes } = parseState(schema, params, { reserved: ['figure', 'allow', ...Object.keys(FRAME)], fix });
  showNotes([...preNotes, ...notes]);
  const url = () => {
    const search = new URLSearchParams([['figure', entry.id], ...stateEntries(schema, state), ...(embed ? [['embed', '1']] : []), ...(embed && allow ? [['allow', allow]] : [])]);
    return `${location.pathname}?${search.toString().replaceAll('%2C', ',')}`;
  };
  const { figure, open } = chrome(entry, embed, () => new URL(url(), location.href).href);
  const fullUrl = () => {
    const full = new URL(url(), location.href);
    for (const name of ['embed', 'allow']) full.searchParams.delete(name);
    return full.href;
  };
  let host = null, lastResult = null; // the embedding page, once the figure is up; what it last heard
  /** A figure's result (by-hand's challenge, a training's end): to a trusted host, when it changes. */
  const result = (value) => {
    const said = JSON.stringify(value);
    if (said === lastResult) return;
    lastResult = said;
    host?.result(value);
  };
  const syncUrl = urlWriter(url, () => {
    open.href = fullUrl();
    host?.stateChanged();
  });

  let running = null, again = false;
  const render = async () => {
    if (running) { again = true; return running; }
    running = (async () => {
      do {
        again = false;
        await view.render(state);
      } while (again);
    })();
    try { await running; } finally {
      running = null;
      document.body.dataset.renders = String(Number(document.body.dataset.renders ?? 0) + 1);
    }
  };
  /** Changes settings (from a control, a drag, a button): the figure at once, the URL soon after. */
  const set = (changes) => {
    Object.assign(state, changes);
    fix?.(state, []);
    const drawn = render();
    syncUrl();
    return drawn;
  };
  let view;
  try {
    // the page's chrome, the figure's controls and its first picture each in a task of its own:
    // the first layout of a page and a figure's first paint would make one long task together
    await nextTask();
    view = await module.mount(figure, { state, set, schema, embed, wasm: await compiled, worker, result });
    await nextTask();
    await render();
  } catch (e) {
    showNotes([e.message], 'The figure could not start:');
    throw e;
  }
  host = connectHost({
    origins,
    state: () => ({ state: Object.fromEntries(Object.keys(schema).map((name) => [name, state[name]])), url: fullUrl() }),
    // settings by message, read as a link's are: from the state now, the malformed noted and left
    async set(entries) {
      const { state: next, notes } = parseState(schema, entries, { base: state, fix });
      await set(next);
      return notes;
    },
  });
  if (host && lastResult !== null) host.result(JSON.parse(lastResult)); // one come before the host was
  syncUrl();
  window.nndlFigure = { state, data: () => view.data?.(), set }; // for the tests and the curious
  document.body.dataset.ready = '1';
}
