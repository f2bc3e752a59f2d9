// frame.js — what every figure page shares: the chrome (title, chapter, copy-embed-code) or, with
// embed=1, only the figure; the figure started from the link's settings (live.js: notes for
// malformed ones), the URL kept in step with every change (a link reproduces the state), and in
// an iframe the embedding protocol (shared/embedded.js: its height to any host; its state and
// result to trusted ones, who may get and set it; allow= names them; scheme= keeps a lesson's
// colours, set by start.js). Not here: any figure's
// content (../<id>.js), the gallery (gallery.js), the <nndl-figure> element (../element.js).
import { connectHost, trustedOrigins } from '../../shared/embedded.js';
import { parseState, queryOf, stateEntries } from '../../shared/url-state.js';
import { urlWriter } from '../../shared/url-writes.js';
import { button, el, readout, showNotesIn } from './controls.js';
import { embedCode } from './embed-code.js';
import { snapshot, startFigure } from './live.js';

/** What the frame itself reads from a figure's link, beside the figure's own settings. */
const FRAME = {
  embed: { type: 'bool', default: false },
  // the colours: the reader's system's (auto), or those of the lesson that embeds it (start.js)
  scheme: { type: 'choice', values: { auto: 'the reader’s', light: 'light', dark: 'dark' }, default: 'auto' },
};

/** Shows notes (malformed settings, failures) in the page's alert box under a heading. */
export const showNotes = (notes, heading = 'Some settings in this link were not used:') => showNotesIn(document.getElementById('notes'), notes, heading);

/** The embed code of the figure page at `url` (relative to this page): embed-code.js's, with
 * the figure's own height and embed.js from where this module came. */
export const figureEmbedCode = (url, entry) => embedCode(new URL(url, location.href).href, entry.title, entry.height, new URL('../embed.js', import.meta.url).href);

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
  tools.append(button('Copy embed code', () => copyText(figureEmbedCode(getUrl(), entry), status, tools), { secondary: true }), status);
  const open = el('a', { href: '', target: '_blank', rel: 'noopener', className: 'open-full', textContent: 'Open in nndl ↗' });
  const figure = el('section', { className: 'figure', id: `figure-${entry.id}` });
  figure.setAttribute('aria-labelledby', 'figure-title');
  heading.id = 'figure-title';
  const book = el('p', { className: 'book-note', textContent: entry.book ?? '' });
  main.replaceChildren(el('div', { className: 'figure-head' }, embed ? [heading, open] : [heading, meta, tools]), figure, book);
  return { figure, open };
}

/** Shows the figure `entry` with the settings of `params`: the core being compiled, the figure's
 * module being imported, and its Worker (registry.js) already started with the core, if it has one. */
export async function showFigure(entry, params, compiled, imported = import(`../${entry.id}.js`), worker = null) {
  const { state: { embed, scheme }, notes: preNotes } = parseState(FRAME, params, { unknown: 'ignore' });
  const allow = params.get('allow'), origins = trustedOrigins(allow, preNotes);
  // a link without figure= is the figure's own page (figures/<id>/, which names it: start.js)
  const ownPage = !params.has('figure');
  let live = null, host = null, lastResult; // the running figure; the embedding page, once it is up
  // what an embedded figure keeps in its link beside its settings (a full page needs none of it)
  const framing = embed ? [['embed', '1'], ...(allow ? [['allow', allow]] : []), ...(scheme !== 'auto' ? [['scheme', scheme]] : [])] : [];
  /** This page's link now (path and query); `framed`: with the embedding settings. */
  const url = (framed = true) => location.pathname + queryOf([...(ownPage ? [] : [['figure', entry.id]]), ...stateEntries(live.schema, live.state), ...(framed ? framing : [])]);
  const { figure, open } = chrome(entry, embed, () => new URL(url(), location.href).href);
  const fullUrl = () => new URL(url(false), location.href).href;
  const syncUrl = urlWriter(url, () => {
    open.href = fullUrl();
    host?.stateChanged();
  });
  live = await startFigure({
    entry, container: figure, entries: params, reserved: ['figure', 'allow', ...Object.keys(FRAME)], compiled, imported, worker, embed,
    notes: (list, heading) => showNotes(list.length && heading ? list : [...preNotes, ...list], heading),
    changed: () => syncUrl(),
    result: (value) => { lastResult = value; host?.result(value); },
    counter: document.body,
  });
  if (!live) return;
  host = connectHost({
    origins,
    state: () => ({ state: snapshot(live.schema, live.state), url: fullUrl() }),
    set: (entries) => live.apply(entries), // settings by message, read as a link's are
  });
  if (host && lastResult !== undefined) host.result(lastResult); // one that came before the host
  syncUrl();
  window.nndlFigure = { state: live.state, data: live.data, set: live.set }; // for the tests and the curious
  document.body.dataset.ready = '1';
}
