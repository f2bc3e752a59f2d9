// element.js — <nndl-figure name="bumps" n="10">: a figure as an element of any page, with one
// line, <script type="module" src=".../figures/element.js"></script>. Its attributes are the
// figure's settings, read as a link's are (malformed ones noted in the figure, the rest used;
// HTML's own attributes — id, class, style, hidden, aria-*, data-* ... — left to HTML, unless the
// figure has a setting of that name); changed later, they change the figure. It loads when it
// comes near the viewport (loading="eager": at once), keeps its place meanwhile at about its
// size, grows to its content, and lives in a shadow root (its ids, styles and palette apart from
// the page's; its colour scheme the page's, palette.css). Events: `change` { state, url } after each change of settings (the reader's, an
// attribute's, set()'s); `result` (the figure's result, where it has one: by-hand's challenge,
// learn-f's final deviation, overfitting's accuracies). Properties: state, url, result, notes,
// ready (resolves once the figure is up), set(settings) (resolves to the notes). Removed from the
// page its Worker stops (put back, it starts afresh). Defined once, however often this script is
// included. Not here: what a figure does (./<id>.js, run by kit/live.js), iframes (embed.js and
// the protocol of shared/embedded.js).
import { compileCore } from '../lib/nndl.js';
import { WorkerClient } from '../lib/worker-client.js';
import { readPaletteFrom } from '../shared/palette.js';
import { defaults, formatValue, queryOf, quote, stateEntries } from '../shared/url-state.js';
import { el, showNotesIn } from './kit/controls.js';
import { snapshot, startFigure } from './kit/live.js';
import { FIGURES, figureById } from './kit/registry.js';

export const TAG = 'nndl-figure';

/** HTML's attributes and the element's own, never read as a figure's settings (unless it has one
 * of that name). */
const NOT_SETTINGS = /^(name|loading|id|class|style|title|lang|dir|hidden|tabindex|slot|part|is|nonce|autofocus|inert|draggable|spellcheck|translate|contenteditable|accesskey|enterkeyhint|popover|role|(aria|data)-.*|on.*)$/;

let compiled = null; // one compilation of the core for every figure of the page
const core = () => (compiled ??= compileCore());

const stylesheet = (file) => {
  const link = el('link', { rel: 'stylesheet', href: new URL(file, import.meta.url).href });
  return { link, loaded: new Promise((done) => { link.onload = done; link.onerror = done; }) };
};

/** The element; its instances are what document.querySelector('nndl-figure') gives. */
export class NndlFigure extends HTMLElement {
  #live = null; #started = false; #result = undefined; #notes = []; #names = []; #entry = null;
  #ready = null; #readyDone = () => {};
  #sheetsLoaded = null; #open = null; #notesBox = null; #section = null; // its shadow root's parts
  #worker = null; #near = null; #watching = null; #retired = false; #runs = 0; // what runs; whether it was stopped; starts

  constructor() {
    super();
    this.#ready = new Promise((done) => { this.#readyDone = done; });
  }

  /** Resolves once the figure is up (to this element), or at once and for good if it cannot be.
   * @returns {Promise<NndlFigure>} */
  get ready() { return this.#ready; }
  /** The figure's settings now, { name: value } (a copy), or null before it is up.
   * @returns {Record<string, any> | null} */
  get state() { return this.#live ? snapshot(this.#live.schema, this.#live.state) : null; }
  /** The figure's own page with these settings (open it, link to it), or null before it is up.
   * @returns {string | null} */
  get url() { return this.#live ? this.#pageUrl() : null; }
  /** The figure's latest result, or undefined.
   * @returns {any} */
  get result() { return this.#result; }
  /** What the attributes (and set()) gave that was not used, and why.
   * @returns {string[]} */
  get notes() { return [...this.#notes]; }

  /** Changes settings ({ n: 10, h: [0.5, 0.8] }, values as a link or numbers), as the reader
   * would (a figure not yet loaded starts loading): resolves to the notes on those not used.
   * @param {Record<string, number | string | boolean | number[]>} settings @returns {Promise<string[]>} */
  async set(settings) {
    if (this.#retired || !this.shadowRoot) return ['the figure is not on the page'];
    this.#start();
    await this.#ready;
    if (!this.#live) return ['the figure is not running'];
    const entries = Object.entries(settings).map(([name, value]) => [this.#settingName(name), Array.isArray(value) ? value.join(',') : String(value)]);
    const notes = await this.#live.apply(entries);
    this.#showNotes(notes);
    return notes;
  }

  connectedCallback() {
    readPaletteFrom(this);
    if (this.shadowRoot && !this.#retired) return; // moved within the page: it goes on as it was
    this.#retired = false;
    this.#build();
    if (this.getAttribute('loading') === 'eager' || !('IntersectionObserver' in window)) return this.#start();
    this.#near = new IntersectionObserver((seen) => {
      if (!seen.some((s) => s.isIntersecting)) return;
      this.#near.disconnect();
      this.#start();
    }, { rootMargin: '400px 0px' });
    this.#near.observe(this);
  }

  /** Removed for good (a move connects it again within the task): its Worker and its observers
   * stop; put back, it starts afresh from its attributes. */
  disconnectedCallback() {
    setTimeout(() => {
      if (this.isConnected || this.#retired) return;
      this.#retired = true;
      this.#runs++; // a start under way is not this element's any more
      this.#near?.disconnect();
      this.#watching?.disconnect();
      this.#worker?.terminate();
      this.#live = this.#worker = null;
      this.#started = false;
      delete this.dataset.ready;
      this.#ready = new Promise((done) => { this.#readyDone = done; });
    });
  }

  #build() {
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    root.replaceChildren();
    const name = this.getAttribute('name') ?? '';
    this.#entry = figureById(name);
    const entry = this.#entry ?? { id: 'none', title: 'nndl figure', summary: '', height: 120 };
    const sheets = [stylesheet('../shared/palette.css'), stylesheet('kit/figures.css')];
    this.#sheetsLoaded = Promise.all(sheets.map((s) => s.loaded));
    const title = el('span', { className: 'title', id: 'figure-title', textContent: entry.title });
    this.#open = el('a', { className: 'open-full', href: new URL(`./?figure=${entry.id}`, import.meta.url).href, target: '_blank', rel: 'noopener', textContent: 'Open in nndl ↗' });
    this.#notesBox = el('div', { className: 'notes', hidden: true });
    this.#notesBox.setAttribute('role', 'alert');
    const waiting = this.#entry ? `${entry.summary} (The figure loads when it comes into view.)` : '';
    this.#section = el('section', { className: 'figure', id: `figure-${entry.id}` }, [el('p', { className: 'waiting', textContent: waiting })]);
    this.#section.setAttribute('aria-labelledby', 'figure-title');
    this.#section.style.minHeight = `${Math.max(80, entry.height - 60)}px`; // its place, kept until it is up
    const figure = el('figure', { className: 'nndl' }, [el('figcaption', {}, [title, this.#open]), this.#notesBox, this.#section]);
    root.append(...sheets.map((s) => s.link), figure);
    if (!this.#entry) {
      this.#open.hidden = true;
      const known = FIGURES.map((f) => f.id).join(', ');
      this.#showNotes([name ? `there is no figure named ${quote(name)}; the figures are ${known}` : `name the figure: <nndl-figure name="bumps">; the figures are ${known}`], 'This element names no figure:');
    }
  }

  async #start() {
    if (this.#started) return; // under way or up: ready says when
    if (!this.#entry) return this.#readyDone(this);
    this.#started = true;
    const run = ++this.#runs, entry = this.#entry, wasm = core();
    const imported = import(`./${entry.id}.js`);
    this.#names = await imported.then((m) => Object.keys(m.schema), () => []);
    const worker = this.#worker = entry.worker ? new WorkerClient(new URL(`./workers/${entry.worker}`, import.meta.url), { wasm }) : null;
    await this.#sheetsLoaded; // its first layout in its own styles
    this.#section.firstChild.textContent = 'Loading the figure…';
    try {
      this.#live = await startFigure({
        entry, container: this.#section, entries: this.#settingAttributes(), compiled: wasm, imported, worker, embed: true,
        notes: (list, heading) => this.#showNotes(list, heading),
        changed: () => this.#changed(),
        result: (value) => {
          this.#result = value;
          this.dispatchEvent(new CustomEvent('result', { detail: value, bubbles: true }));
        },
        counter: this,
      });
    } catch { /* said in the notes by startFigure */ }
    if (run !== this.#runs) return void worker?.terminate(); // removed while it started
    this.#section.querySelector(':scope > .waiting')?.remove();
    this.#section.style.minHeight = '';
    if (this.#live) {
      this.#open.href = this.#pageUrl();
      this.#watching = new MutationObserver((changes) => this.#attributesChanged(changes));
      this.#watching.observe(this, { attributes: true });
      this.dataset.ready = '1';
    }
    this.#readyDone(this);
  }

  /** The figure's setting an attribute or a set() key names (attributes are lower case). */
  #settingName(name) {
    return this.#names.find((n) => n.toLowerCase() === name.toLowerCase()) ?? name;
  }

  #isSetting(attribute) {
    return this.#names.some((n) => n.toLowerCase() === attribute) || !NOT_SETTINGS.test(attribute);
  }

  #settingAttributes() {
    return [...this.attributes].filter((a) => this.#isSetting(a.name)).map((a) => [this.#settingName(a.name), a.value]);
  }

  async #attributesChanged(changes) {
    const names = [...new Set(changes.map((c) => c.attributeName))].filter((n) => this.#isSetting(n));
    if (!names.length) return;
    const { schema } = this.#live, base = defaults(schema);
    const entries = names.map((attribute) => {
      const name = this.#settingName(attribute);
      if (this.hasAttribute(attribute)) return [name, this.getAttribute(attribute)];
      return [name, formatValue(schema[name], base[name])]; // removed: back to the figure's default
    });
    this.#showNotes(await this.#live.apply(entries));
  }

  #changed() {
    if (!this.#live) return; // the first render: the figure is not up yet
    this.#open.href = this.#pageUrl();
    this.dispatchEvent(new CustomEvent('change', { detail: { state: this.state, url: this.url }, bubbles: true }));
  }

  #pageUrl() {
    const { schema, state } = this.#live;
    return new URL(`./${queryOf([['figure', this.#entry.id], ...stateEntries(schema, state)])}`, import.meta.url).href;
  }

  #showNotes(notes, heading = 'Some settings of this figure were not used:') {
    this.#notes = notes;
    showNotesIn(this.#notesBox, notes, heading);
  }
}

if (!customElements.get(TAG)) customElements.define(TAG, NndlFigure);
